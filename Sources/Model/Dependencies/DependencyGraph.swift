/// Cycles among Jobs that name each other in `drover.dev/depends-on` (pure; the API server looks
/// the Jobs up in its store).
public enum DependencyGraph {
    /// A shortest cycle through `start`: a path `start → … → start` reached by following the Jobs
    /// `start` would depend on (`first`) and then the stored dependencies of each Job on the way.
    /// `dependencies` gives the Job names a stored Job depends on (nil or empty when it has none or
    /// does not exist). At most `limit` Jobs are looked up; a graph larger than that is not searched
    /// further (nil).
    public static func cycle(from start: String, through first: [String], dependencies: (String) -> [String]?,
                             limit: Int = 10_000) -> [String]? {
        // Breadth first, remembering how each Job was reached, so the reported cycle is a shortest one.
        var reachedFrom: [String: String] = [:]
        var queue: [String] = []
        for name in first where reachedFrom[name] == nil {
            reachedFrom[name] = start
            queue.append(name)
        }
        var head = 0
        var lookups = 0
        while head < queue.count {
            let name = queue[head]
            head += 1
            if name == start { return path(to: start, reachedFrom: reachedFrom, start: start) }
            guard lookups < limit else { return nil }
            lookups += 1
            for next in dependencies(name) ?? [] where reachedFrom[next] == nil {
                reachedFrom[next] = name
                queue.append(next)
            }
        }
        return nil
    }

    /// `start → a → b → start` from the parent links (the last hop is the link into `start`).
    private static func path(to end: String, reachedFrom: [String: String], start: String) -> [String] {
        var reversed = [end]
        var current = reachedFrom[end] ?? start
        while current != start {
            reversed.append(current)
            current = reachedFrom[current] ?? start
        }
        reversed.append(start)
        return reversed.reversed()
    }
}
