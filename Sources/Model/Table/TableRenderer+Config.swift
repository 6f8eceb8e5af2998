extension TableRenderer {
    /// Upstream's secretColumnDefinitions: `kubectl get secrets` prints NAME, TYPE, DATA, AGE.
    static let secretColumns: [TableColumn] = [
        .name,
        TableColumn("Type", "The type of the secret"),
        TableColumn("Data", type: "integer", "The number of items in the secret"),
        .age,
    ]

    /// Upstream's configMapColumnDefinitions: NAME, DATA, AGE.
    static let configMapColumns: [TableColumn] = [
        .name,
        TableColumn("Data", type: "integer", "Number of data in the configmap"),
        .age,
    ]

    /// The count only: a Table never carries a Secret's values.
    func secretCells(_ secret: PrintedObject) -> [JSONValue] {
        let count = secret.value(["data"])?.object?.count ?? 0
        return [.string(secret.name), .string(secret.string("type")), .int(Int64(count)), age(secret)]
    }

    /// Upstream counts `data` and `binaryData` together.
    func configMapCells(_ map: PrintedObject) -> [JSONValue] {
        let count = (map.value(["data"])?.object?.count ?? 0) + (map.value(["binaryData"])?.object?.count ?? 0)
        return [.string(map.name), .int(Int64(count)), age(map)]
    }
}
