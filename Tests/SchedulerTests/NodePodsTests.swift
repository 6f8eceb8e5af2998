import Foundation
import Model
import Scheduling
import Testing
@testable import Scheduler

/// The pods of one node as an array with positions: replace, remove from the middle, re-add.
@Suite struct NodePodsTests {
    func pod(_ name: String, cpu: String = "1") -> PodInfo {
        PodInfo(["metadata": ["name": .string(name), "namespace": "default"],
                 "spec": ["containers": [["name": "c", "resources": ["requests": ["cpu": .string(cpu)]]]]]])
    }

    @Test func podsAreReplacedRemovedAndAddedByKeyKeepingTheRestFindable() {
        var pods = NodePods()
        for name in ["a", "b", "c"] { pods["default/" + name] = pod(name) }
        pods["default/b"] = pod("b", cpu: "2")
        #expect(pods.list.map(\.name) == ["a", "b", "c"])
        #expect(pods["default/b"]?.requests.milliCPU == 2000)
        // Removing from the middle moves the last pod into the gap; every key still finds its pod.
        pods["default/a"] = nil
        #expect(pods.list.map(\.name).sorted() == ["b", "c"])
        #expect(pods["default/c"]?.name == "c" && pods["default/b"]?.name == "b" && pods["default/a"] == nil)
        pods["default/a"] = pod("a")
        pods["default/c"] = nil
        pods["default/b"] = nil
        #expect(pods.list.map(\.name) == ["a"])
        #expect(pods["default/a"]?.name == "a")
        pods["default/a"] = nil
        #expect(pods.isEmpty)
        pods["default/zzz"] = nil
        #expect(pods.isEmpty)
    }
}
