import Foundation
import Model
import Testing
import TestSupport
@testable import APIServer

/// visibility.kueue.x-k8s.io/v1beta1 through the handlers: pending Workloads of a ClusterQueue
/// and of a LocalQueue in queue order with 0-based positions, paging, discovery, bad input.
@Suite struct VisibilityAPITests {
    static let kueue = "/apis/kueue.x-k8s.io/v1beta1"
    static let visibility = "/apis/visibility.kueue.x-k8s.io/v1beta1"

    static func workload(_ name: String, queue: String, priority: Int = 0, active: Bool = true) -> JSONValue {
        ["apiVersion": "kueue.x-k8s.io/v1beta1", "kind": "Workload", "metadata": ["name": .string(name)],
         "spec": ["queueName": .string(queue), "priority": .int(Int64(priority)), "active": .bool(active),
                  "podSets": [["name": "main", "count": 1,
                               "template": ["spec": ["containers": [["name": "c", "resources": ["requests": ["cpu": "1"]]]]]]]]]]
    }

    /// ClusterQueue research fed by LocalQueues lq and other; ClusterQueue elsewhere fed by far.
    static func seeded() throws -> APIHarness {
        let api = try APIHarness()
        for name in ["research", "elsewhere"] {
            let queue: JSONValue = ["apiVersion": "kueue.x-k8s.io/v1beta1", "kind": "ClusterQueue", "metadata": ["name": .string(name)],
                                    "spec": ["namespaceSelector": [:], "resourceGroups": [["coveredResources": ["cpu"],
                                             "flavors": [["name": "default", "resources": [["name": "cpu", "nominalQuota": "1"]]]]]]]]
            #expect(api.call("POST", "\(kueue)/clusterqueues", body: queue).status == 201)
        }
        for (local, cluster) in [("lq", "research"), ("other", "research"), ("far", "elsewhere")] {
            let queue: JSONValue = ["apiVersion": "kueue.x-k8s.io/v1beta1", "kind": "LocalQueue", "metadata": ["name": .string(local)],
                                    "spec": ["clusterQueue": .string(cluster)]]
            #expect(api.call("POST", "\(kueue)/namespaces/default/localqueues", body: queue).status == 201)
        }
        for body in [workload("first", queue: "lq"), workload("urgent", queue: "other", priority: 10), workload("second", queue: "lq"),
                     workload("stopped", queue: "lq", active: false), workload("away", queue: "far")] {
            #expect(api.call("POST", "\(kueue)/namespaces/default/workloads", body: body).status == 201)
        }
        return api
    }

    @Test func aClusterQueuesPendingWorkloadsComeInQueueOrderWithPositions() throws {
        let api = try Self.seeded()
        defer { api.shutdown() }
        let answer = api.call("GET", "\(Self.visibility)/clusterqueues/research/pendingworkloads")
        #expect(answer.status == 200)
        #expect(answer.body["kind"] == "PendingWorkloadsSummary" && answer.body["apiVersion"] == "visibility.kueue.x-k8s.io/v1beta1")
        let items = answer.body["items"]?.array ?? []
        #expect(items.map { $0.value(at: ["metadata", "name"])?.string ?? "" } == ["urgent", "first", "second"])
        #expect(items.map { $0["positionInClusterQueue"]?.int ?? -1 } == [0, 1, 2])
        #expect(items.map { $0["positionInLocalQueue"]?.int ?? -1 } == [0, 0, 1])
        #expect(items.map { $0["localQueueName"]?.string ?? "" } == ["other", "lq", "lq"])
        #expect(items.first?["priority"] == 10)
        #expect(items.first?.value(at: ["metadata", "namespace"]) == "default")
    }

    @Test func aLocalQueueShowsOnlyItsOwnWithBothPositions() throws {
        let api = try Self.seeded()
        defer { api.shutdown() }
        let items = api.call("GET", "\(Self.visibility)/namespaces/default/localqueues/lq/pendingworkloads").body["items"]?.array ?? []
        #expect(items.map { $0.value(at: ["metadata", "name"])?.string ?? "" } == ["first", "second"])
        #expect(items.map { $0["positionInClusterQueue"]?.int ?? -1 } == [1, 2])
        #expect(items.map { $0["positionInLocalQueue"]?.int ?? -1 } == [0, 1])
    }

    @Test func limitAndOffsetPage() throws {
        let api = try Self.seeded()
        defer { api.shutdown() }
        let page = api.call("GET", "\(Self.visibility)/clusterqueues/research/pendingworkloads", query: ["limit": "1", "offset": "1"])
        #expect(page.body["items"]?.array?.map { $0.value(at: ["metadata", "name"])?.string ?? "" } == ["first"])
    }

    @Test func badInputIsAStatusNamingTheProblem() throws {
        let api = try Self.seeded()
        defer { api.shutdown() }
        let missing = api.call("GET", "\(Self.visibility)/clusterqueues/nope/pendingworkloads")
        #expect(missing.status == 404 && missing.body["reason"] == "NotFound")
        #expect(missing.body["message"] == "clusterqueues.kueue.x-k8s.io \"nope\" not found")
        let badLimit = api.call("GET", "\(Self.visibility)/clusterqueues/research/pendingworkloads", query: ["limit": "0"])
        #expect(badLimit.status == 400 && badLimit.body["reason"] == "BadRequest")
        #expect(badLimit.body.value(at: ["details", "causes"])?.array?.first?["field"] == "limit")
        #expect(api.call("GET", "\(Self.visibility)/clusterqueues/research/other").status == 404)
        #expect(api.call("POST", "\(Self.visibility)/clusterqueues/research/pendingworkloads").status == 405)
    }

    @Test func theGroupIsDiscoverable() throws {
        let api = try APIHarness()
        defer { api.shutdown() }
        let groups = api.call("GET", "/apis").body["groups"]?.array?.compactMap { $0["name"]?.string } ?? []
        #expect(groups.contains("visibility.kueue.x-k8s.io"))
        let resources = api.call("GET", Self.visibility).body["resources"]?.array?.compactMap { $0["name"]?.string }
        #expect(resources == ["clusterqueues", "clusterqueues/pendingworkloads", "localqueues", "localqueues/pendingworkloads"])
        let aggregated = api.call("GET", "/apis", headers: ["Accept": "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"])
        let group = aggregated.body["items"]?.array?.first { $0.value(at: ["metadata", "name"]) == "visibility.kueue.x-k8s.io" }
        let clusterQueues = group?.value(at: ["versions"])?.array?.first?["resources"]?.array?.first
        #expect(clusterQueues?["resource"] == "clusterqueues")
        #expect(clusterQueues?["subresources"]?.array?.first?["subresource"] == "pendingworkloads")
    }
}
