@testable import CLI
import Model
import Testing

@Suite struct DrainPlanTests {
    typealias Options = DrainPlan.Options

    /// A pod in `default` with an optional controller kind, phase, emptyDir volume or mirror annotation.
    static func pod(_ name: String, controller: String? = nil, phase: String = "Running", emptyDir: Bool = false,
                    mirror: Bool = false) -> JSONValue {
        var pod: JSONValue = ["metadata": ["name": .string(name), "namespace": "default"], "status": ["phase": .string(phase)],
                              "spec": ["containers": [["name": "main"]]]]
        if let controller {
            pod.setValue([["apiVersion": "apps/v1", "kind": .string(controller), "name": "owner", "uid": "u", "controller": true]],
                         at: ["metadata", "ownerReferences"])
        }
        if emptyDir { pod.setValue([["name": "scratch", "emptyDir": .emptyObject]], at: ["spec", "volumes"]) }
        if mirror { pod.setValue(["kubernetes.io/config.mirror": "x"], at: ["metadata", "annotations"]) }
        return pod
    }

    static func names(_ pods: [JSONValue]) -> [String] { pods.compactMap { $0.value(at: ["metadata", "name"])?.string } }

    // (pod, options) → (evicted?, warning, error)
    @Test(arguments: [
        (pod("rs", controller: "ReplicaSet"), Options(), true, nil, nil),
        (pod("bare"), Options(), false, nil, "cannot delete Pods that declare no controller (use --force to override): default/bare"),
        (pod("bare"), Options(force: true), true, "deleting Pods that declare no controller: default/bare", nil),
        (pod("bare-done", phase: "Succeeded"), Options(), true, nil, nil),      // finished pods always go
        (pod("ds", controller: "DaemonSet"), Options(), false, nil,
         "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/ds"),
        (pod("ds", controller: "DaemonSet"), Options(ignoreDaemonSets: true), false, "ignoring DaemonSet-managed Pods: default/ds", nil),
        (pod("ds-done", controller: "DaemonSet", phase: "Failed"), Options(), true, nil, nil),
        (pod("mirror", mirror: true), Options(), false, nil, nil),              // static pods cannot be deleted through the API
        (pod("scratch", controller: "Job", emptyDir: true), Options(), false, nil,
         "cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratch"),
        (pod("scratch", controller: "Job", emptyDir: true), Options(deleteEmptyDirData: true), true,
         "deleting Pods with local storage: default/scratch", nil),
        // The later rule's warning wins, as upstream.
        (pod("both", emptyDir: true), Options(force: true, deleteEmptyDirData: true), true,
         "deleting Pods that declare no controller: default/both", nil),
    ] as [(JSONValue, Options, Bool, String?, String?)])
    func eachPodFollowsKubectlsRules(_ pod: JSONValue, _ options: Options, _ evicted: Bool, _ warning: String?, _ error: String?) {
        let plan = DrainPlan(pods: [pod], options: options)
        #expect(plan.evict.count == (evicted ? 1 : 0))
        #expect(plan.warnings == (warning.map { [$0] } ?? []))
        #expect(plan.errors == (error.map { [$0] } ?? []))
    }

    @Test func podsWithTheSameProblemShareOneLineInOrder() {
        let plan = DrainPlan(pods: [Self.pod("b"), Self.pod("rs", controller: "ReplicaSet"), Self.pod("a"),
                                    Self.pod("ds", controller: "DaemonSet")], options: Options())
        #expect(plan.errors == ["cannot delete Pods that declare no controller (use --force to override): default/b, default/a",
                                "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/ds"])
        #expect(Self.names(plan.evict) == ["rs"])
    }
}
