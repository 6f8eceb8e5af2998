import Model

/// Aggregated discovery (apidiscovery.k8s.io, KUBE-API.md §3): `/api` and `/apis` answer with
/// every resource of every group-version in one APIGroupDiscoveryList when the Accept header asks
/// for it, so kubectl needs two discovery requests per run instead of six.
extension Discovery {
    /// The aggregated version (`v2` or `v2beta1`) the Accept header asks for first, or nil when it
    /// asks only for the legacy documents.
    static func aggregatedVersion(accept: String) -> String? {
        for range in accept.split(separator: ",") {
            let params = range.split(separator: ";").map { $0.trimmingSpaces }
            guard params.first == "application/json", params.contains("g=apidiscovery.k8s.io"),
                  params.contains("as=APIGroupDiscoveryList") else { continue }
            for param in params where param == "v=v2" || param == "v=v2beta1" { return String(param.dropFirst(2)) }
        }
        return nil
    }

    /// The Content-Type of an aggregated answer; kubectl reads a plain JSON one as legacy.
    static func aggregatedMediaType(_ version: String) -> String {
        "application/json;g=apidiscovery.k8s.io;v=\(version);as=APIGroupDiscoveryList"
    }

    /// `GET /api` (`core`: one item named "") or `GET /apis` as an APIGroupDiscoveryList.
    static func aggregated(core: Bool, version: String) -> JSONValue {
        let served = core ? [(group: "", version: "v1")] : groups
        let names = core ? [""] : groupNames
        let items: [JSONValue] = names.map { group in
            let versions: [JSONValue] = served.filter { $0.group == group }.map { _, version in
                let resources = aggregatedExtras(group)
                    + ResourceCatalog.served.filter { $0.group == group && $0.version == version }.map(aggregatedResource)
                return ["version": .string(version), "freshness": "Current", "resources": .array(resources)]
            }
            return ["metadata": ["name": .string(group)], "versions": .array(versions)]
        }
        return ["kind": "APIGroupDiscoveryList", "apiVersion": .string("apidiscovery.k8s.io/\(version)"), "metadata": .emptyObject,
                "items": .array(items)]
    }

    /// The extra resources of a group (`extraResources`), each `parent/sub` entry nested in its parent.
    private static func aggregatedExtras(_ group: String) -> [JSONValue] {
        let entries = extraResources(group)
        return entries.filter { !($0["name"]?.string ?? "").contains("/") }.map { parent in
            let name = parent["name"]?.string ?? ""
            let subresources = entries.compactMap { entry -> (String, JSONValue)? in
                guard let full = entry["name"]?.string, full.hasPrefix(name + "/") else { return nil }
                return (String(full.dropFirst(name.count + 1)), entry)
            }
            return aggregatedResource(legacy: parent, subresources: subresources)
        }
    }

    private static func aggregatedResource(_ info: ResourceInfo) -> JSONValue {
        aggregatedResource(legacy: entry(info), subresources: info.subresources.map { ($0, subresourceEntry(info, $0)) })
    }

    /// The aggregated form of a legacy APIResource entry and its subresources' entries.
    private static func aggregatedResource(legacy: JSONValue, subresources: [(String, JSONValue)]) -> JSONValue {
        func responseKind(_ entry: JSONValue) -> JSONValue {
            ["group": entry["group"] ?? "", "version": entry["version"] ?? "", "kind": entry["kind"] ?? ""]
        }
        var resource: JSONValue = ["resource": legacy["name"] ?? "", "responseKind": responseKind(legacy),
                                   "scope": legacy["namespaced"] == true ? "Namespaced" : "Cluster",
                                   "singularResource": legacy["singularName"] ?? "", "verbs": legacy["verbs"] ?? []]
        resource["shortNames"] = legacy["shortNames"]
        resource["categories"] = legacy["categories"]
        if !subresources.isEmpty {
            resource["subresources"] = .array(subresources.map { name, entry in
                ["subresource": .string(name), "responseKind": responseKind(entry), "verbs": entry["verbs"] ?? []]
            })
        }
        return resource
    }
}
