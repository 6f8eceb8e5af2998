extension TableRenderer {
    /// Upstream's podDisruptionBudgetColumnDefinitions (kubectl prints NAME, MIN AVAILABLE,
    /// MAX UNAVAILABLE, ALLOWED DISRUPTIONS, AGE).
    static let podDisruptionBudgetColumns: [TableColumn] = [
        .name,
        TableColumn("Min Available", "The minimum number of pods that must be available."),
        TableColumn("Max Unavailable", "The maximum number of pods that may be unavailable."),
        TableColumn("Allowed Disruptions", type: "integer", "Calculated number of pods that may be disrupted at this time."),
        .age,
    ]

    func podDisruptionBudgetCells(_ pdb: PrintedObject) -> [JSONValue] {
        /// An IntOrString as Go's `String()` prints it; `N/A` when unset.
        func budget(_ key: String) -> JSONValue {
            switch pdb.value(["spec", key]) {
            case .string(let text): return .string(text)
            case let value?: return .string(value.int.map(String.init) ?? "N/A")
            case nil: return "N/A"
            }
        }
        return [.string(pdb.name), budget("minAvailable"), budget("maxUnavailable"),
                .int(pdb.int("status", "disruptionsAllowed")), age(pdb)]
    }
}
