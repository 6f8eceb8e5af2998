import Foundation

/// The resourceVersion each key's object had after this controller's own last write, so a sync can
/// tell that its cache has not caught up with that write yet.
///
/// A controller that writes status and is woken again (by a pod event, say) before its informer has
/// shown the write would plan from the older object, and its next write would fail 409 Conflict and
/// wait out a retry back-off. Instead the sync returns early: the informer's event for the write
/// itself brings the key back, and that sync sees everything. Versions are compared as numbers
/// (Drover's are a global counter); ones that are not numbers are never taken as behind.
public final class WrittenVersions: @unchecked Sendable {
    private let lock = NSLock()
    private var versions: [String: Int64] = [:]

    public init() {}

    /// Remembers the version the object of `key` has after our write.
    public func record(_ key: String, _ resourceVersion: String?) {
        guard let value = resourceVersion.flatMap({ Int64($0) }) else { return }
        lock.withLock { versions[key] = max(versions[key] ?? 0, value) }
    }

    /// True when the cached object (at `resourceVersion`) is older than our last write of it.
    public func isBehind(_ key: String, cached resourceVersion: String?) -> Bool {
        guard let cached = resourceVersion.flatMap({ Int64($0) }) else { return false }
        return lock.withLock {
            guard let written = versions[key] else { return false }
            if cached >= written {
                versions[key] = nil  // caught up
                return false
            }
            return true
        }
    }

    /// Forgets `key` (its object is gone).
    public func forget(_ key: String) {
        _ = lock.withLock { versions.removeValue(forKey: key) }
    }
}
