import Model
import Scheduling
import Testing
@testable import Scheduler

@Suite struct SchedulerCacheTests {
    static func node(_ name: String, cpu: String) -> NodeInfo {
        NodeInfo(name: name, allocatable: ResourceAmounts(requests: ["cpu": .string(cpu), "memory": "8Gi", "pods": 110]))
    }

    @Test func aNominationHoldsItsRoomOnlyAgainstPodsOfItsPriorityOrLower() {
        var cache = SchedulerCache()
        cache.setNode(Self.node("n1", cpu: "4"))
        let two = ResourceAmounts(requests: ["cpu": "2"])
        cache.nominate("default/mid", requests: two, node: "n1", priority: 50)
        let held = { (priority: Int32) in cache.nodes(forPriority: priority).first?.requested.milliCPU }
        #expect(held(10) == 2000 && held(50) == 2000, "lower and equal priorities see the hold")
        #expect(held(100) == 0, "a higher priority does not")
        #expect(cache.takeNomination("default/mid") == "n1")
        #expect(held(10) == 0)
    }
}
