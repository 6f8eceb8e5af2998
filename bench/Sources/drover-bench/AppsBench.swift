import Foundation
import Model

/// The service controllers at scale (issue 10), against hollow nodes:
/// - `daemonset`: one DaemonSet on every hollow node; prints created → a pod bound on every node
///   and → every pod Ready.
/// - `deployment`: a Deployment of `replicas`; prints created → all bound and → all available,
///   then a rolling update (new image) to completion with the worst instant seen on the watch
///   (most live pods, fewest ready) against replicas ± maxSurge / maxUnavailable.
struct AppsBench {
    var port: UInt16
    var token: String
    var scenario: String
    var nodes: Int
    var replicas: Int
    var timeout: Double

    func run() throws {
        let run = String(UUID().uuidString.prefix(8).lowercased())
        let tally = PodTally()
        try tally.follow(port: port, token: token, labelSelector: "run%3D\(run)")
        let http = try RawHTTP(host: "127.0.0.1", port: port)
        let template: JSONValue = ["metadata": ["labels": ["run": .string(run)]],
                                   "spec": ["terminationGracePeriodSeconds": 0,
                                            "containers": [["name": "main", "image": "v1",
                                                            "resources": ["requests": ["cpu": "10m", "memory": "16Mi"]]]]]]
        let selector: JSONValue = ["matchLabels": ["run": .string(run)]]
        let started = Date().timeIntervalSince1970
        let expected: Int
        let path: String
        if scenario == "daemonset" {
            expected = nodes
            path = "/apis/apps/v1/namespaces/default/daemonsets"
            let ds: JSONValue = ["apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": ["name": .string("ds-\(run)")],
                                 "spec": ["selector": selector, "template": template]]
            try http.send("POST", path, token: token, body: ds.serialized())
        } else {
            expected = replicas
            path = "/apis/apps/v1/namespaces/default/deployments"
            let deployment: JSONValue = ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string("web-\(run)")],
                                         "spec": ["replicas": .int(Int64(replicas)), "selector": selector, "template": template]]
            try http.send("POST", path, token: token, body: deployment.serialized())
        }
        _ = try http.readResponse()
        let bound = tally.waitUntil(timeout: timeout, progressSince: started) { $0.bound >= expected }
        let ready = tally.waitUntil(timeout: timeout) { $0.ready >= expected }
        print(String(format: "apps %@: %d pods — created → all bound %@, → all ready %@", scenario, expected,
                     Self.seconds(bound, since: started), Self.seconds(ready, since: started)))
        guard scenario == "deployment", ready != nil else { return }
        // Rolling update to a new image (defaults: 25% surge, 25% unavailable).
        tally.startBounds()
        let updateStarted = Date().timeIntervalSince1970
        let patch: JSONValue = ["spec": ["template": ["spec": ["containers": [["name": "main", "image": "v2"]]]]]]
        try http.send("PATCH", "\(path)/web-\(run)", token: token, body: patch.serialized(),
                      contentType: "application/strategic-merge-patch+json")
        _ = try http.readResponse()
        let done = tally.waitUntil(timeout: timeout) { $0.updatedReady >= expected && $0.live == expected }
        let worst = tally.stopBounds()
        let surge = (expected * 25 + 99) / 100, unavailable = expected * 25 / 100
        print(String(format: "  rolling update: %@; worst instant %d live (limit %d), %d ready (floor %d)",
                     Self.seconds(done, since: updateStarted), worst.mostLive, expected + surge, worst.fewestReady,
                     expected - unavailable))
    }

    static func seconds(_ time: Double?, since start: Double) -> String {
        time.map { String(format: "%.2f s", $0 - start) } ?? "not reached"
    }
}

/// Pods of one run as a watch shows them: bound, ready, live, and the extremes while tracking.
final class PodTally: @unchecked Sendable {
    struct Counts { var seen = 0, bound = 0, ready = 0, live = 0, updatedReady = 0 }
    private let lock = NSLock()
    private var pods: [String: (bound: Bool, ready: Bool, live: Bool, image: String)] = [:]
    private var tracking = false
    private var mostLive = 0, fewestReady = Int.max

    func follow(port: UInt16, token: String, labelSelector: String) throws {
        let watcher = try RawHTTP(host: "127.0.0.1", port: port)
        try watcher.send("GET", "/api/v1/namespaces/default/pods?watch=true&labelSelector=\(labelSelector)", token: token)
        _ = try watcher.readHead()
        Thread.detachNewThread { [self] in
            try? watcher.readEvents(while: { true }) { event, _ in apply(event) }
        }
    }

    private func apply(_ event: JSONValue) {
        guard let object = event["object"], let name = object.value(at: ["metadata", "name"])?.string else { return }
        let pod = PodView(object)
        lock.withLock {
            if event["type"] == "DELETED" {
                pods[name] = nil
            } else {
                let image = object.value(at: ["spec", "containers"])?.array?.first?["image"]?.string ?? ""
                pods[name] = (pod.nodeName != nil, pod.isReady && pod.isActive, pod.isActive, image)
            }
            guard tracking else { return }
            let now = counts
            mostLive = max(mostLive, now.live)
            fewestReady = min(fewestReady, now.ready)
        }
    }

    private var counts: Counts {
        var c = Counts(seen: pods.count)
        for pod in pods.values {
            if pod.bound && pod.live { c.bound += 1 }
            if pod.ready { c.ready += 1 }
            if pod.live { c.live += 1 }
            if pod.ready && pod.image == "v2" { c.updatedReady += 1 }
        }
        return c
    }

    /// The moment `condition` first held (polled every 10 ms), or nil after `timeout` seconds. With
    /// `progressSince`, prints the counts once a second (seconds since then), to show where time goes.
    func waitUntil(timeout: Double, progressSince: Double? = nil, _ condition: (Counts) -> Bool) -> Double? {
        let deadline = Date().addingTimeInterval(timeout)
        var nextProgress = progressSince.map { $0 + 1 } ?? .infinity
        while Date() < deadline {
            let now = lock.withLock { counts }
            if condition(now) { return Date().timeIntervalSince1970 }
            if let since = progressSince, Date().timeIntervalSince1970 >= nextProgress {
                print(String(format: "  %4.0f s: %d pods seen, %d bound, %d ready", nextProgress - since, now.seen, now.bound, now.ready))
                nextProgress += 1
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return nil
    }

    func startBounds() {
        lock.withLock {
            tracking = true
            mostLive = counts.live
            fewestReady = counts.ready
        }
    }

    func stopBounds() -> (mostLive: Int, fewestReady: Int) {
        lock.withLock {
            tracking = false
            return (mostLive, fewestReady)
        }
    }
}
