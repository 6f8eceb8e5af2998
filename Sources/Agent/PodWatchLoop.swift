import Client
import Foundation
import Model

/// Lists and watches the pods bound to this node (field selector `spec.nodeName=<node>`), feeding
/// the pod manager: resumes the watch from the last resourceVersion, relists when the server says
/// the version has expired (410) or after any other failure (after a short pause).
struct PodWatchLoop: Sendable {
    var client: any APIClient
    var manager: PodManager
    var nodeName: String
    var retryDelay: TimeInterval = 1
    var log: @Sendable (String) -> Void

    func run() async {
        let selector = "spec.nodeName=\(nodeName)"
        var resourceVersion: String?
        var first = true
        while !Task.isCancelled {
            do {
                if resourceVersion == nil {
                    let list = try await client.list(ResourceCatalog.pods, namespace: nil,
                                                     options: ListOptions(fieldSelector: selector))
                    await manager.replaceAll(list.items, adopt: first)
                    first = false
                    resourceVersion = list.resourceVersion
                    await manager.tick()
                }
                let events = client.watch(ResourceCatalog.pods, namespace: nil,
                                          options: WatchOptions(resourceVersion: resourceVersion, fieldSelector: selector,
                                                                allowBookmarks: true))
                for try await event in events {
                    if !event.resourceVersion.isEmpty { resourceVersion = event.resourceVersion }
                    if await manager.apply(event), let uid = event.object.value(at: ["metadata", "uid"])?.string {
                        Task { await manager.sync(uid: uid) }
                    }
                }
            } catch ClientError.watchExpired {
                resourceVersion = nil
            } catch {
                log("watching pods failed, relisting: \(error)")
                resourceVersion = nil
                try? await Task.sleep(nanoseconds: UInt64(retryDelay * 1_000_000_000))
            }
        }
    }
}
