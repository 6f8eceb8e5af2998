import Client
import Foundation
import Model

/// `drover watch job/NAME` and `submit --watch|--wait`: follows a Job through two watches (the Job,
/// and its pods by controller uid) until it completes (exit 0), fails (1) or the timeout passes (2).
/// Nothing polls: a one-second tick only redraws the elapsed time on a terminal.
struct JobWatch: Sendable {
    /// How much is printed.
    enum Mode: Sendable, Equatable {
        /// A status line redrawn in place (a terminal), pod changes and logs above it.
        case live
        /// Plain lines, no escape codes (a pipe or a file): pod changes, and the counts when they change.
        case plain
        /// Only the final line (`submit --wait`, for scripts).
        case quiet
        /// Only the pods' log lines (`logs -f job/NAME`).
        case logsOnly
    }

    var namespace: String
    var name: String
    var mode: Mode
    var logs = false
    var timeout: TimeInterval?
    /// With `logs`: only this container's output (all containers when nil).
    var logContainer: String?
    /// With `logs`: extra pods/log query parameters (`tailLines`, `timestamps`).
    var logOptions: [(String, String)] = []
    /// Log lines of the last failed pod printed when the Job fails.
    var failureLogLines = 10

    /// Something that happened, from the watches, the log followers or the clock.
    enum Update: Sendable {
        case job(JSONValue)
        case jobGone
        case pod(WatchEvent.EventType, JSONValue)
        case pods([JSONValue])
        case log(String)
        case tick
        /// After the Job finished: its pods' last changes had their moment, and the log followers
        /// have ended (or their grace period is over).
        case logsDrained
        case timedOut
        case failed(any Error)
    }

    func run(_ context: CommandContext) async throws -> Int32 {
        let client = try context.client()
        let resource = ResourceCatalog.jobs
        let job = try await client.get(resource, namespace: namespace, name: name)
        let uid = JobView(job).uid
        let (updates, continuation) = AsyncStream<Update>.makeStream()
        let feeds = WatchFeeds(client: client, namespace: namespace, name: name, uid: uid, continuation: continuation)
        var tasks = [Task { await feeds.followJob(from: job) }, Task { await feeds.followPods() }]
        if mode == .live { tasks.append(Task { await Self.tick(continuation) }) }
        if let timeout { tasks.append(Task { try? await Task.sleep(for: .seconds(timeout)); continuation.yield(.timedOut) }) }
        defer { tasks.forEach { $0.cancel() } }

        var display = WatchDisplay(mode: mode, context: context)
        var progress = JobProgress(JobView(job))
        var pods: [String: PodView] = [:]
        let logFollowers = LogFollowers(client: client, namespace: namespace, container: logContainer, options: logOptions,
                                         deliver: { continuation.yield(.log($0)) })
        defer { logFollowers.stopAll() }
        display.status(progress)
        var draining = false
        for await update in updates {
            switch update {
            case .job(let object):
                let old = progress
                progress = JobProgress(JobView(object))
                display.events(progress.changes(from: old))
                display.status(progress)
            case .jobGone:
                display.finish("job/\(name) was deleted before it finished")
                return 1
            case .pod(let type, let object):
                let pod = PodView(object)
                let old = pods[pod.name]
                pods[pod.name] = type == .deleted ? nil : pod
                display.events(PodChange.lines(old: old, new: type == .deleted ? nil : pod))
                if logs && type != .deleted { logFollowers.start(for: pod) }
            case .pods(let objects):
                let listed = Dictionary(objects.map { (PodView($0).name, PodView($0)) }, uniquingKeysWith: { $1 })
                for (podName, old) in pods where listed[podName] == nil { display.events(PodChange.lines(old: old, new: nil)) }
                for (podName, pod) in listed.sorted(by: { $0.key < $1.key }) {
                    display.events(PodChange.lines(old: pods[podName], new: pod))
                    if logs { logFollowers.start(for: pod) }
                }
                pods = listed
            case .log(let line):
                display.log(line)
            case .tick:
                display.status(progress, redraw: true)
            case .logsDrained:
                return await conclude(progress, uid: uid, pods: pods, client: client, display: &display, context: context)
            case .timedOut:
                display.finish("timed out after \(JobProgress.duration(timeout ?? 0)) waiting for job/\(name): "
                               + progress.statusLine(now: context.now(), withBar: false).drop { $0 != " " }.dropFirst())
                return 2
            case .failed(let error):
                display.clearStatus()
                throw error
            }
            guard progress.outcome != nil, !draining else { continue }
            // The Job's watch and its pods' are separate streams, so the Job's end can overtake its
            // pods' last changes (and their log lines): those get a moment to arrive, except in
            // quiet mode, which prints none of them and should return at once.
            let shown = mode == .live || mode == .plain
            guard logs || shown else { return await conclude(progress, uid: uid, pods: pods, client: client, display: &display, context: context) }
            draining = true
            tasks.append(Task {
                if shown { try? await Task.sleep(for: .milliseconds(Self.settleMilliseconds)) }
                if logs { await logFollowers.waitForAll(upTo: 3) }
                continuation.yield(.logsDrained)
            })
        }
        return 1
    }

    /// How long pod changes that the Job's end overtook may take to arrive before the final line.
    static let settleMilliseconds = 300

    /// The final line, after the failed pod's story when the Job failed; the exit status.
    private func conclude(_ progress: JobProgress, uid: String, pods: [String: PodView], client: any APIClient,
                          display: inout WatchDisplay, context: CommandContext) async -> Int32 {
        var pods = pods
        // Whatever the settling moment did not bring, one list catches up, so every pod's end is told.
        if mode == .live || mode == .plain || progress.outcome != .complete,
           let listed = try? await client.list(ResourceCatalog.pods, namespace: namespace,
                                               options: ListOptions(labelSelector: "\(JobView.controllerUIDLabel)=\(uid)")) {
            for pod in listed.items.map(PodView.init).sorted(by: { $0.name < $1.name }) {
                display.events(PodChange.lines(old: pods[pod.name], new: pod))
                pods[pod.name] = pod
            }
        }
        if case .failed? = progress.outcome { await reportFailure(pods: Array(pods.values), client: client, display: &display) }
        display.finish(progress.finalLine(now: context.now()))
        return progress.outcome == .complete ? 0 : 1
    }

    /// The last failed pod's exit code and log tail, so a failed Job explains itself.
    private func reportFailure(pods: [PodView], client: any APIClient, display: inout WatchDisplay) async {
        let failed = pods.filter(\.isFailedPhase).max { a, b in
            (a.containerStatuses.compactMap(\.finishedAt).max() ?? .distantPast) < (b.containerStatuses.compactMap(\.finishedAt).max() ?? .distantPast)
        }
        guard let failed else { return }
        // Live and plain output printed this line as it happened; the quiet mode's stderr has not.
        if mode == .quiet { display.detail(PodChange.finished(failed)) }
        let container = failed.containerStatuses.first { ($0.exitCode ?? 0) != 0 }?.name ?? failed.containerNames.first ?? ""
        let request = RawRequest(method: "GET", path: "/api/v1/namespaces/\(namespace)/pods/\(failed.name)/log",
                                 query: [("container", container), ("tailLines", String(failureLogLines))], headers: ["Accept": "text/plain"])
        guard let response = try? await client.raw(request).checked(), !response.body.isEmpty else { return }
        display.detail("last \(failureLogLines) lines of pod/\(failed.name) [\(container)]:")
        for line in response.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(response.text.hasSuffix("\n") ? 1 : 0) {
            display.detail("  " + line)
        }
    }

    private static func tick(_ continuation: AsyncStream<Update>.Continuation) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            continuation.yield(.tick)
        }
    }
}
