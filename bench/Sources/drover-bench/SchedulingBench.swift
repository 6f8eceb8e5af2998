import Foundation
import Model
import Scheduling

/// The pure placement cost and packing quality, with no API server: a mixed trace of small,
/// medium and large pods in random order placed one after another on simulated nodes, each
/// placement added to its node as the scheduler's assume cache would. Prints pods/s and
/// nodes used ÷ ⌈Σ requests ÷ node capacity⌉ (the larger of the CPU and memory bounds).
struct SchedulingBench {
    var nodeCount: Int
    var podCount: Int
    var seed: UInt64

    static let nodeCPU: Int64 = 32_000
    static let nodeMemory: Int64 = 128 << 30

    func run() {
        measureBothProfiles(trace: "three classes", classTrace())
        measureBothProfiles(trace: "six sizes, the end-to-end bench's", (0..<podCount).map { i in
            let (milliCPU, memoryMi) = SchedulerBench.requests(ofPod: i)
            return Self.pod(i, milliCPU: milliCPU, memoryMi: memoryMi)
        })
    }

    private func measureBothProfiles(trace: String, _ pods: [PodInfo]) {
        let cpu = pods.reduce(Int64(0)) { $0 + $1.requests.milliCPU }
        let memory = pods.reduce(Int64(0)) { $0 + $1.requests.memory }
        let bound = max(ceilDiv(cpu, Self.nodeCPU), ceilDiv(memory, Self.nodeMemory))
        print("scheduling: \(trace) trace, \(podCount) pods (Σ \(cpu / 1000) cpu, \(memory >> 30) Gi) on \(nodeCount) nodes "
              + "of 32 cpu / 128Gi; lower bound \(bound) nodes")
        var cases: [(String, Profile)] = []
        for (label, base) in [("bin-packing", Profile.binPacking), ("spreading", Profile.spreading)] {
            for percentage in [0, 100] {
                var profile = base
                profile.percentageOfNodesToScore = percentage
                cases.append(("\(label) \(percentage == 0 ? "adaptive" : "100%")", profile))
            }
        }
        for (label, profile) in cases {
            measure(label, profile, pods, bound)
        }
    }

    private func measure(_ label: String, _ profile: Profile, _ pods: [PodInfo], _ bound: Int64) {
        var nodes = (0..<nodeCount).map { i in
            NodeInfo(name: String(format: "node-%05d", i),
                     allocatable: ResourceAmounts(milliCPU: Self.nodeCPU, memory: Self.nodeMemory, pods: 110))
        }
        let random = SplitMix(seed: seed &+ 1)
        let tieBreak = TieBreak.random { random.next(below: $0) }
        var start = 0, unschedulable = 0
        let began = DispatchTime.now().uptimeNanoseconds
        for pod in pods {
            if let index = profile.placement(pod, nodes: nodes, tieBreak: tieBreak, nextStartIndex: &start) {
                nodes[index].requested = nodes[index].requested + pod.requests
            } else {
                unschedulable += 1
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        let used = nodes.filter { $0.requested.pods > 0 }.count
        let name = label.padding(toLength: 22, withPad: " ", startingAt: 0)
        print(name + String(format: " %8.0f pods/s  nodes used %5d  packing ratio %.3f  unschedulable %d",
                            Double(pods.count) / seconds, used, Double(used) / Double(bound), unschedulable))
    }

    /// 50% small (0.25–1 cpu, 0.5–2Gi), 35% medium (2–4 cpu, 4–16Gi), 15% large (8–16 cpu,
    /// 24–64Gi), shuffled by the seeded generator.
    private func classTrace() -> [PodInfo] {
        let random = SplitMix(seed: seed)
        return (0..<podCount).map { i in
            let kind = random.next(below: 100)
            let milliCPU: Int, memoryMi: Int
            switch kind {
            case 0..<50: (milliCPU, memoryMi) = (250 * (1 + random.next(below: 4)), 512 * (1 + random.next(below: 4)))
            case 50..<85: (milliCPU, memoryMi) = (1000 * (2 + random.next(below: 3)), 4096 * (1 + random.next(below: 4)))
            default: (milliCPU, memoryMi) = (4000 * (2 + random.next(below: 3)), 8192 * (3 + random.next(below: 6)))
            }
            return Self.pod(i, milliCPU: milliCPU, memoryMi: memoryMi)
        }
    }

    private static func pod(_ i: Int, milliCPU: Int, memoryMi: Int) -> PodInfo {
        PodInfo([
            "metadata": ["name": .string("p-\(i)"), "namespace": "default"],
            "spec": ["containers": [["name": "main", "resources": ["requests": [
                "cpu": .string("\(milliCPU)m"), "memory": .string("\(memoryMi)Mi")]]]]],
        ])
    }

    private func ceilDiv(_ a: Int64, _ b: Int64) -> Int64 { (a + b - 1) / b }
}

/// A small seeded generator so traces and tie-breaks repeat from run to run.
final class SplitMix: @unchecked Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    func next(below bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(bound))
    }
}
