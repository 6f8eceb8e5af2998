extension TableRenderer {
    /// Upstream's horizontalPodAutoscalerColumnDefinitions (kubectl prints NAME, REFERENCE,
    /// TARGETS, MINPODS, MAXPODS, REPLICAS, AGE).
    static let horizontalPodAutoscalerColumns: [TableColumn] = [
        .name,
        TableColumn("Reference", "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count."),
        TableColumn("Targets", "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used)."),
        TableColumn("MinPods", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down."),
        TableColumn("MaxPods", type: "integer", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up."),
        TableColumn("Replicas", type: "integer", "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler."),
        .age,
    ]

    func horizontalPodAutoscalerCells(_ hpa: PrintedObject) -> [JSONValue] {
        let reference = "\(hpa.string("spec", "scaleTargetRef", "kind"))/\(hpa.string("spec", "scaleTargetRef", "name"))"
        let minPods = hpa.value(["spec", "minReplicas"])?.int.map(String.init) ?? "<unset>"
        return [.string(hpa.name), .string(reference),
                .string(Self.hpaTargets(hpa.array("spec", "metrics"), hpa.array("status", "currentMetrics"))),
                .string(minPods), .int(hpa.int("spec", "maxReplicas")), .int(hpa.int("status", "currentReplicas")), age(hpa)]
    }

    /// Upstream's formatHPAMetrics: `cpu: 12%/50%`, `memory: 10Mi/64Mi`, at most two then
    /// `+ N more...`; `<unknown>` for a value not measured yet, `<none>` without metrics.
    static func hpaTargets(_ specs: [JSONValue], _ statuses: [JSONValue]) -> String {
        if specs.isEmpty { return "<none>" }
        func quantity(_ value: JSONValue?) -> String? {
            guard let value, !value.isNull else { return nil }
            return (try? Quantity(json: value)).map(\.description)
        }
        var list: [String] = []
        for (i, spec) in specs.enumerated() {
            let type = spec["type"]?.string ?? ""
            let key = MetricSpecView.sourceKey(type)
            let source = spec[key] ?? .emptyObject
            let target = source["target"] ?? .emptyObject
            let current = i < statuses.count ? statuses[i][key]?["current"] : nil
            switch type {
            case "Resource", "ContainerResource":
                let name = source["name"]?.string ?? ""
                if let average = quantity(target["averageValue"]) {
                    list.append("\(name): \(quantity(current?["averageValue"]) ?? "<unknown>")/\(average)")
                } else {
                    let now = current?["averageUtilization"]?.int.map { "\($0)%" } ?? "<unknown>"
                    let wanted = target["averageUtilization"]?.int.map { "\($0)%" } ?? "<auto>"
                    list.append("\(name): \(now)/\(wanted)")
                }
            case "Pods":
                list.append("\(quantity(current?["averageValue"]) ?? "<unknown>")/\(quantity(target["averageValue"]) ?? "0")")
            case "Object", "External":
                if let average = quantity(target["averageValue"]) {
                    list.append("\(quantity(current?["averageValue"]) ?? "<unknown>")/\(average) (avg)")
                } else {
                    list.append("\(quantity(current?["value"]) ?? "<unknown>")/\(quantity(target["value"]) ?? "0")")
                }
            default:
                list.append("<unknown type>")
            }
        }
        guard list.count > 2 else { return list.joined(separator: ", ") }
        return list.prefix(2).joined(separator: ", ") + " + \(list.count - 2) more..."
    }
}
