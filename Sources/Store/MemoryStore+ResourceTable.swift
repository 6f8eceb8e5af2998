import Model

extension MemoryStore {
    /// An object's place within its resource. Ordered by namespace, then name, comparing UTF-8
    /// bytes (the order of PostgreSQL's "C" collation), which is the order lists return.
    struct Name: Hashable, Comparable {
        var namespace: String
        var name: String

        init(namespace: String, name: String) {
            self.namespace = namespace
            self.name = name
        }

        init(_ key: ObjectKey) { self.init(namespace: key.namespace, name: key.name) }

        static func < (a: Name, b: Name) -> Bool {
            if a.namespace != b.namespace { return a.namespace.utf8.lexicographicallyPrecedes(b.namespace.utf8) }
            return a.name.utf8.lexicographicallyPrecedes(b.name.utf8)
        }
    }

    /// One retained version of an object: the change that produced it and its body as a tree, kept
    /// so selectors match without re-parsing.
    struct Revision {
        var change: Change
        var body: JSONValue

        var resourceVersion: Int64 { change.resourceVersion }
        var isDeletion: Bool { change.type == .deleted }
    }

    /// The objects of one resource with their retained history, names kept sorted so lists and
    /// continue tokens walk them in order.
    struct ResourceTable {
        /// Every name with retained history, sorted.
        private(set) var names: [Name] = []
        /// Each name's revisions, oldest first.
        private var histories: [Name: [Revision]] = [:]

        /// True when no history is retained at all.
        var isEmpty: Bool { names.isEmpty }

        /// The live revision of `name`, or nil when it does not exist now.
        func current(_ name: Name) -> Revision? {
            guard let last = histories[name]?.last, !last.isDeletion else { return nil }
            return last
        }

        /// The revision of `name` that was live at `resourceVersion`, or nil when it did not exist then.
        func revision(of name: Name, at resourceVersion: Int64) -> Revision? {
            guard let revision = histories[name]?.last(where: { $0.resourceVersion <= resourceVersion }),
                  !revision.isDeletion else { return nil }
            return revision
        }

        /// Appends the newest revision of `name`.
        mutating func append(_ revision: Revision, for name: Name) {
            if histories[name] == nil { names.insert(name, at: firstIndex(notBefore: name)) }
            histories[name, default: []].append(revision)
        }

        /// Drops revisions at or below `point`, except each name's newest one there unless it is a
        /// deletion, so every state at or after `point` can still be rebuilt.
        mutating func compact(through point: Int64) {
            var kept: [Name] = []
            for name in names {
                guard var history = histories[name] else { continue }
                if let newestOld = history.lastIndex(where: { $0.resourceVersion <= point }) {
                    history.removeFirst(history[newestOld].isDeletion ? newestOld + 1 : newestOld)
                }
                histories[name] = history.isEmpty ? nil : history
                if !history.isEmpty { kept.append(name) }
            }
            names = kept
        }

        /// The index of the first name that is not ordered before `name`.
        func firstIndex(notBefore name: Name) -> Int {
            var low = 0
            var high = names.count
            while low < high {
                let mid = (low + high) / 2
                if names[mid] < name { low = mid + 1 } else { high = mid }
            }
            return low
        }

        /// The index of the first name ordered after `name`.
        func firstIndex(after name: Name) -> Int {
            let index = firstIndex(notBefore: name)
            return index < names.count && names[index] == name ? index + 1 : index
        }
    }
}
