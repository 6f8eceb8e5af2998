import Foundation
import Testing
import TestSupport

/// The real kubectl against `drover up`, when kubectl is installed.
@Suite(.serialized) struct KubectlTests {
    static let kubectl = DroverBinary.which("kubectl")

    /// Runs kubectl against `up` with its kubeconfig and a private HOME (so no discovery cache is shared).
    static func session(for up: DroverUp) throws -> ([String]) throws -> (status: Int32, output: String) {
        let home = "\(up.dataDir)/home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        return { arguments in
            try DroverBinary.run(kubectl!, arguments, environment: ["KUBECONFIG": up.kubeconfigPath, "HOME": home])
        }
    }

    @Test(.enabled(if: kubectl != nil, "kubectl is not on the PATH"))
    func kubectlGetCreateListDelete() async throws {
        try await offCooperativePool { try kubectlGetCreateListDeleteBlocking() }
    }

    func kubectlGetCreateListDeleteBlocking() throws {
        let up = try DroverUp()
        defer { up.stop(); up.removeData() }
        let kubectl = try KubectlTests.session(for: up)
        let pods = try kubectl(["get", "pods"])
        #expect(pods.status == 0, "\(pods.output)")
        #expect(pods.output.contains("No resources found in default namespace."))

        let file = "\(up.dataDir)/job.json"
        try DroverUpTests.job.write(toFile: file, atomically: true, encoding: .utf8)
        let created = try kubectl(["create", "-f", file])
        #expect(created.status == 0, "\(created.output)")
        #expect(created.output.contains("job.batch/hello created"))

        let jobs = try kubectl(["get", "jobs", "-A"])
        #expect(jobs.status == 0, "\(jobs.output)")
        #expect(jobs.output.contains("NAMESPACE"))
        #expect(jobs.output.contains("hello"))

        let deleted = try kubectl(["delete", "job", "hello"])
        #expect(deleted.status == 0, "\(deleted.output)")
        #expect(deleted.output.contains("job.batch \"hello\" deleted"))
        let after = try kubectl(["get", "jobs"])
        #expect(after.output.contains("No resources found"))
    }
}

/// kubectl commands beyond the basics: protobuf generators, apply, scale, get all, describe.
@Suite(.serialized) struct KubectlMoreTests {
    @Test(.enabled(if: KubectlTests.kubectl != nil, "kubectl is not on the PATH"))
    func generatorsApplyScaleAndDescribe() async throws {
        try await offCooperativePool { try generatorsApplyScaleAndDescribeBlocking() }
    }

    func generatorsApplyScaleAndDescribeBlocking() throws {
        let up = try DroverUp()
        defer { up.stop(); up.removeData() }
        let kubectl = try KubectlTests.session(for: up)
        // These send protobuf bodies (client-go typed clients).
        let ns = try kubectl(["create", "namespace", "team"])
        #expect(ns.output.contains("namespace/team created"), "\(ns.output)")
        let job = try kubectl(["create", "job", "gen", "--image=busybox", "-n", "team", "--", "echo", "hi"])
        #expect(job.output.contains("job.batch/gen created"), "\(job.output)")
        let deployment = try kubectl(["create", "deployment", "web", "--image=nginx", "-n", "team"])
        #expect(deployment.output.contains("deployment.apps/web created"), "\(deployment.output)")

        let scaled = try kubectl(["scale", "deployment", "web", "--replicas=3", "-n", "team"])
        #expect(scaled.output.contains("deployment.apps/web scaled"), "\(scaled.output)")
        let replicas = try kubectl(["get", "deployment", "web", "-n", "team", "-o", "jsonpath={.spec.replicas}"])
        #expect(replicas.output == "3")

        let all = try kubectl(["get", "all", "-n", "team"])
        #expect(all.status == 0, "\(all.output)")
        #expect(all.output.contains("job.batch/gen"))
        #expect(all.output.contains("deployment.apps/web"))

        let file = "\(up.dataDir)/job.json"
        try DroverUpTests.job.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try kubectl(["apply", "-f", file]).output.contains("job.batch/hello created"))
        #expect(try kubectl(["apply", "-f", file]).output.contains("job.batch/hello unchanged"))
        let serverSide = try kubectl(["apply", "--server-side", "-f", file])
        #expect(serverSide.status == 0, "\(serverSide.output)")

        let described = try kubectl(["describe", "job", "gen", "-n", "team"])
        #expect(described.output.contains("Backoff Limit:"), "\(described.output)")
        let nodes = try kubectl(["get", "nodes"])
        #expect(nodes.status == 0, "\(nodes.output)")
        // kubectl's own create verb (protobuf body) and the upstream columns of `get priorityclasses`.
        let created = try kubectl(["create", "priorityclass", "batch-high", "--value=1000", "--description=urgent batch"])
        #expect(created.output.contains("priorityclass.scheduling.k8s.io/batch-high created"), "\(created.output)")
        let priorityClasses = try kubectl(["get", "pc"])
        #expect(priorityClasses.output.hasPrefix("NAME                      VALUE        GLOBAL-DEFAULT   AGE"), "\(priorityClasses.output)")
        #expect(priorityClasses.output.contains("PREEMPTIONPOLICY"), "\(priorityClasses.output)")
        #expect(priorityClasses.output.contains("system-node-critical      2000001000   false"), "\(priorityClasses.output)")
        #expect(priorityClasses.output.contains("batch-high                1000         false"), "\(priorityClasses.output)")
        let deletedNamespace = try kubectl(["delete", "namespace", "team"])
        #expect(deletedNamespace.status == 0, "\(deletedNamespace.output)")
        #expect(deletedNamespace.output.contains("namespace \"team\" deleted"))
    }
}

/// kubectl cordon, drain and uncordon on `drover up`'s own node: drain evicts the running pod
/// through pods/eviction, the local agent stops its process, and kubectl sees it gone.
@Suite(.serialized) struct KubectlNodeMaintenanceTests {
    @Test(.enabled(if: KubectlTests.kubectl != nil, "kubectl is not on the PATH"))
    func cordonDrainAndUncordonTheLocalNode() async throws {
        try await offCooperativePool { try cordonDrainAndUncordonTheLocalNodeBlocking() }
    }

    func cordonDrainAndUncordonTheLocalNodeBlocking() throws {
        let up = try DroverUp()
        defer { up.stop(); up.removeData() }
        let kubectl = try KubectlTests.session(for: up)
        let marker = "298.\(Int.random(in: 100_000...999_999))"
        let file = "\(up.dataDir)/sleeper.json"
        try """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"sleeper"},
         "spec":{"terminationGracePeriodSeconds":5,"containers":[{"name":"main","image":"busybox","command":["sleep","\(marker)"]}]}}
        """.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try up.cli(["apply", "-f", file]).status == 0)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, !(try up.cli(["get", "pod", "sleeper"]).output.contains("Running")) { Thread.sleep(forTimeInterval: 0.2) }
        let node = try kubectl(["get", "pod", "sleeper", "-o", "jsonpath={.spec.nodeName}"]).output
        #expect(!node.isEmpty)

        let cordoned = try kubectl(["cordon", node])
        #expect(cordoned.output.contains("node/\(node) cordoned"), "\(cordoned.output)")
        // A pod without a controller needs --force, as on Kubernetes.
        let refused = try kubectl(["drain", node, "--timeout=60s"])
        #expect(refused.status != 0)
        #expect(refused.output.contains("cannot delete Pods that declare no controller"), "\(refused.output)")
        let drained = try kubectl(["drain", node, "--force", "--timeout=60s"])
        #expect(drained.status == 0, "\(drained.output)\n\(up.logText)")
        #expect(drained.output.contains("pod/sleeper evicted"), "\(drained.output)")
        #expect(drained.output.contains("node/\(node) drained"), "\(drained.output)")
        #expect(try DroverBinary.run("/usr/bin/pgrep", ["-f", marker]).status != 0, "the evicted pod's process is still running")

        let uncordoned = try kubectl(["uncordon", node])
        #expect(uncordoned.output.contains("node/\(node) uncordoned"), "\(uncordoned.output)")
        #expect(try kubectl(["get", "node", node, "-o", "jsonpath={.spec.unschedulable}"]).output.isEmpty)
    }
}
