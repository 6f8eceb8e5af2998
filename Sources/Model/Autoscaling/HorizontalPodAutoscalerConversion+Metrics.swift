/// The metric entries of the conversion: autoscaling/v2 MetricSpec/MetricStatus ↔ the shapes
/// autoscaling/v1 keeps in its annotations (`targetAverageUtilization`, `metricName`, ...), field
/// for field as upstream's conversion functions map them. Specs carry their numbers under
/// `target` (v1: `target…`), statuses under `current` (v1: `current…`).
extension HorizontalPodAutoscalerConversion {
    private static let sourceKeys: Set<String> = ["resource", "containerResource", "pods", "object", "external"]

    static func v1MetricSpec(_ metric: JSONValue) -> JSONValue { toV1(metric, values: "target") }
    static func v1MetricStatus(_ metric: JSONValue) -> JSONValue { toV1(metric, values: "current") }
    static func v2MetricSpec(_ metric: JSONValue) -> JSONValue { toV2(metric, values: "target") }
    static func v2MetricStatus(_ metric: JSONValue) -> JSONValue { toV2(metric, values: "current") }

    /// v2 member → v1 member of a source's numbers (`prefix` is `target` or `current`); Object
    /// sources keep `averageValue` unprefixed, as v1's ObjectMetricSource/Status spell it.
    private static func valueNames(_ key: String, prefix: String) -> [(v2: String, v1: String)] {
        var names = [("value", prefix + "Value"), ("averageValue", key == "object" ? "averageValue" : prefix + "AverageValue")]
        if key == "resource" || key == "containerResource" { names.append(("averageUtilization", prefix + "AverageUtilization")) }
        return names
    }

    /// v1's non-pointer quantities, which Go always writes (as "0" when unset).
    private static func requiredV1Values(_ key: String, prefix: String) -> [String] {
        switch (key, prefix) {
        case ("pods", "target"): return ["targetAverageValue"]
        case ("object", "target"): return ["targetValue"]
        case ("resource", "current"), ("containerResource", "current"), ("pods", "current"): return ["currentAverageValue"]
        case ("object", "current"), ("external", "current"): return ["currentValue"]
        default: return []
        }
    }

    private static func selectorKey(_ key: String) -> String { key == "external" ? "metricSelector" : "selector" }

    private static func toV1(_ metric: JSONValue, values valuesKey: String) -> JSONValue {
        let type = metric["type"]?.string ?? ""
        let key = MetricSpecView.sourceKey(type)
        guard sourceKeys.contains(key) else { return metric }
        let source = metric[key] ?? .emptyObject
        let values = source[valuesKey] ?? .emptyObject
        var out = JSONObject()
        if key == "resource" || key == "containerResource" {
            out["name"] = source["name"]
            out["container"] = source["container"]
        } else {
            out["metricName"] = source["metric"]?["name"]
            out[selectorKey(key)] = source["metric"]?["selector"]
            if key == "object" { out["target"] = source["describedObject"] }
        }
        for (v2, v1) in valueNames(key, prefix: valuesKey) { out[v1] = values[v2] }
        for required in requiredV1Values(key, prefix: valuesKey) where out[required] == nil { out[required] = "0" }
        return ["type": .string(type), key: .object(out.compacted)]
    }

    private static func toV2(_ metric: JSONValue, values valuesKey: String) -> JSONValue {
        let type = metric["type"]?.string ?? ""
        let key = MetricSpecView.sourceKey(type)
        guard sourceKeys.contains(key) else { return metric }
        let source = metric[key] ?? .emptyObject
        var out = JSONObject()
        if key == "resource" || key == "containerResource" {
            out["name"] = source["name"]
            out["container"] = source["container"]
        } else {
            var identifier = JSONObject()
            identifier["name"] = source["metricName"]
            identifier["selector"] = source[selectorKey(key)]
            out["metric"] = .object(identifier.compacted)
            if key == "object" { out["describedObject"] = source["target"] }
        }
        var values = JSONObject()
        if valuesKey == "target" { values["type"] = .string(targetType(key, source)) }
        for (v2, v1) in valueNames(key, prefix: valuesKey) { values[v2] = source[v1] }
        out[valuesKey] = .object(values.compacted)
        return ["type": .string(type), key: .object(out.compacted)]
    }

    /// The v2 target type a v1 source implies.
    private static func targetType(_ key: String, _ source: JSONValue) -> String {
        switch key {
        case "resource", "containerResource": return source["targetAverageUtilization"] == nil ? "AverageValue" : "Utilization"
        case "pods": return "AverageValue"
        case "object": return source["averageValue"] == nil ? "Value" : "AverageValue"
        default: return source["targetValue"] == nil ? "AverageValue" : "Value"
        }
    }
}

extension JSONObject {
    /// The members that are neither absent nor `null`.
    var compacted: JSONObject { JSONObject(pairs.filter { !$0.value.isNull }.map { ($0.key, $0.value) }) }
}
