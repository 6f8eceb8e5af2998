import Foundation

extension TableRenderer {
    static let nodeColumns: [TableColumn] = [
        .name,
        TableColumn("Status", "The status of the node"),
        TableColumn("Roles", "The roles of the node"),
        .age,
        TableColumn("Version", "Kubelet Version reported by the node."),
        TableColumn("Internal-IP", priority: 1, "The node's first InternalIP address."),
        TableColumn("External-IP", priority: 1, "The node's first ExternalIP address."),
        TableColumn("OS-Image", priority: 1, "OS Image reported by the node."),
        TableColumn("Kernel-Version", priority: 1, "Kernel Version reported by the node."),
        TableColumn("Container-Runtime", priority: 1, "ContainerRuntime Version reported by the node."),
    ]

    static let priorityClassColumns: [TableColumn] = [
        .name,
        TableColumn("Value", type: "integer", "Value is the integer value of this priority class."),
        TableColumn("Global-Default", type: "boolean", "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class."),
        .age,
        TableColumn("PreemptionPolicy", "preemptionPolicy is the Policy for preempting pods with lower priority."),
    ]

    static let leaseColumns: [TableColumn] = [
        .name, TableColumn("Holder", "holderIdentity contains the identity of the holder of a current lease."), .age,
    ]

    static let namespaceColumns: [TableColumn] = [
        .name, TableColumn("Status", "The status of the namespace"), .age,
    ]

    static let eventColumns: [TableColumn] = [
        TableColumn("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
        TableColumn("Type", "Type of this event (Normal, Warning)."),
        TableColumn("Reason", "Short, machine understandable reason for the transition into the object's current status."),
        TableColumn("Object", "The object that this event is about."),
        TableColumn("Subobject", priority: 1, "The part of the object this event is about, e.g. a container."),
        TableColumn("Source", priority: 1, "The component reporting this event."),
        TableColumn("Message", "A human-readable description of the status of this operation."),
        TableColumn("First Seen", priority: 1, "The time at which the event was first recorded."),
        TableColumn("Count", priority: 1, "The number of times this event has occurred."),
        TableColumn("Name", format: "name", priority: 1, "Name must be unique within a namespace."),
    ]

    func nodeCells(_ node: PrintedObject) -> [JSONValue] {
        var status: [String]
        switch node.conditionStatus("Ready", in: "status", "conditions") {
        case "True": status = ["Ready"]
        case .some: status = ["NotReady"]
        case nil: status = ["Unknown"]
        }
        if node.value(["spec", "unschedulable"])?.bool == true { status.append("SchedulingDisabled") }
        var roles = Set<String>()
        for (key, value) in node.labels {
            if key.hasPrefix("node-role.kubernetes.io/") {
                let role = String(key.dropFirst("node-role.kubernetes.io/".count))
                if !role.isEmpty { roles.insert(role) }
            } else if key == "kubernetes.io/role", !value.isEmpty {
                roles.insert(value)
            }
        }
        func address(_ type: String) -> String {
            node.array("status", "addresses").first { $0["type"]?.string == type }?["address"]?.string ?? "<none>"
        }
        func info(_ field: String) -> String {
            let value = node.string("status", "nodeInfo", field)
            return value.isEmpty ? "<unknown>" : value
        }
        return [
            .string(node.name), .string(status.joined(separator: ",")), .string(roles.sorted().joined(separator: ",").orNone),
            age(node), .string(node.string("status", "nodeInfo", "kubeletVersion")),
            .string(address("InternalIP")), .string(address("ExternalIP")),
            .string(info("osImage")), .string(info("kernelVersion")), .string(info("containerRuntimeVersion")),
        ]
    }

    func priorityClassCells(_ priorityClass: PrintedObject) -> [JSONValue] {
        [.string(priorityClass.name), .int(priorityClass.int("value")), .bool(priorityClass.json["globalDefault"]?.bool ?? false),
         age(priorityClass), .string(priorityClass.string("preemptionPolicy"))]
    }

    func namespaceCells(_ namespace: PrintedObject) -> [JSONValue] {
        [.string(namespace.name), .string(namespace.string("status", "phase")), age(namespace)]
    }

    func eventCells(_ event: PrintedObject) -> [JSONValue] {
        let firstSeen = since(event.time("firstTimestamp") ?? event.time("eventTime"))
        var lastSeen = event.has("lastTimestamp") ? since(event.time("lastTimestamp")) : firstSeen
        var count = event.int("count")
        if event.has("series") {
            lastSeen = since(event.time("series", "lastObservedTime"))
            count = event.int("series", "count")
        } else if count == 0 {
            count = 1  // singleton events of the newer API carry no count
        }
        let kind = event.string("involvedObject", "kind").lowercased()
        let name = event.string("involvedObject", "name")
        let component = event.string("source", "component").orElse(event.string("reportingComponent"))
        let host = event.string("source", "host").orElse(event.string("reportingInstance"))
        return [
            .string(lastSeen), .string(event.string("type")), .string(event.string("reason")),
            .string(name.isEmpty ? kind : "\(kind)/\(name)"), .string(event.string("involvedObject", "fieldPath")),
            .string(host.isEmpty ? component : "\(component), \(host)"),
            .string(event.string("message").trimmingCharacters(in: .whitespacesAndNewlines)),
            .string(firstSeen), .int(count), .string(event.name),
        ]
    }
}

private extension String {
    func orElse(_ other: String) -> String { isEmpty ? other : self }
}
