import Client
import Model

/// The two watches behind `drover watch`: the Job by name, and its pods by controller uid. Each
/// resumes from the last resourceVersion when the server ends a watch, relists on 410 Gone, and
/// hands every change to the watch loop as a `JobWatch.Update`.
struct WatchFeeds: Sendable {
    var client: any APIClient
    var namespace: String
    var name: String
    var uid: String
    var continuation: AsyncStream<JobWatch.Update>.Continuation

    /// The Job, until it is deleted or the task is cancelled.
    func followJob(from job: JSONValue) async {
        var version = job.value(at: ["metadata", "resourceVersion"])?.string ?? ""
        let options = { (rv: String) in
            WatchOptions(resourceVersion: rv, fieldSelector: "metadata.name=\(name)", allowBookmarks: true)
        }
        while !Task.isCancelled {
            do {
                for try await event in client.watch(ResourceCatalog.jobs, namespace: namespace, options: options(version)) {
                    if !event.resourceVersion.isEmpty { version = event.resourceVersion }
                    // A watch replayed from history reports other Jobs' changes as DELETED (the
                    // server has no previous states to tell they never matched): only ours count.
                    if [.added, .modified, .deleted].contains(event.type), JobView(event.object).uid != uid { continue }
                    switch event.type {
                    case .added, .modified: continuation.yield(.job(event.object))
                    case .deleted:
                        continuation.yield(.jobGone)
                        return
                    case .bookmark, .error: break
                    }
                }
            } catch ClientError.watchExpired {
                guard let current = await fetch() else { return }
                version = current.value(at: ["metadata", "resourceVersion"])?.string ?? ""
                continuation.yield(.job(current))
            } catch {
                if !Task.isCancelled { continuation.yield(.failed(error)) }
                return
            }
        }
    }

    /// The Job's pods: a list, then their changes.
    func followPods() async {
        let selector = "\(JobView.controllerUIDLabel)=\(uid)"
        while !Task.isCancelled {
            let version: String
            do {
                let list = try await client.list(ResourceCatalog.pods, namespace: namespace, options: ListOptions(labelSelector: selector))
                continuation.yield(.pods(list.items))
                version = list.resourceVersion
            } catch {
                if !Task.isCancelled { continuation.yield(.failed(error)) }
                return
            }
            guard await watchPods(selector: selector, from: version) else { return }
        }
    }

    /// Watches from `version`, resuming when the server ends the stream; true when a relist is needed.
    private func watchPods(selector: String, from version: String) async -> Bool {
        var version = version
        while !Task.isCancelled {
            do {
                let options = WatchOptions(resourceVersion: version, labelSelector: selector, allowBookmarks: true)
                for try await event in client.watch(ResourceCatalog.pods, namespace: namespace, options: options) {
                    if !event.resourceVersion.isEmpty { version = event.resourceVersion }
                    if [.added, .modified, .deleted].contains(event.type) { continuation.yield(.pod(event.type, event.object)) }
                }
            } catch ClientError.watchExpired {
                return true
            } catch {
                if !Task.isCancelled { continuation.yield(.failed(error)) }
                return false
            }
        }
        return false
    }

    private func fetch() async -> JSONValue? {
        do {
            guard let job = try await client.getIfPresent(ResourceCatalog.jobs, namespace: namespace, name: name) else {
                continuation.yield(.jobGone)
                return nil
            }
            return job
        } catch {
            continuation.yield(.failed(error))
            return nil
        }
    }
}
