import Foundation
import Testing
import TestSupport

/// `drover get` and `drover describe` for every kind the server serves, against a real `drover up`:
/// the columns are the server's Table in kubectl's order (and, where kubectl is on the PATH, exactly
/// the header kubectl prints), and every kind describes.
@Suite(.serialized) struct GetEveryKindEndToEndTests {
    static let objects = """
    {"apiVersion":"v1","kind":"List","items":[
    {"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"nightly"},"spec":{"schedule":"0 3 * * *",
      "jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox","command":["true"]}]}}}}}},
    {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"once"},"spec":{"template":{"spec":{"restartPolicy":"Never",
      "containers":[{"name":"c","image":"busybox","command":["true"]}]}}}},
    {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
      "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"busybox","command":["sleep","600"]}]}}}},
    {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"agentd"},"spec":{"selector":{"matchLabels":{"app":"agentd"}},
      "template":{"metadata":{"labels":{"app":"agentd"}},"spec":{"containers":[{"name":"a","image":"busybox","command":["sleep","600"]}]}}}},
    {"apiVersion":"scheduling.k8s.io/v1","kind":"PriorityClass","metadata":{"name":"batch-low"},"value":10},
    {"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"web"},"spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"web"}}}},
    {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"web"},
      "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"minReplicas":1,"maxReplicas":1}}
    ]}
    """

    /// Kind → an object of it to describe (nil: the first one listed).
    static let kinds: [(kind: String, name: String?)] = [
        ("pods", nil), ("nodes", nil), ("namespaces", "default"), ("events", nil), ("jobs", "once"), ("cronjobs", "nightly"),
        ("deployments", "web"), ("replicasets", nil), ("daemonsets", "agentd"), ("priorityclasses", "batch-low"),
        ("poddisruptionbudgets", "web"), ("horizontalpodautoscalers", "web"),
    ]

    /// A header line's column names (kubectl pads with at least three spaces; names such as
    /// `LAST SEEN` hold one).
    static func columns(_ output: String) -> [String] {
        (output.split(separator: "\n").first.map(String.init) ?? "")
            .components(separatedBy: "   ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    @Test func everyKindListsWithKubectlsColumnsAndDescribes() async throws {
        try await offCooperativePool { try runBlocking() }
    }

    func runBlocking() throws {
        let up = try DroverUp()
        defer { up.stop(); up.removeData() }
        let file = "\(up.dataDir)/objects.json"
        try Self.objects.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try up.cli(["apply", "-f", file]).status == 0)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, try up.cli(["get", "replicasets", "-o", "name"]).output.hasPrefix("No resources") {
            Thread.sleep(forTimeInterval: 0.2)
        }
        let kubectl = KubectlTests.kubectl == nil ? nil : try KubectlTests.session(for: up)
        let expected: [String: [String]] = [
            "pods": ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"],
            "nodes": ["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
            "namespaces": ["NAME", "STATUS", "AGE"],
            "events": ["NAMESPACE", "LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
            "jobs": ["NAMESPACE", "NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"],
            "cronjobs": ["NAMESPACE", "NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"],
            "deployments": ["NAMESPACE", "NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
            "replicasets": ["NAMESPACE", "NAME", "DESIRED", "CURRENT", "READY", "AGE"],
            "daemonsets": ["NAMESPACE", "NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"],
            "priorityclasses": ["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"],
            "poddisruptionbudgets": ["NAMESPACE", "NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"],
            "horizontalpodautoscalers": ["NAMESPACE", "NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"],
        ]
        for (kind, name) in Self.kinds {
            let listed = try up.cli(["get", kind, "-A"])
            #expect(listed.status == 0, "\(kind): \(listed.output)")
            #expect(Self.columns(listed.output) == expected[kind], "\(kind): \(listed.output)")
            if let kubectl {
                let theirs = try kubectl(["get", kind, "-A"])
                #expect(Self.columns(listed.output) == Self.columns(theirs.output), "\(kind):\n\(listed.output)\nkubectl:\n\(theirs.output)")
            }
            let namespaceFlags = ["nodes", "namespaces", "priorityclasses"].contains(kind) ? [] : ["-n", "default"]
            let target = try name ?? up.cli(["get", kind, "-o", "jsonpath={.items[0].metadata.name}"] + namespaceFlags).output
            let described = try up.cli(["describe", kind, target] + namespaceFlags)
            #expect(described.status == 0, "\(kind) \(target): \(described.output)")
            #expect(described.output.hasPrefix("Name:"), "\(kind) \(target): \(described.output)")
            if kind == "deployments" { #expect(described.output.contains("NewReplicaSet:   web-"), "\(described.output)") }
            if kind == "replicasets" { #expect(described.output.contains("Controlled By:  Deployment/web"), "\(described.output)") }
        }
    }
}
