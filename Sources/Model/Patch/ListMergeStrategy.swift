/// How a strategic merge patch combines a list in the patch with the list in the object: upstream's
/// `patchStrategy` / `patchMergeKey` struct tags on the built-in types.
public enum ListMergeStrategy: Sendable, Equatable {
    /// The patch's list replaces the object's (no tag: tolerations, args, command, envFrom, ...).
    case replace
    /// Elements are objects matched by the named key; matches merge, the rest are appended.
    case mergeByKey(String)
    /// Elements are primitives merged as a set: new values are appended, duplicates dropped.
    case mergePrimitives

    /// The strategy for a list field, by its JSON name. List fields keep one meaning across the
    /// built-in kinds Drover serves, so the field name is enough to find the tag.
    public static func forField(_ name: String) -> ListMergeStrategy {
        if let key = mergeKeys[name] { return .mergeByKey(key) }
        return primitiveSets.contains(name) ? .mergePrimitives : .replace
    }

    /// `patchMergeKey` of every `patchStrategy:"merge"` list of objects in core/v1, apps/v1 and
    /// batch/v1 (k8s.io/api types.go).
    static let mergeKeys: [String: String] = [
        // PodSpec
        "containers": "name",
        "initContainers": "name",
        "ephemeralContainers": "name",
        "volumes": "name",
        "imagePullSecrets": "name",
        "hostAliases": "ip",
        "topologySpreadConstraints": "topologyKey",
        "schedulingGates": "name",
        "resourceClaims": "name",
        // Container
        "env": "name",
        "ports": "containerPort",
        "volumeMounts": "mountPath",
        "volumeDevices": "devicePath",
        // ObjectMeta
        "ownerReferences": "uid",
        // Pod, Node, Job, Deployment, ReplicaSet, DaemonSet, Namespace status
        "conditions": "type",
        "podIPs": "ip",
        "hostIPs": "ip",
        "addresses": "type",
    ]

    /// `patchStrategy:"merge"` lists of primitives.
    static let primitiveSets: Set<String> = ["finalizers", "podCIDRs"]
}
