import Client
import Foundation
import Model
import Testing
import TestSupport

/// The HorizontalPodAutoscaler on one real `drover up` with the real kubectl: `kubectl autoscale`
/// (an autoscaling/v1 protobuf body) on a Deployment whose pods burn cpu while a stop file is
/// absent; the agents' cgroup samples reach the HPA through metrics.k8s.io, the Deployment
/// scales up to its max, `kubectl get hpa` shows upstream's columns, and once the load stops it
/// scales back down after the (shortened) stabilization window.
@Suite(.serialized) struct AutoscalingEndToEndTests {
    static func deployment(stopFile: String) -> String {
        """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},
           "spec":{"terminationGracePeriodSeconds":1,
            "containers":[{"name":"burn","image":"busybox","command":["sh","-c","while [ ! -f \(stopFile) ]; do :; done; exec sleep 3600"],
                           "resources":{"requests":{"cpu":"100m"},"limits":{"cpu":"300m"}}}]}}}}
        """
    }

    @Test(.enabled(if: KubectlTests.kubectl != nil, "kubectl is not on the PATH"))
    func aBurningDeploymentScalesUpToItsMaxAndBackDownWhenTheLoadStops() async throws {
        try await offCooperativePool {
            // Metrics every 2 s, an HPA sync every 2 s, 6 s of downscale stabilization.
            let up = try DroverUp(arguments: ["--metric-resolution", "2", "--horizontal-pod-autoscaler-sync-period", "2s",
                                              "--horizontal-pod-autoscaler-downscale-stabilization", "6s"])
            defer { up.stop(); up.removeData() }
            let client = try HTTPAPIClient(server: up.server, token: up.token)
            try await run(up, client)
        }
    }

    func replicas(_ client: HTTPAPIClient) async throws -> Int {
        Int(try await client.get(ResourceCatalog.deployments, namespace: "default", name: "web").value(at: ["spec", "replicas"])?.int ?? -1)
    }

    func rescaleMessages(_ client: HTTPAPIClient) async throws -> [String] {
        try await client.list(ResourceCatalog.events, namespace: "default").items
            .filter { $0["reason"] == "SuccessfulRescale" && $0.value(at: ["involvedObject", "kind"]) == "HorizontalPodAutoscaler" }
            .compactMap { $0["message"]?.string }
    }

    func run(_ up: DroverUp, _ client: HTTPAPIClient) async throws {
        let kubectl = try KubectlTests.session(for: up)
        let stopFile = "\(up.dataDir)/stop-burning"
        let file = "\(up.dataDir)/web.json"
        try Self.deployment(stopFile: stopFile).write(toFile: file, atomically: true, encoding: .utf8)
        let created = try kubectl(["create", "-f", file])
        #expect(created.status == 0, "\(created.output)")
        let autoscale = try kubectl(["autoscale", "deployment", "web", "--min", "1", "--max", "3", "--cpu-percent", "50"])
        #expect(autoscale.output.contains("horizontalpodautoscaler.autoscaling/web autoscaled"), "\(autoscale.output)")

        // Up: far above 50% of 100m, so straight to the max (the rate limit allows max(2 × 1, 4)).
        let scaledUp = try await eventually(within: 90) { try await replicas(client) == 3 }
        let describeUp = try kubectl(["describe", "hpa", "web"]).output
        #expect(scaledUp, "never scaled to 3:\n\(describeUp)\n\(up.logText)")
        #expect(try await rescaleMessages(client)
                    .contains("New size: 3; reason: cpu resource utilization (percentage of request) above target"))
        let table = try kubectl(["get", "hpa"]).output
        let lines = table.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(lines.first == "NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE", "\(table)")
        #expect(lines.dropFirst().first?.hasPrefix("web Deployment/web cpu: ") == true, "\(table)")
        #expect(lines.dropFirst().first?.contains("%/50% 1 3 ") == true, "\(table)")
        let drover = try up.cli(["get", "hpa"]).output
        #expect(drover.contains("Deployment/web") && drover.contains("TARGETS"), "\(drover)")
        let v2 = try await client.get(ResourceCatalog.horizontalPodAutoscalers, namespace: "default", name: "web")
        let conditions = (v2.value(at: ["status", "conditions"])?.array ?? []).map { "\($0["type"]?.string ?? "")=\($0["status"]?.string ?? "")" }
        #expect(conditions.contains("AbleToScale=True") && conditions.contains("ScalingActive=True"), "\(conditions)")

        // Down: the load stops; after the 6 s window the HPA goes back to its minimum.
        try Data().write(to: URL(fileURLWithPath: stopFile))
        let scaledDown = try await eventually(within: 90) { try await replicas(client) == 1 }
        let describeDown = try kubectl(["describe", "hpa", "web"]).output
        #expect(scaledDown, "never scaled back to 1:\n\(describeDown)")
        #expect(try await rescaleMessages(client).contains("New size: 1; reason: All metrics below target"))
        let settled = try await eventually(within: 20) {
            try kubectl(["get", "hpa", "web", "-o", "jsonpath={.status.desiredReplicas}"]).output == "1"
        }
        #expect(settled)
    }
}
