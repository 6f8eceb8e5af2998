import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Model
import Store

/// One agent to scrape: a Ready node that publishes an endpoint.
struct ScrapeTarget: Sendable, Equatable {
    var nodeName: String
    var labels: [String: String]
    /// The agent's `/stats/summary` URL.
    var url: String
}

/// metrics-server inside the API server: every interval it polls each Ready node's agent for
/// its usage summary (at most `concurrency` at once, each bounded by `timeout`) and keeps the
/// last successful result per node. Nodes it cannot scrape (no endpoint, as hollow nodes; not
/// Ready; unreachable) are absent from the cache, as metrics-server omits them.
final class MetricsScraper: @unchecked Sendable {
    private let store: any ObjectStore
    private let token: String?
    private let interval: TimeInterval
    private let timeout: TimeInterval
    private let concurrency: Int
    private let lock = NSLock()
    private var cache: [String: NodeScrape] = [:]
    private var stopped = false

    init(store: any ObjectStore, token: String?, interval: TimeInterval, timeout: TimeInterval = 5, concurrency: Int = 8) {
        self.store = store
        self.token = token
        self.interval = interval
        self.timeout = timeout
        self.concurrency = max(1, concurrency)
    }

    /// The nodes worth scraping: Ready=True and an endpoint annotation that is a URL.
    static func targets(nodes: [JSONValue], annotation: String) -> [ScrapeTarget] {
        nodes.compactMap { object in
            let node = NodeView(object)
            guard node.condition("Ready")?.status == "True",
                  let endpoint = object["metadata"]?["annotations"]?[annotation]?.string,
                  var components = URLComponents(string: endpoint), components.host != nil else { return nil }
            components.path = "/stats/summary"
            components.query = nil
            guard let url = components.string else { return nil }
            return ScrapeTarget(nodeName: node.name, labels: node.labels, url: url)
        }
    }

    /// The cache after one round: each target's fresh summary, or nothing when its scrape failed;
    /// nodes no longer targeted drop out.
    static func merge(targets: [ScrapeTarget], results: [String: JSONValue]) -> [String: NodeScrape] {
        var next: [String: NodeScrape] = [:]
        for target in targets {
            guard let summary = results[target.nodeName] else { continue }
            next[target.nodeName] = NodeScrape(nodeName: target.nodeName, nodeLabels: target.labels, summary: summary)
        }
        return next
    }

    /// The last scrape of every node that answered.
    var scrapes: [NodeScrape] { lock.withLock { cache.values.sorted { $0.nodeName < $1.nodeName } } }

    /// Starts the polling thread (the first round right away).
    func start() {
        Thread.detachNewThread { [self] in
            while !lock.withLock({ stopped }) {
                scrapeOnce()
                Thread.sleep(forTimeInterval: interval)
            }
        }
    }

    func stop() { lock.withLock { stopped = true } }

    /// One round: list nodes, fetch every target's summary with bounded concurrency, replace the cache.
    func scrapeOnce() {
        let nodes: [JSONValue]
        do {
            nodes = try store.list(ListQuery(resource: ResourceCatalog.nodes.storageName)).items.compactMap { try? JSONValue.parse($0.json) }
        } catch {
            return
        }
        let targets = Self.targets(nodes: nodes, annotation: APIServer.logEndpointAnnotation)
        let results = ResultBox()
        let slots = DispatchSemaphore(value: concurrency)
        let group = DispatchGroup()
        for target in targets {
            slots.wait()
            group.enter()
            fetch(target) { summary in
                if let summary { results.set(target.nodeName, summary) }
                slots.signal()
                group.leave()
            }
        }
        group.wait()
        let next = Self.merge(targets: targets, results: results.values)
        lock.withLock { cache = next }
    }

    private func fetch(_ target: ScrapeTarget, done: @escaping @Sendable (JSONValue?) -> Void) {
        guard let url = URL(string: target.url) else { return done(nil) }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let session = URLSession(configuration: .ephemeral)
        session.dataTask(with: request) { data, response, _ in
            defer { session.finishTasksAndInvalidate() }
            guard (response as? HTTPURLResponse)?.statusCode == 200, let data,
                  let summary = try? JSONValue.parse([UInt8](data)) else { return done(nil) }
            done(summary)
        }.resume()
    }
}

/// Summaries collected from the URLSession callbacks' threads.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String: JSONValue] = [:]
    func set(_ node: String, _ summary: JSONValue) { lock.withLock { storage[node] = summary } }
    var values: [String: JSONValue] { lock.withLock { storage } }
}
