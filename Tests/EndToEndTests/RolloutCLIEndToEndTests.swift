import Foundation
import Testing
import TestSupport

/// `drover scale`, `rollout` and `set image` as a user runs them: the real binary against
/// `drover up`, its controllers and its agent running `sleep 600` processes — a rollout, an image
/// change, undo back to revision 1's template as revision 3, scaling with and without a
/// precondition, pause/resume, a restart, and a rollout that fails its progress deadline.
@Suite(.serialized) struct RolloutCLIEndToEndTests {
    static let deployment = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      replicas: 2
      selector:
        matchLabels: {app: web}
      template:
        metadata:
          labels: {app: web}
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: main
            image: busybox
            command: ["sleep", "600"]
    """

    @Test func rolloutStatusHistoryUndoAndScaleDriveARealDeployment() async throws {
        try await offCooperativePool { try runBlocking() }
    }

    func runBlocking() throws {
        let up = try DroverUp()
        defer { up.stop(); up.removeData() }
        let file = "\(up.dataDir)/web.yaml"
        try Self.deployment.write(toFile: file, atomically: true, encoding: .utf8)
        let created = try up.cli(["apply", "-f", file])
        #expect(created.status == 0, "\(created.output)")

        func rolledOut(_ step: String) throws {
            let status = try up.cli(["rollout", "status", "deployment/web", "--timeout", "60s"])
            #expect(status.status == 0, "\(step): \(status.output)\n\(up.logText)")
            #expect(status.output.hasSuffix("deployment \"web\" successfully rolled out\n"), "\(step): \(status.output)")
        }
        try rolledOut("created")

        let set = try up.cli(["set", "image", "deployment/web", "main=busybox:2"])
        #expect(set.output == "deployment.apps/web image updated\n", "\(set.output)")
        try rolledOut("image changed")
        let two = try up.cli(["rollout", "history", "deployment/web"])
        #expect(two.output == "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n", "\(two.output)")

        // Undo brings revision 1's template back as revision 3.
        let undo = try up.cli(["rollout", "undo", "deployment/web"])
        #expect(undo.output == "deployment.apps/web rolled back\n", "\(undo.output)")
        try rolledOut("undone")
        let three = try up.cli(["rollout", "history", "deployment/web"])
        #expect(three.output == "deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n", "\(three.output)")
        let image = try up.cli(["get", "deployment", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}"])
        #expect(image.output == "busybox", "\(image.output)")
        let revision3 = try up.cli(["rollout", "history", "deployment/web", "--revision=3"])
        #expect(revision3.output.hasPrefix("deployment.apps/web with revision #3\nPod Template:\n"), "\(revision3.output)")
        #expect(revision3.output.contains("    Image:      busybox\n"), "\(revision3.output)")

        let scaled = try up.cli(["scale", "deployment/web", "--replicas", "3"])
        #expect(scaled.output == "deployment.apps/web scaled\n", "\(scaled.output)")
        try rolledOut("scaled")
        let available = try up.cli(["get", "deployment", "web", "-o", "jsonpath={.status.availableReplicas}"])
        #expect(available.output == "3", "\(available.output)")
        let precondition = try up.cli(["scale", "deployment/web", "--current-replicas", "5", "--replicas", "1"])
        #expect(precondition.status == 1 && precondition.output == "error: Expected replicas to be 5, was 3\n", "\(precondition.output)")

        // Paused twice is kubectl's error; resumed, a restart rolls out revision 4.
        #expect(try up.cli(["rollout", "pause", "deployment/web"]).output == "deployment.apps/web paused\n")
        let twice = try up.cli(["rollout", "pause", "deployment/web"])
        #expect(twice.status == 1 && twice.output == "error: deployments.apps \"web\" is already paused\n", "\(twice.output)")
        #expect(try up.cli(["rollout", "resume", "deployment/web"]).output == "deployment.apps/web resumed\n")
        #expect(try up.cli(["rollout", "restart", "deployment/web"]).output == "deployment.apps/web restarted\n")
        try rolledOut("restarted")
        let four = try up.cli(["rollout", "history", "deployment/web"])
        #expect(four.output.hasSuffix("3         <none>\n4         <none>\n\n"), "\(four.output)")

        // Pods that never become ready: status fails once the progress deadline has passed.
        let stuck = #"{"spec":{"progressDeadlineSeconds":3,"template":{"spec":{"containers":[{"name":"main","readinessProbe":{"exec":{"command":["false"]},"periodSeconds":1}}]}}}}"#
        #expect(try up.cli(["patch", "deployment", "web", "-p", stuck]).status == 0)
        let failed = try up.cli(["rollout", "status", "deployment/web", "--timeout", "60s"])
        #expect(failed.status == 1, "\(failed.output)")
        #expect(failed.output.hasSuffix("error: deployment \"web\" exceeded its progress deadline\n"), "\(failed.output)")
    }
}
