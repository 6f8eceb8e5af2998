import Model

/// The `Pod Template:` block of Job and CronJob descriptions (kubectl's `DescribePodTemplate`).
enum PodTemplateSection {
    static func write(_ template: JSONValue?, to w: inout DescribeWriter) {
        let template = template ?? .emptyObject
        let meta = ObjectMetaView(template["metadata"])
        let spec = template["spec"] ?? .emptyObject
        w.line(0, "Pod Template:")
        w.map(1, "Labels", meta.labels)
        if !meta.annotations.isEmpty { w.map(1, "Annotations", meta.annotations) }
        if let account = spec["serviceAccountName"]?.string, !account.isEmpty { w.line(1, "Service Account:", account) }
        for (title, key) in [("Init Containers", "initContainers"), ("Containers", "containers")] {
            guard let containers = spec[key]?.array, !containers.isEmpty else { continue }
            w.line(1, "\(title):")
            for container in containers {
                // kubectl indents template container names by three spaces.
                w.append(["   \(container["name"]?.string ?? ""):"])
                w.line(2, "Image:", container["image"]?.string ?? "")
                let ports = container["ports"]?.array ?? []
                w.line(2, "Port:", ports.isEmpty ? "<none>" : ports.map { DescribeFormat.scalar($0["containerPort"] ?? .null) + "/TCP" }.joined(separator: ", "))
                w.line(2, "Host Port:", ports.isEmpty ? "<none>" : ports.map { DescribeFormat.scalar($0["hostPort"] ?? .int(0)) + "/TCP" }.joined(separator: ", "))
                w.list(2, "Command", container["command"]?.array?.compactMap(\.string) ?? [])
                w.list(2, "Args", container["args"]?.array?.compactMap(\.string) ?? [])
                w.quantities(2, "Limits", container.value(at: ["resources", "limits"]))
                w.quantities(2, "Requests", container.value(at: ["resources", "requests"]))
                let env = container["env"]?.array ?? []
                if env.isEmpty { w.line(2, "Environment:", "<none>") } else {
                    w.line(2, "Environment:")
                    for variable in env { w.line(3, "\(variable["name"]?.string ?? ""):", variable["value"]?.string ?? "(from a source)") }
                }
                let mounts = container["volumeMounts"]?.array ?? []
                w.line(2, "Mounts:", mounts.isEmpty ? "<none>" : mounts.compactMap { $0["mountPath"]?.string }.joined(separator: ", "))
            }
        }
        let volumes = spec["volumes"]?.array?.compactMap { $0["name"]?.string } ?? []
        w.line(1, "Volumes:", volumes.isEmpty ? "<none>" : volumes.joined(separator: ", "))
        let selectors = spec["nodeSelector"]?.stringMap ?? [:]
        w.line(1, "Node-Selectors:", selectors.isEmpty ? "<none>" : selectors.keys.sorted().map { "\($0)=\(selectors[$0] ?? "")" }.joined(separator: ","))
        let tolerations = spec["tolerations"]?.array ?? []
        w.line(1, "Tolerations:", tolerations.isEmpty ? "<none>" : tolerations.compactMap { $0["key"]?.string }.joined(separator: ", "))
    }
}
