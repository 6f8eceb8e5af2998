import Model
import Scheduling
import Testing

@Suite struct NodeResourcesFitTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var pod: PodInfo
        var node: NodeInfo
        var reasons: [String]
        var testDescription: String { label }
    }

    static let gpuPod = Fixture.pod(containers: [["cpu": "1", "example.com/gpu": "2"]])

    static let cases: [Case] = [
        // free cpu 4000 − 3000 = 1000m ≥ 1000m requested: fits exactly.
        Case(label: "exact fit", pod: Fixture.pod(containers: [["cpu": "1"]]),
             node: Fixture.node("n", requested: ResourceAmounts(milliCPU: 3000, pods: 3)), reasons: []),
        // init container 2 cpu > free 1000m, though the containers' sum (500m) would fit.
        Case(label: "init container decides", pod: Fixture.pod(containers: [["cpu": "500m"]], initContainers: [["cpu": "2"]]),
             node: Fixture.node("n", requested: ResourceAmounts(milliCPU: 3000)), reasons: ["Insufficient cpu"]),
        // 900m + overhead 200m = 1100m > free 1000m.
        Case(label: "overhead tips it", pod: Fixture.pod(containers: [["cpu": "900m"]], overhead: ["cpu": "200m"]),
             node: Fixture.node("n", requested: ResourceAmounts(milliCPU: 3000)), reasons: ["Insufficient cpu"]),
        // memory 8Gi − 7Gi = 1Gi free < 2Gi; pods 110 − 110 = 0 free: both reported, pods first.
        Case(label: "pods and memory", pod: Fixture.pod(containers: [["memory": "2Gi"]]),
             node: Fixture.node("n", requested: ResourceAmounts(memory: 7 << 30, pods: 110)),
             reasons: ["Too many pods", "Insufficient memory"]),
        // gpu: 2 requested, node has 4 with 3 in use → 1 free.
        Case(label: "extended resource short", pod: gpuPod,
             node: Fixture.node("n", scalars: ["example.com/gpu": 4], requested: ResourceAmounts(scalars: ["example.com/gpu": 3])),
             reasons: ["Insufficient example.com/gpu"]),
        // gpu: a node without the resource has 0 free.
        Case(label: "extended resource absent", pod: gpuPod, node: Fixture.node("n"), reasons: ["Insufficient example.com/gpu"]),
        Case(label: "extended resource fits", pod: gpuPod, node: Fixture.node("n", scalars: ["example.com/gpu": 2]), reasons: []),
        // ephemeral-storage only checked when requested: 2Gi > 0 allocatable.
        Case(label: "ephemeral storage", pod: Fixture.pod(containers: [["ephemeral-storage": "2Gi"]]), node: Fixture.node("n"),
             reasons: ["Insufficient ephemeral-storage"]),
        // A pod requesting nothing fits an overcommitted node (cpu 5000m used of 4000m) while pods remain.
        Case(label: "zero request on overcommitted node", pod: Fixture.pod(containers: [[:]]),
             node: Fixture.node("n", requested: ResourceAmounts(milliCPU: 5000, pods: 1)), reasons: []),
    ]

    @Test(arguments: cases)
    func reasonsPerShortResource(_ c: Case) {
        let plugin = NodeResourcesFit()
        #expect(plugin.filter(pod: c.pod, node: c.node).reasons == c.reasons)
        #expect(plugin.fits(pod: c.pod, node: c.node) == c.reasons.isEmpty)
    }
}
