#!/usr/bin/env python3
"""Writes Sources/Model/Protobuf/ProtobufFieldTable.swift from the Kubernetes protobuf field table.

Usage: scripts/gen-protobuf-fields.py [FIELDS_JSON]
FIELDS_JSON defaults to ../shared/k8s-proto-fields-v0.32.json relative to the repository root. It maps
each upstream message name to {field number: [json name, type, label]}, read from generated.proto.

Only the messages reachable from the kinds Drover serves are written. Message names lose their
`k8s.io.api.` or `k8s.io.apimachinery.pkg.apis.` prefix. A few apimachinery messages have their own
JSON form and become value types instead of messages (SPECIAL_TYPES).

generated.proto labels every singular field `optional`, so it cannot say which Go fields are
pointers. POINTER_FIELDS and INLINE_FIELDS are therefore kept by hand from the upstream Go types
(k8s.io/api v0.32): a pointer field is written on the wire only when set and must survive even when
zero; an inline field is a Go embedded struct whose JSON fields sit in the parent object. The script
fails when a listed field no longer exists, so the lists cannot silently rot.

The output is deterministic: messages sorted by name, fields by number.
"""

import json
import os
import re
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_INPUT = os.path.join(REPO_ROOT, "..", "shared", "k8s-proto-fields-v0.32.json")
OUTPUT = os.path.join(REPO_ROOT, "Sources", "Model", "Protobuf", "ProtobufFieldTable.swift")

# Kinds whose bodies the API server may receive, with the apiVersion they must carry (None: any,
# for the meta types every group version registers). Non-kind roots follow.
KINDS = [
    ("Pod", "core.v1.Pod", "v1"),
    ("Node", "core.v1.Node", "v1"),
    ("Namespace", "core.v1.Namespace", "v1"),
    ("Event", "core.v1.Event", "v1"),
    ("Binding", "core.v1.Binding", "v1"),
    ("Secret", "core.v1.Secret", "v1"),
    ("ConfigMap", "core.v1.ConfigMap", "v1"),
    ("Job", "batch.v1.Job", "batch/v1"),
    ("CronJob", "batch.v1.CronJob", "batch/v1"),
    ("Deployment", "apps.v1.Deployment", "apps/v1"),
    ("ReplicaSet", "apps.v1.ReplicaSet", "apps/v1"),
    ("DaemonSet", "apps.v1.DaemonSet", "apps/v1"),
    ("ControllerRevision", "apps.v1.ControllerRevision", "apps/v1"),
    ("Eviction", "policy.v1.Eviction", "policy/v1"),
    ("PodDisruptionBudget", "policy.v1.PodDisruptionBudget", "policy/v1"),
    ("Scale", "autoscaling.v1.Scale", "autoscaling/v1"),
    ("HorizontalPodAutoscaler", "autoscaling.v1.HorizontalPodAutoscaler", "autoscaling/v1"),
    ("PriorityClass", "scheduling.v1.PriorityClass", "scheduling.k8s.io/v1"),
    ("DeleteOptions", "meta.v1.DeleteOptions", None),
    ("Status", "meta.v1.Status", None),
]
EXTRA_ROOTS = ["meta.v1.ObjectMeta", "meta.v1.ListMeta"]

# Messages with their own JSON form (upstream custom marshalling) → Swift ProtobufValueType case.
SPECIAL_TYPES = {
    "k8s.io.apimachinery.pkg.apis.meta.v1.Time": "time",
    "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime": "microTime",
    "k8s.io.apimachinery.pkg.util.intstr.IntOrString": "intOrString",
    "k8s.io.apimachinery.pkg.api.resource.Quantity": "quantity",
    "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1": "rawJSON",
    "k8s.io.apimachinery.pkg.runtime.RawExtension": "rawJSON",
}
SCALAR_TYPES = {"string": "string", "bytes": "bytes", "bool": "bool", "int32": "int32", "int64": "int64"}
PREFIXES = ["k8s.io.api.", "k8s.io.apimachinery.pkg.apis."]

# Singular fields that are pointers in the Go types (checked against k8s.io/api v0.32 types.go).
POINTER_FIELDS = {
    "apps.v1.DaemonSetSpec": "selector revisionHistoryLimit",
    "apps.v1.DaemonSetStatus": "collisionCount",
    "apps.v1.DaemonSetUpdateStrategy": "rollingUpdate",
    "apps.v1.DeploymentSpec": "replicas selector revisionHistoryLimit progressDeadlineSeconds",
    "apps.v1.DeploymentStatus": "collisionCount",
    "apps.v1.DeploymentStrategy": "rollingUpdate",
    "apps.v1.ReplicaSetSpec": "replicas selector",
    "apps.v1.RollingUpdateDaemonSet": "maxUnavailable maxSurge",
    "apps.v1.RollingUpdateDeployment": "maxUnavailable maxSurge",
    "autoscaling.v1.HorizontalPodAutoscalerSpec": "minReplicas targetCPUUtilizationPercentage",
    "autoscaling.v1.HorizontalPodAutoscalerStatus": "observedGeneration lastScaleTime currentCPUUtilizationPercentage",
    "batch.v1.CronJobSpec": "startingDeadlineSeconds suspend successfulJobsHistoryLimit failedJobsHistoryLimit timeZone",
    "batch.v1.CronJobStatus": "lastScheduleTime lastSuccessfulTime",
    "batch.v1.JobSpec": "parallelism completions activeDeadlineSeconds selector manualSelector backoffLimit "
                        "ttlSecondsAfterFinished completionMode suspend podFailurePolicy backoffLimitPerIndex "
                        "maxFailedIndexes podReplacementPolicy managedBy successPolicy",
    "batch.v1.JobStatus": "startTime completionTime uncountedTerminatedPods ready failedIndexes terminating",
    "batch.v1.PodFailurePolicyOnExitCodesRequirement": "containerName",
    "batch.v1.PodFailurePolicyRule": "onExitCodes",
    "batch.v1.SuccessPolicyRule": "succeededIndexes succeededCount",
    "core.v1.Affinity": "nodeAffinity podAffinity podAntiAffinity",
    "core.v1.AppArmorProfile": "localhostProfile",
    "core.v1.AzureDiskVolumeSource": "cachingMode fsType readOnly kind",
    "core.v1.CSIVolumeSource": "readOnly fsType nodePublishSecretRef",
    "core.v1.CephFSVolumeSource": "secretRef",
    "core.v1.CinderVolumeSource": "secretRef",
    "core.v1.ClusterTrustBundleProjection": "name signerName labelSelector optional",
    "core.v1.ConfigMapEnvSource": "optional",
    "core.v1.ConfigMapKeySelector": "optional",
    "core.v1.ConfigMapProjection": "optional",
    "core.v1.ConfigMapVolumeSource": "defaultMode optional",
    "core.v1.Container": "livenessProbe readinessProbe startupProbe lifecycle securityContext restartPolicy",
    "core.v1.ContainerState": "waiting running terminated",
    "core.v1.ContainerStatus": "started resources user",
    "core.v1.ContainerUser": "linux",
    "core.v1.DownwardAPIVolumeFile": "fieldRef resourceFieldRef mode",
    "core.v1.DownwardAPIVolumeSource": "defaultMode",
    "core.v1.EmptyDirVolumeSource": "sizeLimit",
    "core.v1.EnvFromSource": "configMapRef secretRef",
    "core.v1.EnvVar": "valueFrom",
    "core.v1.EnvVarSource": "fieldRef resourceFieldRef configMapKeyRef secretKeyRef",
    "core.v1.EphemeralContainerCommon": "livenessProbe readinessProbe startupProbe lifecycle securityContext restartPolicy",
    "core.v1.EphemeralVolumeSource": "volumeClaimTemplate",
    "core.v1.Event": "series related",
    "core.v1.FCVolumeSource": "lun",
    "core.v1.FlexVolumeSource": "secretRef",
    "core.v1.GRPCAction": "service",
    "core.v1.HostPathVolumeSource": "type",
    "core.v1.ISCSIVolumeSource": "secretRef initiatorName",
    "core.v1.KeyToPath": "mode",
    "core.v1.Lifecycle": "postStart preStop",
    "core.v1.LifecycleHandler": "exec httpGet tcpSocket sleep",
    "core.v1.NodeAffinity": "requiredDuringSchedulingIgnoredDuringExecution",
    "core.v1.NodeConfigSource": "configMap",
    "core.v1.NodeConfigStatus": "assigned active lastKnownGood",
    "core.v1.NodeFeatures": "supplementalGroupsPolicy",
    "core.v1.NodeRuntimeHandler": "features",
    "core.v1.NodeRuntimeHandlerFeatures": "recursiveReadOnlyMounts userNamespaces",
    "core.v1.NodeSpec": "configSource",
    "core.v1.NodeStatus": "config features",
    "core.v1.PersistentVolumeClaimSpec": "selector storageClassName volumeMode dataSource dataSourceRef "
                                         "volumeAttributesClassName",
    "core.v1.PodAffinityTerm": "labelSelector namespaceSelector",
    "core.v1.PodDNSConfigOption": "value",
    "core.v1.PodResourceClaim": "resourceClaimName resourceClaimTemplateName",
    "core.v1.PodResourceClaimStatus": "resourceClaimName",
    "core.v1.PodSecurityContext": "seLinuxOptions runAsUser runAsNonRoot fsGroup runAsGroup windowsOptions "
                                  "fsGroupChangePolicy seccompProfile appArmorProfile supplementalGroupsPolicy "
                                  "seLinuxChangePolicy",
    "core.v1.PodSpec": "terminationGracePeriodSeconds activeDeadlineSeconds securityContext affinity "
                       "automountServiceAccountToken priority dnsConfig shareProcessNamespace runtimeClassName "
                       "enableServiceLinks preemptionPolicy setHostnameAsFQDN os hostUsers resources",
    "core.v1.PodStatus": "startTime",
    "core.v1.Probe": "terminationGracePeriodSeconds",
    "core.v1.ProbeHandler": "exec httpGet tcpSocket grpc",
    "core.v1.ProjectedVolumeSource": "defaultMode",
    "core.v1.RBDVolumeSource": "secretRef",
    "core.v1.ScaleIOVolumeSource": "secretRef",
    "core.v1.SeccompProfile": "localhostProfile",
    "core.v1.SecretEnvSource": "optional",
    "core.v1.SecretKeySelector": "optional",
    "core.v1.SecretProjection": "optional",
    "core.v1.SecretVolumeSource": "defaultMode optional",
    "core.v1.SecurityContext": "capabilities privileged seLinuxOptions runAsUser runAsNonRoot readOnlyRootFilesystem "
                               "allowPrivilegeEscalation runAsGroup procMount windowsOptions seccompProfile "
                               "appArmorProfile",
    "core.v1.ServiceAccountTokenProjection": "expirationSeconds",
    "core.v1.StorageOSVolumeSource": "secretRef",
    "core.v1.Taint": "timeAdded",
    "core.v1.Toleration": "tolerationSeconds",
    "core.v1.TopologySpreadConstraint": "labelSelector minDomains nodeAffinityPolicy nodeTaintsPolicy",
    "core.v1.TypedLocalObjectReference": "apiGroup",
    "core.v1.TypedObjectReference": "apiGroup namespace",
    "core.v1.VolumeMount": "mountPropagation recursiveReadOnly",
    "core.v1.VolumeMountStatus": "recursiveReadOnly",
    "core.v1.VolumeProjection": "secret downwardAPI configMap serviceAccountToken clusterTrustBundle",
    "core.v1.VolumeSource": "hostPath emptyDir gcePersistentDisk awsElasticBlockStore gitRepo secret nfs iscsi "
                            "glusterfs persistentVolumeClaim rbd flexVolume cinder cephfs flocker downwardAPI fc "
                            "azureFile configMap vsphereVolume quobyte azureDisk photonPersistentDisk "
                            "portworxVolume scaleIO projected storageos csi ephemeral image",
    "core.v1.WindowsSecurityContextOptions": "gmsaCredentialSpecName gmsaCredentialSpec runAsUserName hostProcess",
    "meta.v1.DeleteOptions": "gracePeriodSeconds preconditions orphanDependents propagationPolicy "
                             "ignoreStoreReadErrorWithClusterBreakingPotential",
    "meta.v1.ListMeta": "remainingItemCount",
    "meta.v1.ManagedFieldsEntry": "time fieldsV1",
    "meta.v1.ObjectMeta": "deletionTimestamp deletionGracePeriodSeconds",
    "meta.v1.OwnerReference": "controller blockOwnerDeletion",
    "meta.v1.Preconditions": "uid resourceVersion",
    "meta.v1.Status": "details",
    "policy.v1.Eviction": "deleteOptions",
    "policy.v1.PodDisruptionBudgetSpec": "minAvailable selector maxUnavailable unhealthyPodEvictionPolicy",
}

# Go embedded structs tagged `json:",inline"`.
INLINE_FIELDS = {
    "core.v1.ConfigMapEnvSource": "localObjectReference",
    "core.v1.ConfigMapKeySelector": "localObjectReference",
    "core.v1.ConfigMapProjection": "localObjectReference",
    "core.v1.ConfigMapVolumeSource": "localObjectReference",
    "core.v1.EphemeralContainer": "ephemeralContainerCommon",
    "core.v1.Probe": "handler",
    "core.v1.SecretEnvSource": "localObjectReference",
    "core.v1.SecretKeySelector": "localObjectReference",
    "core.v1.SecretProjection": "localObjectReference",
    "core.v1.Volume": "volumeSource",
}


def fail(message):
    sys.exit(f"gen-protobuf-fields: {message}")


def short_name(full):
    for prefix in PREFIXES:
        if full.startswith(prefix):
            return full[len(prefix):]
    fail(f"no short name for message {full}")


def full_name(short):
    for prefix in PREFIXES:
        if prefix + short in TABLE:
            return prefix + short
    fail(f"unknown message {short}")


def reachable_messages(roots):
    seen, stack = set(), list(roots)
    while stack:
        name = stack.pop()
        if name in seen or name in SPECIAL_TYPES:
            continue
        if name not in TABLE:
            fail(f"message {name} is referenced but not in the field table")
        seen.add(name)
        for _, type_name, _ in TABLE[name].values():
            stack.extend(re.findall(r"k8s\.io\.[\w.]+", type_name))
    return seen


def check_acyclic(messages):
    """The decoder recurses once per nesting level; a cycle would let input nest without bound."""
    state = {}

    def visit(name, path):
        if state.get(name) == "done" or TABLE.get(name) is None:
            return
        if state.get(name) == "open":
            fail("message graph has a cycle: " + " -> ".join(short_name(m) for m in path + [name]))
        state[name] = "open"
        for _, type_name, _ in TABLE[name].values():
            for child in re.findall(r"k8s\.io\.[\w.]+", type_name):
                if child not in SPECIAL_TYPES:
                    visit(child, path + [name])
        state[name] = "done"

    for name in sorted(messages):
        visit(name, [])


def swift_value_type(type_name):
    if type_name in SCALAR_TYPES:
        return "." + SCALAR_TYPES[type_name]
    if type_name in SPECIAL_TYPES:
        return "." + SPECIAL_TYPES[type_name]
    if type_name.startswith("k8s.io."):
        return f'.message("{short_name(type_name)}")'
    fail(f"unsupported field type {type_name}")


def swift_field(message, number, name, type_name, label):
    shape = None
    if label == "map":
        match = re.fullmatch(r"map<string,(.+)>", type_name)
        if not match:
            fail(f"{message}.{name}: only maps with string keys are supported ({type_name})")
        type_name, shape = match.group(1), "map"
    elif label == "repeated":
        shape = "repeated"
    elif label != "optional":
        fail(f"{message}.{name}: unknown label {label}")
    elif name in POINTER_FIELDS.get(message, "").split():
        shape = "pointer"
    elif name in INLINE_FIELDS.get(message, "").split():
        shape = "inline"
    arguments = [number, f'"{name}"', swift_value_type(type_name)] + ([f".{shape}"] if shape else [])
    return "F(" + ", ".join(str(a) for a in arguments) + ")"


def check_hand_lists(messages):
    for listing in (POINTER_FIELDS, INLINE_FIELDS):
        for message, names in listing.items():
            if message not in messages:
                fail(f"hand-kept list names {message}, which is not reachable")
            known = {field[0]: field[2] for field in TABLE[full_name(message)].values()}
            for name in names.split():
                if known.get(name) != "optional":
                    fail(f"hand-kept list names {message}.{name}, which is not a singular field")


def wrap(items, indent, width=120):
    lines, line = [], indent
    for item in items:
        piece = item + ","
        if line.strip() and len(line) + 1 + len(piece) > width:
            lines.append(line)
            line = indent
        line += (" " if line.strip() else "") + piece
    lines.append(line)
    return lines


def render(messages):
    out = [
        "// Generated by scripts/gen-protobuf-fields.py from k8s-proto-fields-v0.32.json. Do not edit.",
        "// Messages reachable from the kinds Drover serves, named without their k8s.io.api. or",
        "// k8s.io.apimachinery.pkg.apis. prefix; fields in field-number order.",
        "",
        "extension ProtobufFieldTable {",
        "    private typealias F = ProtobufField",
        "",
        "    /// Kind → its message and the apiVersion a body must carry (nil: any, for meta types).",
        "    static let kinds: [String: (message: String, apiVersion: String?)] = [",
    ]
    for kind, message, api_version in sorted(KINDS):
        version = f'"{api_version}"' if api_version else "nil"
        out.append(f'        "{kind}": ("{message}", {version}),')
    out += ["    ]", "", "    /// Message name → its fields.", "    static let messages: [String: [ProtobufField]] = ["]
    for message in sorted(messages):
        fields = TABLE[full_name(message)]
        rendered = [swift_field(message, int(n), *fields[n]) for n in sorted(fields, key=int)]
        out.append(f'        "{message}": [')
        out += wrap(rendered, " " * 12)
        out.append("        ],")
    out += ["    ]", "}", ""]
    return "\n".join(out)


def main():
    global TABLE
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_INPUT
    if not os.path.isfile(path):
        fail(f"no field table at {path}; pass its path as the first argument")
    with open(path, encoding="utf-8") as f:
        TABLE = json.load(f)
    roots = [full_name(message) for _, message, _ in KINDS] + [full_name(m) for m in EXTRA_ROOTS]
    reachable = reachable_messages(roots)
    check_acyclic(reachable)
    messages = {short_name(m) for m in reachable}
    check_hand_lists(messages)
    text = render(messages)
    with open(OUTPUT, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {os.path.relpath(OUTPUT, REPO_ROOT)}: {len(messages)} messages, {len(text)} bytes")


TABLE = {}

if __name__ == "__main__":
    main()
