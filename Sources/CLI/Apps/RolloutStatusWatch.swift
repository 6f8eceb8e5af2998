import Client
import Foundation
import Model

/// `drover rollout status`: the Deployment or DaemonSet, then a watch of it (`metadata.name` field selector, as
/// kubectl's informer), one line per ADDED/MODIFIED event as kubectl prints them, until
/// `RolloutStatus` says done (exit 0) or fails (progress deadline: exit 1). The watch resumes from
/// the last resourceVersion when the server ends it and starts again from a fresh GET after 410.
/// Nothing polls.
struct RolloutStatusWatch: Sendable {
    var client: any APIClient
    /// Deployments or DaemonSets.
    var resource: ResourceInfo
    var namespace: String
    var name: String
    /// Pin to this revision (0: whatever is newest).
    var revision: Int
    /// false: print the state once and stop (`-w=false`).
    var watch: Bool
    /// Give up after this many seconds (nil: never).
    var timeout: Double?

    func run(_ context: CommandContext) async throws -> Int32 {
        let first = try await client.get(resource, namespace: namespace, name: name)
        guard let timeout else { return try await follow(from: first, context) }
        return try await withThrowingTaskGroup(of: Int32?.self) { group in
            group.addTask { try await follow(from: first, context) }
            group.addTask {
                try await Task.sleep(for: .seconds(timeout))
                return nil
            }
            defer { group.cancelAll() }
            // The first child to end decides: a result, or nil when the time is up.
            guard let result = try await group.next() ?? nil else {
                throw CLIError("timed out waiting for the condition")
            }
            return result
        }
    }

    /// Prints the state of `object`; true when the command is finished.
    private func report(_ object: JSONValue, _ context: CommandContext) throws -> Bool {
        let (message, done) = resource == ResourceCatalog.daemonSets
            ? try RolloutStatus.evaluate(daemonSet: DaemonSetView(object))
            : try RolloutStatus.evaluate(DeploymentView(object), revision: revision)
        context.print(message)
        return done || !watch
    }

    private func follow(from first: JSONValue, _ context: CommandContext) async throws -> Int32 {
        if try report(first, context) { return 0 }
        var version = first.value(at: ["metadata", "resourceVersion"])?.string ?? ""
        while !Task.isCancelled {
            do {
                let options = WatchOptions(resourceVersion: version, fieldSelector: "metadata.name=\(name)", allowBookmarks: true)
                for try await event in client.watch(resource, namespace: namespace, options: options) {
                    if !event.resourceVersion.isEmpty { version = event.resourceVersion }
                    switch event.type {
                    case .added, .modified:
                        if try report(event.object, context) { return 0 }
                    case .deleted:
                        // One made again under the name is another rollout: stop, as kubectl.
                        throw CLIError("object has been deleted")
                    case .bookmark, .error:
                        break
                    }
                }
            } catch ClientError.watchExpired {
                guard let current = try await client.getIfPresent(resource, namespace: namespace, name: name) else {
                    throw CLIError("object has been deleted")
                }
                version = current.value(at: ["metadata", "resourceVersion"])?.string ?? ""
                if try report(current, context) { return 0 }
            }
        }
        return 1
    }
}
