import Foundation
import Model

/// Gang scheduling at scale (issue 13): `gangs` PodGroups of `size` members each, then their pods
/// (gang by gang, spread over the clients, so a gang's members arrive interleaved with the next
/// gang's); prints pods bound per second from the first pod created to the last bound, and checks
/// on the watch that no gang was ever left partly bound: every gang ends with 0 or `size` bound.
struct GangBench {
    var port: UInt16
    var token: String
    var gangs: Int
    var size: Int
    var podMilliCPU: Int
    var clients: Int
    var timeout: Double

    func run() throws {
        let http = try RawHTTP(host: "127.0.0.1", port: port)
        let run = String(UUID().uuidString.prefix(8).lowercased())
        let groupsCreated = Date()
        for g in 0..<gangs {
            let group: JSONValue = ["apiVersion": "scheduling.x-k8s.io/v1alpha1", "kind": "PodGroup",
                                    "metadata": ["name": .string("gang-\(run)-\(g)")], "spec": ["minMember": .int(Int64(size))]]
            try http.send("POST", "/apis/scheduling.x-k8s.io/v1alpha1/namespaces/default/podgroups", token: token, body: group.serialized())
            _ = try http.readResponse()
        }
        print(String(format: "gangs: %d PodGroups created in %.2f s", gangs, Date().timeIntervalSince(groupsCreated)))
        let count = gangs * size
        let bound = try watchBound(port: port, token: token, labelSelector: "run%3D\(run)", count: count)
        let created = Stamps(count: count)
        let failed = createPodsConcurrently(port: port, token: token, count: count, clients: clients, created: created) { i in
            Self.pod(run: run, gang: i / size, index: i, milliCPU: podMilliCPU)
        }
        let deadline = Date().addingTimeInterval(timeout)
        while bound.filled < count && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let first = created.values.compactMap { $0 }.min() ?? 0
        let last = bound.values.compactMap { $0 }.max() ?? first
        let perGang = stride(from: 0, to: count, by: size).map { start in bound.values[start..<start + size].filter { $0 != nil }.count }
        let partial = perGang.filter { $0 != 0 && $0 != size }.count
        let spans = stride(from: 0, to: count, by: size).compactMap { start -> Double? in
            let stamps = bound.values[start..<start + size].compactMap { $0 }
            guard stamps.count == size, let lo = stamps.min(), let hi = stamps.max() else { return nil }
            return (hi - lo) * 1000
        }.sorted()
        print(String(format: "  %d pods in %d gangs of %d (%d create failures): %d bound in %.2f s, %.0f pods/s; "
                     + "gangs partly bound at the end: %d; first → last member bound per gang ms p50 %.0f p99 %.0f",
                     count, gangs, size, failed, bound.filled, last - first, Double(bound.filled) / max(0.001, last - first),
                     partial, percentile(spans, 50), percentile(spans, 99)))
    }

    static func pod(run: String, gang: Int, index: Int, milliCPU: Int) -> [UInt8] {
        let pod: JSONValue = ["apiVersion": "v1", "kind": "Pod",
                              "metadata": ["name": .string("g\(gang)-\(run)-\(index)"),
                                           "labels": ["run": .string(run), "scheduling.x-k8s.io/pod-group": .string("gang-\(run)-\(gang)")]],
                              "spec": ["restartPolicy": "Always",
                                       "containers": [["name": "main", "image": "busybox",
                                                       "resources": ["requests": ["cpu": .string("\(milliCPU)m"), "memory": "64Mi"]]]]]]
        return pod.serialized()
    }
}
