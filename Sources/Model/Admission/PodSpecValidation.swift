/// Validation of a PodSpec, in pods and in the templates of Jobs, CronJobs and the apps kinds.
enum PodSpecValidation {
    static let restartPolicies = ["Always", "OnFailure", "Never"]
    static let dnsPolicies = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]
    static let volumeSources = ["hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret",
                                "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs",
                                "flocker", "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume", "quobyte",
                                "azureDisk", "photonPersistentDisk", "portworxVolume", "scaleIO", "projected", "storageos",
                                "csi", "ephemeral", "image"]

    /// Validates the PodSpec at `path`.
    static func validate(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) {
        let spec = errors.object(value, path) ?? .emptyObject
        let volumes = validateVolumes(spec["volumes"], path.child("volumes"), into: &errors)

        var names = Set<String>()
        for key in ["initContainers", "containers"] {
            let listPath = path.child(key)
            let containers = errors.array(spec[key], listPath) ?? []
            if key == "containers" && containers.isEmpty { errors.required(listPath) }
            for (i, element) in containers.enumerated() {
                guard let container = errors.object(element, listPath.index(i)) else { continue }
                ContainerValidation.validate(container, listPath.index(i), volumes: volumes, isInit: key == "initContainers", into: &errors)
                if let name = container["name"]?.string, !name.isEmpty, !names.insert(name).inserted {
                    errors.duplicate(listPath.index(i).child("name"), .string(name))
                }
            }
        }

        errors.oneOf(spec["restartPolicy"], path.child("restartPolicy"), restartPolicies, required: true)
        errors.oneOf(spec["dnsPolicy"], path.child("dnsPolicy"), dnsPolicies, required: true)
        errors.nonNegativeInt(spec["terminationGracePeriodSeconds"], path.child("terminationGracePeriodSeconds"))
        if let deadline = errors.int(spec["activeDeadlineSeconds"], path.child("activeDeadlineSeconds")),
           deadline < 1 || deadline > Int64(Int32.max) {
            errors.invalid(path.child("activeDeadlineSeconds"), .int(deadline), "must be between 1 and 2147483647, inclusive")
        }
        if let node = errors.string(spec["nodeName"], path.child("nodeName")), !node.isEmpty {
            errors.invalid(path.child("nodeName"), node, messages: NameRules.dns1123Subdomain(node))
        }
        for key in ["schedulerName", "serviceAccountName", "hostname", "subdomain", "priorityClassName", "preemptionPolicy"] {
            _ = errors.string(spec[key], path.child(key))
        }
        _ = errors.int(spec["priority"], path.child("priority"))
        for key in ["hostNetwork", "hostPID", "hostIPC", "enableServiceLinks", "automountServiceAccountToken"] {
            _ = errors.bool(spec[key], path.child(key))
        }
        _ = errors.object(spec["securityContext"], path.child("securityContext"))
        MetadataValidation.validateLabels(spec["nodeSelector"], path.child("nodeSelector"), into: &errors)
        SchedulingValidation.validateTolerations(spec["tolerations"], path.child("tolerations"), into: &errors)
        SchedulingValidation.validateAffinity(spec["affinity"], path.child("affinity"), into: &errors)
    }

    /// Validates volumes and returns their names.
    private static func validateVolumes(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) -> Set<String> {
        var names = Set<String>()
        for (i, element) in (errors.array(value, path) ?? []).enumerated() {
            let itemPath = path.index(i)
            guard let volume = errors.object(element, itemPath) else { continue }
            let name = errors.string(volume["name"], itemPath.child("name")) ?? ""
            if name.isEmpty {
                errors.required(itemPath.child("name"))
            } else {
                errors.invalid(itemPath.child("name"), name, messages: NameRules.dns1123Label(name))
                if !names.insert(name).inserted { errors.duplicate(itemPath.child("name"), .string(name)) }
            }
            let sources = volumeSources.filter { volume[$0] != nil && volume[$0] != .null }
            if sources.isEmpty {
                errors.required(itemPath, "must specify a volume type")
            }
            for extra in sources.dropFirst() {
                errors.forbidden(itemPath.child(extra), "may not specify more than 1 volume type")
            }
            ConfigSourceValidation.validateVolume(volume, itemPath, into: &errors)
            if let emptyDir = errors.object(volume["emptyDir"], itemPath.child("emptyDir")) {
                _ = errors.string(emptyDir["medium"], itemPath.child("emptyDir", "medium"))
            }
            if let hostPath = errors.object(volume["hostPath"], itemPath.child("hostPath")),
               (errors.string(hostPath["path"], itemPath.child("hostPath", "path")) ?? "").isEmpty {
                errors.required(itemPath.child("hostPath", "path"))
            }
        }
        return names
    }

    /// A pod template: labels and annotations of its metadata, then the spec.
    static func validateTemplate(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) {
        let template = errors.object(value, path) ?? .emptyObject
        if let metadata = errors.object(template["metadata"], path.child("metadata")) {
            MetadataValidation.validateLabels(metadata["labels"], path.child("metadata", "labels"), into: &errors)
            MetadataValidation.validateAnnotations(metadata["annotations"], path.child("metadata", "annotations"), into: &errors)
        }
        validate(template["spec"], path.child("spec"), into: &errors)
    }
}
