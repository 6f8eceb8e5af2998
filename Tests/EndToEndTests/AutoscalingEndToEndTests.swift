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
                           "resources":{"requests":{"cpu":"100m"},"limits":{"cpu":"150m"}}}]}}}}
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

    /// The Python client's typed models (strict about required fields) over both versions.
    static let pythonScript = """
    import sys
    from kubernetes import client, config, watch
    config.load_kube_config(config_file=sys.argv[1])
    v2, v1 = client.AutoscalingV2Api(), client.AutoscalingV1Api()
    hpa = v2.read_namespaced_horizontal_pod_autoscaler("web", "default")
    assert hpa.spec.metrics[0].resource.target.average_utilization == 50, hpa.spec
    assert hpa.status.current_metrics[0].resource.current.average_utilization is not None, hpa.status
    assert {c.type for c in hpa.status.conditions} == {"AbleToScale", "ScalingActive", "ScalingLimited"}, hpa.status.conditions
    old = v1.list_namespaced_horizontal_pod_autoscaler("default").items[0]
    assert old.spec.target_cpu_utilization_percentage == 50 and old.status.current_cpu_utilization_percentage is not None, old
    events = [e["object"].metadata.name for e in watch.Watch().stream(v2.list_namespaced_horizontal_pod_autoscaler, "default", timeout_seconds=1)]
    assert events[:1] == ["web"], events
    print("python hpa ok")
    """

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

        // Up: the 150m limit is 150% of the request, three times the target: straight to the max (the
        // rate limit allows max(2 × 1, 4)). The limit keeps the three burners to under half a core.
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
        if PythonClientTests.available {
            let script = "\(up.dataDir)/hpa.py"
            try Self.pythonScript.write(toFile: script, atomically: true, encoding: .utf8)
            let python = try DroverBinary.run(DroverBinary.which("python3")!, [script, up.kubeconfigPath], environment: ["HOME": up.dataDir])
            #expect(python.status == 0 && python.output.contains("python hpa ok"), "\(python.output)")
        }
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
