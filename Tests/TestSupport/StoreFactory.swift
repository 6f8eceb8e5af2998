import Store

/// A named way to make a fresh, empty `ObjectStore`. The store contract suite runs every test once
/// per factory in `all`, so a new implementation is covered by appending its factory there.
public struct StoreFactory: Sendable, CustomStringConvertible {
    /// Shown in test names, e.g. `memory`.
    public let name: String
    /// Makes a new store that shares nothing with stores made before (tests run in parallel).
    public let make: @Sendable () throws -> any ObjectStore

    public init(name: String, make: @escaping @Sendable () throws -> any ObjectStore) {
        self.name = name
        self.make = make
    }

    public var description: String { name }

    /// In-process `MemoryStore`s.
    public static let memory = StoreFactory(name: "memory") { MemoryStore() }

    /// `PostgresStore`s, each on a fresh database of the shared test cluster.
    public static let postgres = StoreFactory(name: "postgres") { try TemporaryPostgres.makeStore() }

    /// `RecentObjectsStore`s over in-process `MemoryStore`s: the memory of recent objects must not
    /// change any answer of the contract.
    public static let recent = StoreFactory(name: "recent") { RecentObjectsStore(MemoryStore()) }

    /// Every store implementation the contract suite runs against.
    public static var all: [StoreFactory] { [memory, recent, postgres] }
}
