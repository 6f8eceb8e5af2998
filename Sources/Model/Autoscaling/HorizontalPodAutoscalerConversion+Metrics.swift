/// The metric entries of the conversion: autoscaling/v2 MetricSpec/MetricStatus ↔ the shapes
/// autoscaling/v1 keeps in its annotations (`targetAverageUtilization`, `metricName`, ...), field
/// for field as upstream's conversion functions map them.
extension HorizontalPodAutoscalerConversion {
    static func v1MetricSpec(_ metric: JSONValue) -> JSONValue {
        let type = metric["type"]?.string ?? ""
        let key = MetricSpecView.sourceKey(type)
        let source = metric[key] ?? .emptyObject
        let target = source["target"] ?? .emptyObject
        var out = JSONObject()
        switch key {
        case "resource", "containerResource":
            out["name"] = source["name"]
            if key == "containerResource" { out["container"] = source["container"] }
            out["targetAverageUtilization"] = target["averageUtilization"]
            out["targetAverageValue"] = target["averageValue"]
        case "pods":
            out["metricName"] = source["metric"]?["name"]
            out["selector"] = source["metric"]?["selector"]
            out["targetAverageValue"] = target["averageValue"] ?? "0"
        case "object":
            out["target"] = source["describedObject"]
            out["metricName"] = source["metric"]?["name"]
            out["selector"] = source["metric"]?["selector"]
            out["targetValue"] = target["value"] ?? "0"
            out["averageValue"] = target["averageValue"]
        case "external":
            out["metricName"] = source["metric"]?["name"]
            out["metricSelector"] = source["metric"]?["selector"]
            out["targetValue"] = target["value"]
            out["targetAverageValue"] = target["averageValue"]
        default:
            return metric
        }
        return ["type": .string(type), key: .object(out.compacted)]
    }

    static func v2MetricSpec(_ metric: JSONValue) -> JSONValue {
        let type = metric["type"]?.string ?? ""
        let key = MetricSpecView.sourceKey(type)
        let source = metric[key] ?? .emptyObject
        var out = JSONObject()
        func identifier(_ selectorKey: String) -> JSONValue {
            var id = JSONObject()
            id["name"] = source["metricName"]
            id["selector"] = source[selectorKey]
            return .object(id.compacted)
        }
        switch key {
        case "resource", "containerResource":
            out["name"] = source["name"]
            if key == "containerResource" { out["container"] = source["container"] }
            var target = JSONObject()
            target["type"] = source["targetAverageUtilization"] == nil ? "AverageValue" : "Utilization"
            target["averageUtilization"] = source["targetAverageUtilization"]
            target["averageValue"] = source["targetAverageValue"]
            out["target"] = .object(target.compacted)
        case "pods":
            out["metric"] = identifier("selector")
            out["target"] = ["type": "AverageValue", "averageValue": source["targetAverageValue"] ?? "0"]
        case "object":
            out["describedObject"] = source["target"]
            out["metric"] = identifier("selector")
            var target = JSONObject()
            target["type"] = source["averageValue"] == nil ? "Value" : "AverageValue"
            target["value"] = source["targetValue"]
            target["averageValue"] = source["averageValue"]
            out["target"] = .object(target.compacted)
        case "external":
            out["metric"] = identifier("metricSelector")
            var target = JSONObject()
            target["type"] = source["targetValue"] == nil ? "AverageValue" : "Value"
            target["value"] = source["targetValue"]
            target["averageValue"] = source["targetAverageValue"]
            out["target"] = .object(target.compacted)
        default:
            return metric
        }
        return ["type": .string(type), key: .object(out.compacted)]
    }

    static func v1MetricStatus(_ metric: JSONValue) -> JSONValue {
        let type = metric["type"]?.string ?? ""
        let key = MetricSpecView.sourceKey(type)
        let source = metric[key] ?? .emptyObject
        let current = source["current"] ?? .emptyObject
        var out = JSONObject()
        switch key {
        case "resource", "containerResource":
            out["name"] = source["name"]
            if key == "containerResource" { out["container"] = source["container"] }
            out["currentAverageUtilization"] = current["averageUtilization"]
            out["currentAverageValue"] = current["averageValue"] ?? "0"
        case "pods":
            out["metricName"] = source["metric"]?["name"]
            out["selector"] = source["metric"]?["selector"]
            out["currentAverageValue"] = current["averageValue"] ?? "0"
        case "object":
            out["target"] = source["describedObject"]
            out["metricName"] = source["metric"]?["name"]
            out["selector"] = source["metric"]?["selector"]
            out["currentValue"] = current["value"] ?? "0"
            out["averageValue"] = current["averageValue"]
        case "external":
            out["metricName"] = source["metric"]?["name"]
            out["metricSelector"] = source["metric"]?["selector"]
            out["currentValue"] = current["value"] ?? "0"
            out["currentAverageValue"] = current["averageValue"]
        default:
            return metric
        }
        return ["type": .string(type), key: .object(out.compacted)]
    }

    static func v2MetricStatus(_ metric: JSONValue) -> JSONValue {
        let type = metric["type"]?.string ?? ""
        let key = MetricSpecView.sourceKey(type)
        let source = metric[key] ?? .emptyObject
        var out = JSONObject()
        var current = JSONObject()
        func identifier(_ selectorKey: String) -> JSONValue {
            var id = JSONObject()
            id["name"] = source["metricName"]
            id["selector"] = source[selectorKey]
            return .object(id.compacted)
        }
        switch key {
        case "resource", "containerResource":
            out["name"] = source["name"]
            if key == "containerResource" { out["container"] = source["container"] }
            current["averageUtilization"] = source["currentAverageUtilization"]
            current["averageValue"] = source["currentAverageValue"]
        case "pods":
            out["metric"] = identifier("selector")
            current["averageValue"] = source["currentAverageValue"]
        case "object":
            out["describedObject"] = source["target"]
            out["metric"] = identifier("selector")
            current["value"] = source["currentValue"]
            current["averageValue"] = source["averageValue"]
        case "external":
            out["metric"] = identifier("metricSelector")
            current["value"] = source["currentValue"]
            current["averageValue"] = source["currentAverageValue"]
        default:
            return metric
        }
        out["current"] = .object(current.compacted)
        return ["type": .string(type), key: .object(out.compacted)]
    }
}

extension JSONObject {
    /// The members that are neither absent nor `null`.
    var compacted: JSONObject { JSONObject(pairs.filter { !$0.value.isNull }.map { ($0.key, $0.value) }) }
}
