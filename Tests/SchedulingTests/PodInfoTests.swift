import Model
import Scheduling
import Testing

@Suite struct PodInfoTests {
    @Test func effectiveRequestIsTheLargerOfContainerSumAndLargestInitContainerPlusOverhead() {
        let pod = Fixture.pod(
            containers: [["cpu": "500m", "memory": "1Gi"], ["cpu": "250m", "memory": "3Gi", "example.com/gpu": "1"]],
            initContainers: [["cpu": "2", "memory": "1Gi"], ["cpu": "1", "memory": "2Gi", "example.com/gpu": "2"]],
            overhead: ["cpu": "100m", "memory": "128Mi"])
        // cpu:    sum 500m + 250m = 750m; largest init 2000m → 2000m; + overhead 100m = 2100m
        // memory: sum 1Gi + 3Gi = 4Gi;    largest init 2Gi   → 4Gi;    + 128Mi   = 4Gi + 128Mi
        // gpu:    sum 1;                   largest init 2     → 2
        #expect(pod.requests.milliCPU == 2100)
        #expect(pod.requests.memory == (4 << 30) + (128 << 20))
        #expect(pod.requests.scalars == ["example.com/gpu": 2])
        #expect(pod.requests.pods == 1)
    }

    @Test func missingAndMalformedRequestsCountAsZero() {
        let pod = Fixture.pod(containers: [[:], ["cpu": "lots", "ephemeral-storage": "1Gi"]])
        #expect(pod.requests == ResourceAmounts(ephemeralStorage: 1 << 30, pods: 1))
    }

    @Test func changingTolerationsOrAffinityReparsesThem() {
        var pod = Fixture.pod()
        #expect(pod.tolerationRules.isEmpty && pod.affinityRules.required == nil)
        pod.tolerations = [["operator": "Exists"]]
        pod.nodeAffinity = ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": []]]
        #expect(pod.tolerationRules == [Toleration(op: .exists)])
        #expect(pod.affinityRules.required == [])
    }

    @Test func nodeAddingAndRemovingAPodMovesItsRequests() {
        let pod = Fixture.pod(containers: [["cpu": "1", "example.com/gpu": "1"]])
        let node = Fixture.node("n").adding(pod).adding(pod).removing(pod)
        #expect(node.requested.milliCPU == 1000)
        #expect(node.requested.pods == 1)
        #expect(node.requested.scalars["example.com/gpu"] == 1)
    }
}
