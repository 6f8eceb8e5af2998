/// Upstream's slowStartBatch: run creations in batches of 1, 2, 4, … concurrently within a batch,
/// and stop after the first batch in which one failed — so a quota or admission refusal costs one
/// request, not hundreds.
enum SlowStart {
    struct Outcome<Item: Sendable>: Sendable {
        /// Each attempted item with its error (nil: succeeded), in completion order.
        var attempted: [(item: Item, error: (any Error)?)] = []
        /// Items never attempted because an earlier batch failed.
        var skipped = 0
        var failures: [any Error] { attempted.compactMap(\.error) }
    }

    static func run<Item: Sendable>(_ items: [Item], initialBatch: Int = 1,
                                    attempt: @escaping @Sendable (Item) async -> (any Error)?) async -> Outcome<Item> {
        var outcome = Outcome<Item>()
        var next = 0, batch = max(1, initialBatch)
        while next < items.count {
            let slice = Array(items[next..<min(next + batch, items.count)])
            next += slice.count
            let results = await withTaskGroup(of: (Item, (any Error)?).self) { group in
                for item in slice { group.addTask { (item, await attempt(item)) } }
                var all: [(Item, (any Error)?)] = []
                for await result in group { all.append(result) }
                return all
            }
            outcome.attempted += results.map { (item: $0.0, error: $0.1) }
            if results.contains(where: { $0.1 != nil }) {
                outcome.skipped = items.count - next
                return outcome
            }
            batch *= 2
        }
        return outcome
    }
}
