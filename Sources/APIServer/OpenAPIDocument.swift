import Model

/// The minimal OpenAPI v3 documents that let `kubectl create -f` and `apply -f` validate on the
/// server (KUBE-API.md §5): one PATCH operation per kind carrying its group-version-kind and a
/// `fieldValidation` parameter, so kubectl sends `fieldValidation=Strict` and we check fields.
enum OpenAPIDocument {
    /// Path of each group-version document, as listed in the index.
    static let groupVersionPaths: [(path: String, group: String)] = [("api/v1", ""), ("apis/batch/v1", "batch"), ("apis/apps/v1", "apps"),
                                                                          ("apis/policy/v1", "policy"),
                                                                          ("apis/autoscaling/v2", "autoscaling"),
                                                                          ("apis/autoscaling/v1", "autoscaling"),
                                                                          ("apis/scheduling.k8s.io/v1", "scheduling.k8s.io"),
                                                                          ("apis/coordination.k8s.io/v1", "coordination.k8s.io"),
                                                                          ("apis/scheduling.x-k8s.io/v1alpha1", "scheduling.x-k8s.io"),
                                                                          ("apis/kueue.x-k8s.io/v1beta1", Kueue.group)]

    /// `GET /openapi/v3`.
    static var index: JSONValue {
        var paths = JSONObject()
        for gv in groupVersionPaths { paths[gv.path] = ["serverRelativeURL": .string("/openapi/v3/\(gv.path)")] }
        return ["paths": .object(paths)]
    }

    /// `GET /openapi/v3/{api/v1|apis/G/V}`, or nil for a group-version not served.
    static func document(for path: String) -> JSONValue? {
        guard let gv = groupVersionPaths.first(where: { $0.path == path }) else { return nil }
        var paths = JSONObject()
        let version = path.split(separator: "/").last.map(String.init) ?? ""
        for info in ResourceCatalog.served where info.group == gv.group && info.version == version {
            let itemPath = info.namespaced
                ? "\(info.groupVersionPath)/namespaces/{namespace}/\(info.plural)/{name}"
                : "\(info.groupVersionPath)/\(info.plural)/{name}"
            let operation: JSONValue = [
                "x-kubernetes-group-version-kind": ["group": .string(info.group), "version": .string(info.version), "kind": .string(info.kind)],
                "parameters": [["name": "fieldValidation", "in": "query", "schema": ["type": "string"]],
                               ["name": "dryRun", "in": "query", "schema": ["type": "string"]]],
                "responses": ["200": ["description": "OK"]],
            ]
            paths[itemPath] = ["patch": operation]
        }
        return ["openapi": "3.0.0", "info": ["title": "Drover", "version": "v1.32.0"], "paths": .object(paths)]
    }
}
