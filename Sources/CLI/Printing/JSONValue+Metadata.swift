import Model

extension JSONValue {
    /// `metadata.name`, `""` when absent.
    var objectName: String { value(at: ["metadata", "name"])?.string ?? "" }
    /// `metadata.namespace`, `""` when absent (cluster-scoped objects).
    var objectNamespace: String { value(at: ["metadata", "namespace"])?.string ?? "" }
}
