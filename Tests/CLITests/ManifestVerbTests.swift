@testable import CLI
import Client
import Foundation
import Model
import TestSupport
import Testing

/// Runs `drover ARGS` with an in-memory directory tree: `directories` maps a path to its entries.
func runCLI(_ arguments: [String], client: FakeAPIClient = FakeAPIClient(), files: [String: String],
            directories: [String: [String]]) async -> (status: Int32, out: String, err: String) {
    let output = CapturedOutput()
    var context = output.context(client: client, files: files)
    context.listDirectory = { directories[$0] }
    let status = await DroverCLI.run(arguments, context: context)
    return (status, output.out, output.err)
}

@Suite struct ManifestVerbTests {
    static let twoJobs = """
    apiVersion: batch/v1
    kind: Job
    metadata: {name: one}
    spec: {template: {spec: {restartPolicy: Never, containers: [{name: main, command: ["true"]}]}}}
    ---
    apiVersion: batch/v1
    kind: Job
    metadata: {name: two}
    spec: {template: {spec: {restartPolicy: Never, containers: [{name: main, command: ["true"]}]}}}
    """

    @Test func applyReadsDirectoriesInNameOrderAndRecursesWithR() async throws {
        let client = FakeAPIClient()
        let files = ["m/b.yaml": Self.twoJobs, "m/a.json": jobJSON("first").jsonString(), "m/notes.txt": "not a manifest",
                     "m/sub/c.yml": jobJSON("deep").jsonString()]
        let directories = ["m": ["b.yaml", "sub", "notes.txt", "a.json"], "m/sub": ["c.yml"]]
        let flat = await runCLI(["apply", "-f", "m"], client: client, files: files, directories: directories)
        #expect(flat.status == 0, "\(flat.err)")
        #expect(flat.out == "job.batch/first created\njob.batch/one created\njob.batch/two created\n")
        let deep = await runCLI(["apply", "-f", "m", "-R"], client: client, files: files, directories: directories)
        #expect(deep.out == "job.batch/first unchanged\njob.batch/one unchanged\njob.batch/two unchanged\njob.batch/deep created\n")
        let empty = await runCLI(["apply", "-f", "e"], client: client, files: [:], directories: ["e": []])
        #expect(empty.status == 1)
        #expect(empty.err == "error: no objects passed to apply\n")
    }

    @Test func malformedManifestsNameFileDocumentAndLine() async {
        let broken = Self.twoJobs + "\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: [unclosed\n"
        let result = await runCLI(["apply", "-f", "jobs.yaml"], files: ["jobs.yaml": broken])
        #expect(result.status == 1)
        #expect(result.err.hasPrefix("error: error parsing jobs.yaml (document 3): error converting YAML to JSON: yaml: line 14, column 1"), "\(result.err)")
        let kindless = await runCLI(["create", "-f", "k.yaml"], files: ["k.yaml": Self.twoJobs + "\n---\nmetadata: {name: x}\n"])
        #expect(kindless.err.contains("error validating \"k.yaml\" (document 3): apiVersion and kind must be set"), "\(kindless.err)")
    }

    @Test func createMakesNewObjectsAndRefusesExistingOnes() async throws {
        let client = FakeAPIClient()
        let first = await runCLI(["create", "-f", "jobs.yaml"], client: client, files: ["jobs.yaml": Self.twoJobs])
        #expect(first.out == "job.batch/one created\njob.batch/two created\n")
        let again = await runCLI(["create", "-f", "jobs.yaml"], client: client, files: ["jobs.yaml": Self.twoJobs])
        #expect(again.status == 1)
        #expect(again.err.hasPrefix("Error from server (AlreadyExists): error when creating \"jobs.yaml\": jobs.batch \"one\" already exists\n"))
        var generated = jobJSON("")
        generated["metadata"] = ["generateName": "batch-"]
        let named = await runCLI(["create", "-f", "g.json"], client: client, files: ["g.json": generated.jsonString()])
        #expect(named.out.hasPrefix("job.batch/batch-"), "\(named.err)")
        #expect(await runCLI(["create", "job", "x"]).status == 2)
    }

    @Test func deleteBySelectorAllAndCascadeModes() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.jobs, jobJSON("a", labels: ["team": "x"]), jobJSON("b", labels: ["team": "x"]), jobJSON("c"),
                        jobJSON("d", namespace: "other"))
        let selected = await runCLI(["delete", "jobs", "-l", "team=x", "--cascade=orphan", "--wait=false"], client: client)
        #expect(selected.out == "job.batch \"a\" deleted\njob.batch \"b\" deleted\n", "\(selected.err)")
        #expect(client.calls.filter { $0.verb == "delete" }.allSatisfy { $0.body?["propagationPolicy"] == "Orphan" })
        // The fake keeps an orphaned object until its finalizer is removed (no garbage collector).
        #expect(client.object(ResourceCatalog.jobs, namespace: "default", name: "a") != nil)
        let all = await runCLI(["delete", "jobs", "--all", "--cascade=false", "--wait=false"], client: client)
        #expect(all.out.contains("job.batch \"c\" deleted"))
        #expect(!all.out.contains("\"d\""))
        #expect(await runCLI(["delete", "jobs", "--cascade=sideways"]).status == 2)
        #expect(await runCLI(["delete", "jobs", "--all", "-l", "a=b"]).status == 2)
        #expect(await runCLI(["delete", "pods", "--all"]).err == "No resources found\n")
    }

    @Test func deleteWaitsUntilAForegroundDeletionFinishes() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.jobs, jobJSON("hello"))
        let output = CapturedOutput()
        let run = Task { await DroverCLI.run(["delete", "job/hello", "--cascade=foreground"], context: output.context(client: client)) }
        #expect(await eventually { client.calls.contains { $0.verb == "watch" } })
        #expect(output.out == "job.batch \"hello\" deleted\n")
        let held = try #require(client.object(ResourceCatalog.jobs, namespace: "default", name: "hello"))
        #expect(held.value(at: ["metadata", "finalizers"]) == ["foregroundDeletion"])
        // The garbage collector's part: dependents gone, the finalizer comes off, the Job goes.
        _ = try await client.patch(ResourceCatalog.jobs, namespace: "default", name: "hello", type: .merge,
                                   body: ["metadata": ["finalizers": .null]])
        #expect(await run.value == 0)
        let body = try #require(client.calls.first { $0.verb == "delete" }?.body)
        #expect(body["propagationPolicy"] == "Foreground")
    }

    @Test func patchSendsTheChosenTypeAndReportsNoChange() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.jobs, jobJSON("hello"))
        let merged = await runCLI(["patch", "job", "hello", "--type", "merge", "-p", "spec: {suspend: true}"], client: client)
        #expect(merged.out == "job.batch/hello patched\n", "\(merged.err)")
        #expect(client.object(ResourceCatalog.jobs, namespace: "default", name: "hello")?.value(at: ["spec", "suspend"]) == true)
        let same = await runCLI(["patch", "job/hello", "-p", #"{"spec":{"suspend":true}}"#], client: client)
        #expect(same.out == "job.batch/hello patched (no change)\n")
        let json = await runCLI(["patch", "job/hello", "--type=json", "-p", #"[{"op":"add","path":"/metadata/labels","value":{"a":"b"}}]"#], client: client)
        #expect(json.status == 0, "\(json.err)")
        #expect(client.object(ResourceCatalog.jobs, namespace: "default", name: "hello")?.value(at: ["metadata", "labels", "a"]) == "b")
        #expect(await runCLI(["patch", "job/hello", "--type=json", "-p", "{}"], client: client).status == 1)
        #expect(await runCLI(["patch", "job/hello"], client: client).status == 2)
        #expect(await runCLI(["patch", "job/hello", "-p", "{}", "--type", "xml"], client: client).status == 2)
    }

    @Test func labelAndAnnotateFollowKubectlOverwriteRules() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.jobs, jobJSON("hello", labels: ["team": "a"]))
        #expect(await runCLI(["label", "job", "hello", "tier=x"], client: client).out == "job.batch/hello labeled\n")
        let conflict = await runCLI(["label", "job", "hello", "team=b"], client: client)
        #expect(conflict.status == 1)
        #expect(conflict.err == "error: 'team' already has a value (a), and --overwrite is false\n")
        #expect(await runCLI(["label", "job", "hello", "team=a"], client: client).out == "job.batch/hello not labeled\n")
        #expect(await runCLI(["label", "job/hello", "team=b", "--overwrite", "tier-"], client: client).status == 0)
        let labels = client.object(ResourceCatalog.jobs, namespace: "default", name: "hello")?.value(at: ["metadata", "labels"])
        #expect(labels == ["team": "b"])
        let missing = await runCLI(["label", "job", "hello", "nope-"], client: client)
        #expect(missing.err == "label \"nope\" not found.\n" && missing.out == "job.batch/hello not labeled\n")
        #expect(await runCLI(["annotate", "jobs", "--all", "owner=alice"], client: client).out == "job.batch/hello annotated\n")
        #expect(client.object(ResourceCatalog.jobs, namespace: "default", name: "hello")?.value(at: ["metadata", "annotations", "owner"]) == "alice")
        #expect(await runCLI(["label", "job", "hello"], client: client).status == 2)
        #expect(await runCLI(["label", "job", "hello", "a=b", "a-"], client: client).status == 2)
    }
}
