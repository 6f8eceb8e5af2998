import Client
import Foundation
import Model

/// The Secrets and ConfigMaps the node's pods use, kept current by one list + watch per object
/// (`fieldSelector=metadata.name=<name>` in its namespace, what upstream's Node authorizer lets a
/// node read), started when the first pod naming it arrives and stopped when the last one goes.
/// `changed` is called after each change, so mounted volumes follow within a watch event rather
/// than the kubelet's sync period. An immutable object is not watched once fetched (as upstream).
/// Read synchronously by pod syncs on the blocking pool.
final class ConfigObjectCache: @unchecked Sendable {
    private let client: any APIClient
    private let retryDelay: TimeInterval
    private let log: @Sendable (String) -> Void
    private let lock = NSLock()
    private var states: [ConfigObjectRef: ConfigLookup] = [:]
    private var users: [ConfigObjectRef: Set<String>] = [:]
    private var watches: [ConfigObjectRef: Task<Void, Never>] = [:]
    private var changed: @Sendable (ConfigObjectRef) -> Void = { _ in }

    init(client: any APIClient, retryDelay: TimeInterval = 1, log: @escaping @Sendable (String) -> Void) {
        self.client = client
        self.retryDelay = retryDelay
        self.log = log
    }

    /// Sets what to call after an object changed (the pod manager syncs the pods using it).
    func onChange(_ handler: @escaping @Sendable (ConfigObjectRef) -> Void) { lock.withLock { changed = handler } }

    func lookup(_ ref: ConfigObjectRef) -> ConfigLookup { lock.withLock { states[ref] ?? .pending } }

    /// The pod `uid` uses `refs`: watches start for objects no other pod used.
    func retain(_ refs: Set<ConfigObjectRef>, pod uid: String) {
        lock.withLock {
            for ref in refs {
                users[ref, default: []].insert(uid)
                if watches[ref] == nil { watches[ref] = Task { [weak self] in await self?.follow(ref) } }
            }
        }
    }

    /// The pod is gone: objects nobody uses any more are forgotten and no longer watched.
    func release(pod uid: String) {
        lock.withLock {
            for (ref, pods) in users where pods.contains(uid) {
                var remaining = pods
                remaining.remove(uid)
                if remaining.isEmpty {
                    users[ref] = nil
                    watches.removeValue(forKey: ref)?.cancel()
                    states[ref] = nil
                } else {
                    users[ref] = remaining
                }
            }
        }
    }

    private func set(_ ref: ConfigObjectRef, _ state: ConfigLookup) {
        let handler: (@Sendable (ConfigObjectRef) -> Void)? = lock.withLock {
            guard users[ref] != nil, states[ref] != state else { return nil }
            states[ref] = state
            return changed
        }
        handler?(ref)
    }

    /// List + watch of one object until cancelled; relists after a 410 or a failure.
    private func follow(_ ref: ConfigObjectRef) async {
        let selector = "metadata.name=\(ref.name)"
        var resourceVersion: String?
        while !Task.isCancelled {
            do {
                if resourceVersion == nil {
                    let list = try await client.list(ref.kind.resource, namespace: ref.namespace,
                                                     options: ListOptions(fieldSelector: selector))
                    let object = list.items.first
                    set(ref, object.map(ConfigLookup.found) ?? .missing)
                    if object?["immutable"]?.bool == true {
                        // Nothing can change but a deletion, which running pods never notice anyway.
                        while !Task.isCancelled { try await Task.sleep(nanoseconds: 3_600_000_000_000) }
                        return
                    }
                    resourceVersion = list.resourceVersion
                }
                let events = client.watch(ref.kind.resource, namespace: ref.namespace,
                                          options: WatchOptions(resourceVersion: resourceVersion, fieldSelector: selector,
                                                                allowBookmarks: true))
                for try await event in events {
                    if !event.resourceVersion.isEmpty { resourceVersion = event.resourceVersion }
                    switch event.type {
                    case .added, .modified: set(ref, .found(event.object))
                    case .deleted: set(ref, .missing)
                    case .bookmark, .error: break
                    }
                }
            } catch ClientError.watchExpired {
                resourceVersion = nil
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                log("watching \(ref) failed, relisting: \(error)")
                resourceVersion = nil
                try? await Task.sleep(nanoseconds: UInt64(retryDelay * 1_000_000_000))
            }
        }
    }
}
