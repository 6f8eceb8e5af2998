import Controllers
import Testing

@Suite struct ControllerKindTests {
    @Test func componentNamesAreUpstreams() {
        #expect(ControllerKind.job.component == "job-controller")
        #expect(ControllerKind.cronjob.component == "cronjob-controller")
        #expect(ControllerKind.replicaset.component == "replicaset-controller")
        #expect(ControllerKind.deployment.component == "deployment-controller")
        #expect(ControllerKind.daemonset.component == "daemonset-controller")
        #expect(ControllerKind.nodelifecycle.component == "node-controller")
        #expect(ControllerKind.tainteviction.component == "taint-eviction-controller")
        #expect(ControllerKind.disruption.component == "controllermanager")
        #expect(ControllerKind.jobdependency.component == "job-dependency-controller")
        #expect(ControllerKind.horizontalpodautoscaling.component == "horizontal-pod-autoscaler")
        #expect(Set(ControllerKind.allCases.map(\.rawValue)) == ["job", "cronjob", "garbagecollector", "replicaset", "deployment", "daemonset",
                                                                 "podgroup",
                                                                 "disruption", "horizontalpodautoscaling", "nodelifecycle", "tainteviction",
                                                                 "jobdependency", "queuemanager"])
    }
}
