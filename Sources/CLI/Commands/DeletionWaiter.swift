import Client
import Foundation
import Model

/// `delete --wait`: blocks until a deleted object is gone — a GET answers 404 or shows another
/// object under the name — watching the object between checks rather than polling. An object
/// held by finalizers (foreground deletion waits for its dependents) stays until they are done.
enum DeletionWaiter {
    /// An object a delete was sent for; `uid` tells it from a successor with the same name.
    struct Target: Sendable {
        var resource: ResourceInfo
        var namespace: String?
        var name: String
        var uid: String?
    }

    /// True once the object is gone; false when `deadline` passes first.
    static func waitUntilGone(_ target: Target, client: any APIClient, deadline: Date?, now: @Sendable () -> Date) async throws -> Bool {
        while true {
            guard let current = try await client.getIfPresent(target.resource, namespace: target.namespace, name: target.name) else {
                return true
            }
            let uid = current.value(at: ["metadata", "uid"])?.string
            if let expected = target.uid, !expected.isEmpty, uid != expected { return true }
            let remaining = deadline.map { $0.timeIntervalSince(now()) }
            if let remaining, remaining <= 0 { return false }
            // Watch from the version just read: the next change is either the removal or a step
            // towards it (a finalizer coming off). A stream the server ends is simply re-checked.
            let options = WatchOptions(resourceVersion: current.value(at: ["metadata", "resourceVersion"])?.string,
                                       fieldSelector: "metadata.name=\(target.name)",
                                       timeoutSeconds: remaining.map { max(1, Int($0.rounded(.up))) } ?? 300)
            do {
                for try await event in client.watch(target.resource, namespace: target.namespace, options: options) {
                    if event.type == .deleted { return true }
                    if let remaining = deadline.map({ $0.timeIntervalSince(now()) }), remaining <= 0 { return false }
                }
            } catch ClientError.watchExpired {
                continue
            }
        }
    }
}
