import Foundation
import Model
import Testing

/// Upstream's DefaultTolerationSeconds admission plugin on pods, Lease validation, and the node
/// Lease's shape.
@Suite struct NodeLeaseAdmissionTests {
    let pods = ResourceCatalog.pods
    static let notReady: JSONValue = ["key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
                                      "tolerationSeconds": 300]
    static let unreachable: JSONValue = ["key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
                                         "tolerationSeconds": 300]

    @Test func aPodGetsThreeHundredSecondsOfNotReadyAndUnreachable() {
        #expect(Fixture.defaulted(Fixture.pod, pods).at("spec.tolerations") == [Self.notReady, Self.unreachable])
    }

    @Test(arguments: [
        // (the pod's tolerations, what admission leaves)
        ([["key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 5]] as [JSONValue],
         [["key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 5], notReady]),
        ([["operator": "Exists"]], [["operator": "Exists"]]),                             // tolerates everything
        ([["key": "node.kubernetes.io/not-ready", "operator": "Exists"]],                 // any effect covers NoExecute
         [["key": "node.kubernetes.io/not-ready", "operator": "Exists"], unreachable]),
        ([["key": "gpu", "operator": "Exists", "effect": "NoExecute"]], [["key": "gpu", "operator": "Exists", "effect": "NoExecute"], notReady, unreachable]),
        ([["key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoSchedule"]],
         [["key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoSchedule"], notReady, unreachable]),
    ] as [([JSONValue], [JSONValue])])
    func tolerationsThePodHasAreKeptAndOnlyMissingOnesAdded(given: [JSONValue], expected: [JSONValue]) {
        let pod = Fixture.pod.setting("spec.tolerations", .array(given))
        #expect(Fixture.defaulted(pod, pods).at("spec.tolerations") == .array(expected))
    }

    @Test func anUpdateOfAnOldPodAddsThemTooAndIsAllowed() throws {
        let stored = Fixture.defaulted(Fixture.pod, pods).setting("spec.tolerations", nil)
        let updated = Fixture.admit(stored.setting("metadata.labels", ["a": "b"]), pods, .update(old: stored))
        let admitted = try updated.get()
        #expect(admitted.at("spec.tolerations") == [Self.notReady, Self.unreachable])
    }

    @Test func podTemplatesAreLeftAlone() {
        let job: JSONValue = ["apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": "j", "namespace": "default"],
                              "spec": ["template": ["spec": ["restartPolicy": "Never", "containers": [["name": "m", "image": "x"]]]]]]
        #expect(Fixture.defaulted(job, ResourceCatalog.jobs).at("spec.template.spec.tolerations") == nil)
    }

    static let lease: JSONValue = ["apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                                   "metadata": ["name": "node-1", "namespace": "kube-node-lease"],
                                   "spec": ["holderIdentity": "node-1", "leaseDurationSeconds": 40,
                                            "renewTime": "2027-01-15T08:00:00.123456Z"]]

    @Test func aNodeLeaseIsAcceptedAsTheAgentWritesIt() {
        #expect(Fixture.causes(Self.lease, ResourceCatalog.leases).isEmpty)
        let object = NodeLease.object(node: "node-1", nodeUID: "u1", now: Date(timeIntervalSince1970: 1_800_000_000.25))
        #expect(Fixture.causes(object, ResourceCatalog.leases).isEmpty)
        #expect(object.value(at: ["spec", "renewTime"]) == "2027-01-15T08:00:00.250000Z")
        #expect(LeaseView(object).renewTime == Date(timeIntervalSince1970: 1_800_000_000.25))
        #expect(object.value(at: ["metadata", "namespace"]) == "kube-node-lease")
    }

    @Test(arguments: [
        (path: "spec.leaseDurationSeconds", value: 0, field: "spec.leaseDurationSeconds", reason: "FieldValueInvalid",
         message: "Invalid value: 0: must be greater than 0"),
        (path: "spec.leaseTransitions", value: -1, field: "spec.leaseTransitions", reason: "FieldValueInvalid",
         message: "Invalid value: -1: must be greater than or equal to 0"),
        (path: "spec.renewTime", value: "yesterday", field: "spec.renewTime", reason: "FieldValueInvalid",
         message: "Invalid value: \"yesterday\": must be an RFC 3339 time such as 2026-01-02T15:04:05.000000Z"),
    ] as [Fixture.Change])
    func badLeasesGetAFieldPathAndAReason(change: Fixture.Change) {
        let (found, all) = Fixture.reports(change, on: Self.lease, ResourceCatalog.leases)
        #expect(found, "\(all)")
    }

    @Test func leasesPrintTheirHolder() {
        let table = TableRenderer(now: Date()).table(for: ResourceCatalog.leases, objects: [Self.lease], resourceVersion: "1")
        #expect(table["columnDefinitions"]?.array?.compactMap { $0["name"]?.string } == ["Name", "Holder", "Age"])
        #expect(table["rows"]?[0]?["cells"]?[1] == "node-1")
    }
}
