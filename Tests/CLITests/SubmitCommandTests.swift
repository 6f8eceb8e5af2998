@testable import CLI
import Client
import Foundation
import Model
import TestSupport
import Testing

@Suite struct SubmitCommandTests {
    @Test func aCommandLineBecomesAJob() async throws {
        let client = FakeAPIClient()
        let result = await runCLI(["submit", "sweep", "--completions", "6", "--parallelism", "3", "--indexed", "--cpu", "500m",
                                   "--memory", "256Mi", "--resource", "example.com/gpu=1", "-e", "A=1", "--env", "B=x=y",
                                   "--workdir", "/tmp", "--backoff-limit", "2", "--deadline", "10m", "--ttl", "1h",
                                   "--restart", "OnFailure", "-l", "team=ml", "-n", "research", "--", "sh", "-c", "echo $JOB_COMPLETION_INDEX"],
                                  client: client)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out == "job/sweep\n")
        let job = try #require(client.object(ResourceCatalog.jobs, namespace: "research", name: "sweep"))
        let spec = try #require(job["spec"])
        #expect(spec["completions"] == 6 && spec["parallelism"] == 3 && spec["completionMode"] == "Indexed")
        #expect(spec["backoffLimit"] == 2 && spec["activeDeadlineSeconds"] == 600 && spec["ttlSecondsAfterFinished"] == 3600)
        #expect(job.value(at: ["metadata", "labels", "team"]) == "ml")
        #expect(spec.value(at: ["template", "metadata", "labels", "team"]) == "ml")
        #expect(spec.value(at: ["template", "spec", "restartPolicy"]) == "OnFailure")
        let container = try #require(spec.value(at: ["template", "spec", "containers"])?[0])
        #expect(container["command"] == ["sh", "-c", "echo $JOB_COMPLETION_INDEX"])
        #expect(container["env"] == [["name": "A", "value": "1"], ["name": "B", "value": "x=y"]])
        #expect(container["workingDir"] == "/tmp")
        // cpu: request only; memory and extended resources: request and limit.
        #expect(container["resources"] == ["requests": ["cpu": "500m", "memory": "256Mi", "example.com/gpu": "1"],
                                           "limits": ["memory": "256Mi", "example.com/gpu": "1"]])
    }

    @Test func gangAsksForAllOrNothingAndRestartingTogether() async throws {
        let client = FakeAPIClient()
        let result = await runCLI(["submit", "ring", "--parallelism", "4", "--completions", "4", "--gang", "--", "true"], client: client)
        #expect(result.status == 0, "\(result.err)")
        let job = try #require(client.object(ResourceCatalog.jobs, namespace: "default", name: "ring"))
        #expect(job.value(at: ["metadata", "annotations"]) == [PodGroupSpec.jobGangAnnotation: "true",
                                                               PodGroupSpec.jobGangFailureAnnotation: "RestartGang"])
        #expect(JobView(job).restartsGangOnFailure)
    }

    @Test func aNameEndingInADashIsAPrefix() async throws {
        let client = FakeAPIClient()
        let result = await runCLI(["submit", "run-", "--", "true"], client: client)
        #expect(result.status == 0)
        #expect(result.out.hasPrefix("job/run-") && result.out.count > "job/run-\n".count)
        let job = try #require(try await client.list(ResourceCatalog.jobs, namespace: "default").items.first)
        #expect(job.value(at: ["metadata", "generateName"]) == "run-")
    }

    @Test func dryRunPrintsTheJobAndCreatesNothing() async throws {
        let client = FakeAPIClient()
        let yaml = await runCLI(["submit", "hello", "--dry-run", "--", "echo", "hi"], client: client)
        #expect(yaml.status == 0)
        #expect(yaml.out.hasPrefix("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: hello\n"))
        #expect(yaml.out.contains("- echo\n"))
        let json = await runCLI(["submit", "hello", "--dry-run", "-o", "json", "--", "echo", "hi"], client: client)
        #expect(try JSONValue.parse(Array(json.out.utf8))["kind"] == "Job")
        #expect(try await client.list(ResourceCatalog.jobs, namespace: nil).items.isEmpty)
    }

    @Test func aManifestFileIsSubmittedAsIs() async throws {
        let client = FakeAPIClient()
        let manifest = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: fromfile\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n        command: [\"true\"]\n"
        let result = await runCLI(["submit", "-f", "job.yaml"], client: client, files: ["job.yaml": manifest])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out == "job/fromfile\n")
        #expect(client.object(ResourceCatalog.jobs, namespace: "default", name: "fromfile") != nil)
        let pod = await runCLI(["submit", "-f", "pod.yaml"], client: client, files: ["pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n"])
        #expect(pod.status == 1 && pod.err == "error: pod.yaml holds a Pod; drover submit takes a Job\n")
    }

    @Test(arguments: [
        (["submit", "--", "true"], "a job name is required: drover submit NAME -- COMMAND"),
        (["submit", "x"], "a command is required after --: drover submit x -- COMMAND [ARGS...]"),
        (["submit", "x", "y", "--", "true"], "expected one NAME before --, got 2: x y"),
        (["submit", "x", "--completions", "0", "--", "true"], "--completions must be an integer of 1 or more, not \"0\""),
        (["submit", "x", "--indexed", "--", "true"], "--indexed needs --completions: an Indexed Job has one index per completion"),
        (["submit", "x", "--cpu", "lots", "--", "true"], "invalid argument \"lots\" for \"--cpu\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
        (["submit", "x", "--deadline", "10 minutes", "--", "true"], "invalid argument \"10 minutes\" for \"--deadline\": time: unknown unit \" minutes\" in duration \"10 minutes\""),
        (["submit", "x", "--env", "NOEQUALS", "--", "true"], "--env takes KEY=VALUE, not \"NOEQUALS\""),
        (["submit", "x", "--restart", "Always", "--", "true"], "--restart must be Never or OnFailure (a Job's pods cannot restart Always), not \"Always\""),
        (["submit", "x", "--watch", "--wait", "--", "true"], "--watch and --wait cannot be used together"),
        (["submit", "x", "--logs", "--", "true"], "--logs needs --watch"),
        (["submit", "x", "--dry-run", "--wait", "--", "true"], "--dry-run cannot be combined with --watch or --wait"),
        (["submit", "-f", "j.yaml", "--cpu", "1"], "--cpu cannot be combined with -f: put it in the manifest"),
    ])
    func badCommandLinesAreUsageErrors(arguments: [String], message: String) async {
        let result = await runCLI(arguments)
        #expect(result.status == 2)
        #expect(result.err.hasPrefix("error: \(message)\n"), "\(result.err)")
    }

    @Test func durationsTakeGoSyntaxOrSeconds() throws {
        #expect(try JobManifest.seconds("90", flag: "ttl") == 90)
        #expect(try JobManifest.seconds("1h30m", flag: "ttl") == 5400)
        #expect(try JobManifest.seconds("1.5s", flag: "ttl") == 2)   // rounded up to whole seconds
    }

    @Test func rerunCopiesAFinishedJobWithoutItsControllerFields() async throws {
        let client = FakeAPIClient()
        var job = jobJSON("nightly", labels: ["team": "a", JobView.controllerUIDLabel: "u1", JobView.legacyJobNameLabel: "nightly"])
        job.setValue(["matchLabels": [JobView.controllerUIDLabel: "u1"]], at: ["spec", "selector"])
        job.setValue(["team": "a", JobView.controllerUIDLabel: "u1", JobView.jobNameLabel: "nightly"], at: ["spec", "template", "metadata", "labels"])
        job["status"] = ["conditions": [["type": "Complete", "status": "True"]]]
        try client.seed(ResourceCatalog.jobs, job)
        let result = await runCLI(["rerun", "job/nightly"], client: client)
        #expect(result.status == 0, "\(result.err)")
        let copy = try #require(try await client.list(ResourceCatalog.jobs, namespace: "default").items.first { JobView($0).name != "nightly" })
        #expect(result.out == "job/\(JobView(copy).name)\n")
        #expect(copy.value(at: ["metadata", "generateName"]) == "nightly-")
        #expect(copy.value(at: ["metadata", "labels"]) == ["team": "a"])
        #expect(copy.value(at: ["metadata", "annotations", JobTemplates.rerunOfAnnotation]) == "nightly")
        #expect(copy.value(at: ["spec", "selector"]) == nil)
        #expect(copy.value(at: ["spec", "template", "metadata", "labels"]) == ["team": "a"])
        // A rerun of the rerun is named after the original.
        #expect(JobTemplates.rerun(of: copy).value(at: ["metadata", "generateName"]) == "nightly-")
    }

    @Test func rerunRefusesAJobThatIsStillRunning() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.jobs, jobJSON("busy"))
        let result = await runCLI(["rerun", "job/busy"], client: client)
        #expect(result.status == 1)
        #expect(result.err.contains("job/busy has not finished yet"))
    }

    @Test func createJobFromACronJobIsAManualRunItOwns() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.cronJobs, ["apiVersion": "batch/v1", "kind": "CronJob",
                                                   "metadata": ["name": "nightly", "namespace": "default"],
                                                   "spec": ["schedule": "@daily", "jobTemplate": [
                                                    "metadata": ["labels": ["team": "a"]], "spec": jobJSON("x")["spec"]!]]])
        let result = await runCLI(["create", "job", "now", "--from=cronjob/nightly"], client: client)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out == "job.batch/now created\n")
        let job = try #require(client.object(ResourceCatalog.jobs, namespace: "default", name: "now"))
        #expect(job.value(at: ["metadata", "annotations", "cronjob.kubernetes.io/instantiate"]) == "manual")
        #expect(job.value(at: ["metadata", "labels", "team"]) == "a")
        let owner = try #require(ObjectMetaView(job["metadata"]).controllerReference)
        #expect(owner.kind == "CronJob" && owner.name == "nightly" && owner.blockOwnerDeletion)
        #expect(await runCLI(["create", "job", "x", "--from=deployment/web"]).status == 2)
    }
}
