import Foundation
import Testing
import TestSupport

/// The real kubectl running Jobs and CronJobs on `drover up` as it would on Kubernetes: create -f,
/// wait --for=condition=complete, describe, logs job/NAME, create cronjob, create job --from=cronjob/.
@Suite(.serialized) struct KubectlJobTests {
    static let job = """
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: hello
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: main
            image: busybox
            command: ["sh", "-c", "echo hello from drover"]
    """

    @Test(.enabled(if: KubectlTests.kubectl != nil, "kubectl is not on the PATH"))
    func kubectlRunsAJobToCompletionAndACronJobOnScheduleAndByHand() async throws {
        try await offCooperativePool { try runBlocking() }
    }

    func runBlocking() throws {
        let up = try DroverUp()
        defer { up.stop(); up.removeData() }
        let kubectl = try KubectlTests.session(for: up)
        let file = "\(up.dataDir)/job.yaml"
        try Self.job.write(toFile: file, atomically: true, encoding: .utf8)
        let created = try kubectl(["create", "-f", file])
        #expect(created.output.contains("job.batch/hello created"), "\(created.output)")

        let waited = try kubectl(["wait", "--for=condition=complete", "job/hello", "--timeout=90s"])
        #expect(waited.status == 0, "\(waited.output)\n\(up.logText)")
        #expect(waited.output.contains("job.batch/hello condition met"), "\(waited.output)")

        let described = try kubectl(["describe", "job", "hello"])
        #expect(described.status == 0, "\(described.output)")
        #expect(described.output.contains("1 Succeeded"), "\(described.output)")
        #expect(described.output.contains("SuccessfulCreate"), "\(described.output)")
        #expect(described.output.contains("Completed"), "\(described.output)")

        let logs = try kubectl(["logs", "job/hello"])
        #expect(logs.status == 0, "\(logs.output)")
        #expect(logs.output.trimmingCharacters(in: .whitespacesAndNewlines) == "hello from drover")

        // --cascade=orphan keeps the Job's pod, without its owner reference.
        let orphaned = try kubectl(["delete", "job", "hello", "--cascade=orphan"])
        #expect(orphaned.output.contains("job.batch \"hello\" deleted"), "\(orphaned.output)")
        var left = ""
        for _ in 0..<50 {
            left = try kubectl(["get", "pods", "-l", "job-name=hello", "-o", "jsonpath={.items[*].metadata.ownerReferences}"]).output
            if left.isEmpty || left == "[]" { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(left.isEmpty || left == "[]", "the orphaned pod lost its owner reference: \(left)")
        #expect(try kubectl(["get", "pods", "-l", "job-name=hello", "-o", "name"]).output.hasPrefix("pod/hello-"))

        // A CronJob every minute, and a run by hand from its template (protobuf bodies, both).
        let cron = try kubectl(["create", "cronjob", "tick", "--image=busybox", "--schedule=*/1 * * * *", "--", "sh", "-c", "echo tick"])
        #expect(cron.output.contains("cronjob.batch/tick created"), "\(cron.output)")
        let manual = try kubectl(["create", "job", "tick-now", "--from=cronjob/tick"])
        #expect(manual.output.contains("job.batch/tick-now created"), "\(manual.output)")
        let manualDone = try kubectl(["wait", "--for=condition=complete", "job/tick-now", "--timeout=90s"])
        #expect(manualDone.status == 0, "\(manualDone.output)\n\(up.logText)")
        let owner = try kubectl(["get", "job", "tick-now", "-o", "jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}"])
        #expect(owner.output == "CronJob/tick")

        // The scheduled run: a Job named tick-<minutes since the epoch> within the next minute.
        let deadline = Date().addingTimeInterval(90)
        var scheduled: String?
        while Date() < deadline, scheduled == nil {
            let names = try kubectl(["get", "jobs", "-o", "jsonpath={.items[*].metadata.name}"]).output
            scheduled = names.split(separator: " ").map(String.init).first { $0.hasPrefix("tick-") && Int($0.dropFirst(5)) != nil }
            if scheduled == nil { Thread.sleep(forTimeInterval: 1) }
        }
        let name = try #require(scheduled, "no scheduled Job appeared:\n\(up.logText)")
        let minutes = try #require(Int(name.dropFirst(5)))
        #expect(abs(Double(minutes * 60) - Date().timeIntervalSince1970) < 180, "named after its slot in minutes since the epoch")
        let scheduledDone = try kubectl(["wait", "--for=condition=complete", "job/\(name)", "--timeout=90s"])
        #expect(scheduledDone.status == 0, "\(scheduledDone.output)")
        let status = try kubectl(["get", "cronjob", "tick", "-o", "jsonpath={.status.lastScheduleTime}"])
        #expect(!status.output.isEmpty, "lastScheduleTime is set")
    }
}
