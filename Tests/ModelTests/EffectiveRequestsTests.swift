import Testing
@testable import Model

/// `ResourceAmounts(effectiveRequestsOf:)` against upstream's `PodRequests` with sidecars (KEP-753):
/// max(Σ containers + Σ sidecars, each init container's step) + overhead, per resource.
@Suite struct EffectiveRequestsTests {
    /// One row: the pod's parts and the effective request it must come to.
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// `requests` maps of the regular containers.
        var containers: [JSONValue]
        /// `requests` maps of the init containers, in order; `sidecar` sets `restartPolicy: Always`.
        var initContainers: [(requests: JSONValue, sidecar: Bool)] = []
        var overhead: JSONValue? = nil
        var expected: ResourceAmounts
        var testDescription: String { name }
    }

    static let gi: Int64 = 1 << 30
    static let mi: Int64 = 1 << 20

    static let cases: [Case] = [
        Case(name: "no sidecars: unchanged",
             containers: [["cpu": "500m", "memory": "1Gi"], ["cpu": "250m", "memory": "3Gi", "example.com/gpu": "1"]],
             initContainers: [(["cpu": "2", "memory": "1Gi"], false),
                              (["cpu": "1", "memory": "2Gi", "example.com/gpu": "2"], false)],
             overhead: ["cpu": "100m", "memory": "128Mi"],
             // cpu:    Σ 500m + 250m = 750m;  init steps 2000m, 1000m → 2000m; + 100m = 2100m
             // memory: Σ 1Gi + 3Gi = 4Gi;     init steps 1Gi, 2Gi     → 4Gi;   + 128Mi
             // gpu:    Σ 1;                   init steps 0, 2         → 2
             expected: ResourceAmounts(milliCPU: 2100, memory: 4 * gi + 128 * mi, pods: 1,
                                       scalars: ["example.com/gpu": 2])),
        Case(name: "one sidecar after a big init container",
             containers: [["cpu": "1", "memory": "1Gi"]],
             initContainers: [(["cpu": "2", "memory": "1Gi"], false),
                              (["cpu": "500m", "memory": "512Mi"], true)],
             // steady: cpu 1000m + 500m = 1500m; memory 1Gi + 512Mi = 1536Mi
             // steps:  big init 2000m/1Gi (no sidecar before it); sidecar 500m/512Mi
             // max:    cpu 2000m (the init container); memory 1536Mi (the sidecar now counts)
             expected: ResourceAmounts(milliCPU: 2000, memory: 1536 * mi, pods: 1)),
        Case(name: "sidecar before a big init container",
             containers: [["cpu": "1", "memory": "1Gi"]],
             initContainers: [(["cpu": "500m", "memory": "512Mi"], true),
                              (["cpu": "2", "memory": "1Gi"], false)],
             // steady: cpu 1500m; memory 1536Mi
             // steps:  sidecar 500m/512Mi; big init 2000m + 500m = 2500m, 1Gi + 512Mi = 1536Mi
             // max:    cpu 2500m; memory 1536Mi
             expected: ResourceAmounts(milliCPU: 2500, memory: 1536 * mi, pods: 1)),
        Case(name: "two sidecars and two init containers interleaved",
             containers: [["cpu": "500m", "memory": "512Mi"]],
             initContainers: [(["cpu": "1", "memory": "256Mi"], false),   // A
                              (["cpu": "200m", "memory": "1Gi"], true),   // S1
                              (["cpu": "3", "memory": "3Gi"], false),     // B
                              (["cpu": "300m", "memory": "2Gi"], true)],  // S2
             // steady: cpu 500m + 200m + 300m = 1000m; memory 512Mi + 1Gi + 2Gi = 3584Mi
             // steps:  A  1000m, 256Mi
             //         S1 200m, 1Gi
             //         B  3000m + 200m = 3200m, 3Gi + 1Gi = 4Gi   (S2 comes after B: not counted)
             //         S2 200m + 300m = 500m, 1Gi + 2Gi = 3Gi
             // max:    cpu 3200m; memory 4Gi
             expected: ResourceAmounts(milliCPU: 3200, memory: 4 * gi, pods: 1)),
        Case(name: "extended resources",
             containers: [["example.com/gpu": "1", "hugepages-2Mi": "4Mi"]],
             initContainers: [(["example.com/gpu": "1", "example.com/nic": "1"], true),
                              (["example.com/gpu": "2", "example.com/fpga": "1", "hugepages-2Mi": "2Mi"], false)],
             // gpu:       steady 1 + 1 = 2;  steps 1, 2 + 1 = 3 → 3
             // nic:       steady 1;          steps 1, 0 + 1 = 1 → 1
             // fpga:      steady 0;          steps 0, 1         → 1
             // hugepages: steady 4Mi;        steps 0, 2Mi       → 4Mi
             expected: ResourceAmounts(pods: 1, scalars: ["example.com/gpu": 3, "example.com/nic": 1,
                                                          "example.com/fpga": 1, "hugepages-2Mi": 4 * mi])),
        Case(name: "overhead is added after the max",
             containers: [["cpu": "1"]],
             initContainers: [(["cpu": "2"], false), (["cpu": "500m", "memory": "64Mi"], true)],
             overhead: ["cpu": "250m", "memory": "64Mi"],
             // cpu:    steady 1000m + 500m = 1500m; steps 2000m, 500m → 2000m; + 250m = 2250m
             // memory: steady 64Mi;                 steps 0, 64Mi     → 64Mi;  + 64Mi = 128Mi
             expected: ResourceAmounts(milliCPU: 2250, memory: 128 * mi, pods: 1)),
        Case(name: "only sidecars",
             containers: [["cpu": "100m"]],
             initContainers: [(["cpu": "200m"], true), (["cpu": "300m"], true)],
             // steady 100m + 200m + 300m = 600m; steps 200m, 500m → 600m
             expected: ResourceAmounts(milliCPU: 600, pods: 1)),
    ]

    @Test(arguments: cases)
    func effectiveRequestMatchesUpstream(_ row: Case) {
        #expect(ResourceAmounts(effectiveRequestsOf: Self.pod(row)) == row.expected)
    }

    /// Pod-level `spec.resources` (PodLevelResources, alpha and off by default through 1.33) is
    /// ignored, as upstream's scheduler does with the gate off.
    @Test func podLevelResourcesAreIgnored() {
        var pod = Self.pod(Case(name: "", containers: [["cpu": "500m"]], expected: ResourceAmounts()))
        pod.setValue(["requests": ["cpu": "4", "memory": "8Gi"]], at: ["spec", "resources"])
        #expect(ResourceAmounts(effectiveRequestsOf: pod) == ResourceAmounts(milliCPU: 500, pods: 1))
    }

    static func pod(_ row: Case) -> JSONValue {
        var spec: [(String, JSONValue)] = [
            ("containers", .array(row.containers.enumerated().map { i, requests in
                ["name": .string("c\(i)"), "resources": ["requests": requests]]
            })),
        ]
        if !row.initContainers.isEmpty {
            spec.append(("initContainers", .array(row.initContainers.enumerated().map { i, entry in
                var container: JSONValue = ["name": .string("i\(i)"), "resources": ["requests": entry.requests]]
                if entry.sidecar { container.setValue("Always", at: ["restartPolicy"]) }
                return container
            })))
        }
        if let overhead = row.overhead { spec.append(("overhead", overhead)) }
        return ["metadata": ["name": "p", "namespace": "default"], "spec": .object(JSONObject(spec))]
    }
}
