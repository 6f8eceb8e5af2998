/// One `columnDefinitions[]` entry of a meta.k8s.io/v1 Table.
public struct TableColumn: Sendable, Equatable {
    /// Header text, e.g. `Name`; kubectl upper-cases it.
    public var name: String
    /// OpenAPI type of the cells: `string`, `integer`, `boolean`, `number`.
    public var type: String
    /// OpenAPI format; `name` marks the column that holds the object's name.
    public var format: String
    /// Human-readable description.
    public var description: String
    /// 0 for the default view, 1 for columns shown only with `-o wide`.
    public var priority: Int

    public init(_ name: String, type: String = "string", format: String = "", priority: Int = 0, _ description: String) {
        self.name = name
        self.type = type
        self.format = format
        self.description = description
        self.priority = priority
    }

    /// The JSON form sent to clients.
    public var json: JSONValue {
        ["name": .string(name), "type": .string(type), "format": .string(format),
         "description": .string(description), "priority": .int(Int64(priority))]
    }

    static let name = TableColumn("Name", format: "name", "Name must be unique within a namespace.")
    static let age = TableColumn("Age", "Time since the object was created (metadata.creationTimestamp).")
    static let containers = TableColumn("Containers", priority: 1, "Names of each container in the template.")
    static let images = TableColumn("Images", priority: 1, "Images referenced by each container in the template.")
    static func selector(_ description: String) -> TableColumn {
        TableColumn("Selector", priority: 1, description)
    }
}
