extension TableRenderer {
    static let deploymentColumns: [TableColumn] = [
        .name,
        TableColumn("Ready", "Number of the pod with ready state"),
        TableColumn("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
        TableColumn("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
        .age, .containers, .images,
        .selector("Label selector for pods."),
    ]

    static let replicaSetColumns: [TableColumn] = [
        .name,
        TableColumn("Desired", type: "integer", "The number of desired replicas."),
        TableColumn("Current", type: "integer", "The most recently observed number of replicas."),
        TableColumn("Ready", type: "integer", "The number of pods targeted by this ReplicaSet with a Ready Condition."),
        .age, .containers, .images,
        .selector("A label query over pods that should match the replica count."),
    ]

    static let daemonSetColumns: [TableColumn] = [
        .name,
        TableColumn("Desired", type: "integer", "The total number of nodes that should be running the daemon pod."),
        TableColumn("Current", type: "integer", "The number of nodes running at least one daemon pod that are supposed to."),
        TableColumn("Ready", type: "integer", "The number of nodes running the daemon pod with a Ready Condition."),
        TableColumn("Up-to-date", type: "integer", "The total number of nodes running the updated daemon pod."),
        TableColumn("Available", type: "integer", "The number of nodes running the daemon pod that are available."),
        TableColumn("Node Selector", "The node selector of the pod template."),
        .age, .containers, .images,
        .selector("A label query over pods that are managed by the daemon set."),
    ]

    /// `spec.replicas`, which defaults to 1 when unset.
    private func desiredReplicas(_ o: PrintedObject) -> Int64 {
        o.has("spec", "replicas") ? o.int("spec", "replicas") : 1
    }

    func deploymentCells(_ deployment: PrintedObject) -> [JSONValue] {
        let (names, images) = CellText.containers(ofPodSpec: deployment.value(["spec", "template", "spec"]))
        let selector = CellText.selector(deployment.value(["spec", "selector"]), ifEmpty: "", ifInvalid: "<invalid>")
        return [
            .string(deployment.name),
            .string("\(deployment.int("status", "readyReplicas"))/\(desiredReplicas(deployment))"),
            .int(deployment.int("status", "updatedReplicas")), .int(deployment.int("status", "availableReplicas")),
            age(deployment), names, images, .string(selector),
        ]
    }

    func replicaSetCells(_ replicaSet: PrintedObject) -> [JSONValue] {
        let (names, images) = CellText.containers(ofPodSpec: replicaSet.value(["spec", "template", "spec"]))
        return [
            .string(replicaSet.name), .int(desiredReplicas(replicaSet)), .int(replicaSet.int("status", "replicas")),
            .int(replicaSet.int("status", "readyReplicas")), age(replicaSet), names, images,
            .string(CellText.formattedSelector(replicaSet.value(["spec", "selector"]))),
        ]
    }

    func daemonSetCells(_ daemonSet: PrintedObject) -> [JSONValue] {
        let podSpec = daemonSet.value(["spec", "template", "spec"])
        let (names, images) = CellText.containers(ofPodSpec: podSpec)
        let status = ["desiredNumberScheduled", "currentNumberScheduled", "numberReady", "updatedNumberScheduled", "numberAvailable"]
        return [.string(daemonSet.name)]
            + status.map { JSONValue.int(daemonSet.int("status", $0)) }
            + [.string(CellText.labels(podSpec?["nodeSelector"]?.stringMap ?? [:])), age(daemonSet), names, images,
               .string(CellText.formattedSelector(daemonSet.value(["spec", "selector"])))]
    }

    static let controllerRevisionColumns: [TableColumn] = [
        .name,
        TableColumn("Controller", "Controller of the object"),
        TableColumn("Revision", type: "integer", "Revision of the ControllerRevision"),
        .age,
    ]

    /// Upstream's printControllerRevision: the controller as `kind.group/name` (`daemonset.apps/fluentd`).
    func controllerRevisionCells(_ revision: PrintedObject) -> [JSONValue] {
        var controller = "<none>"
        if let ref = ObjectMetaView(revision.value(["metadata"])).controllerReference {
            let group = ref.apiVersion.contains("/") ? String(ref.apiVersion.split(separator: "/")[0]) : ""
            controller = ref.kind.lowercased() + (group.isEmpty ? "" : ".\(group)") + "/" + ref.name
        }
        return [.string(revision.name), .string(controller), .int(revision.int("revision")), age(revision)]
    }
}
