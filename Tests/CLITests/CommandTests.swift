@testable import CLI
import Client
import Foundation
import Model
import TestSupport
import Testing

/// A fake whose raw GETs answer with a fixed Table.
enum FakeAPIClientWithTable {
    static func make(_ table: JSONValue) -> FakeAPIClient {
        let client = FakeAPIClient()
        client.setRawHandler { request in
            #expect(request.header("Accept")?.hasPrefix("application/json;as=Table;v=v1;g=meta.k8s.io") == true)
            return RawResponse(status: 200, json: table)
        }
        return client
    }
}

@Suite struct GetCommandTests {
    @Test func emptyListSaysNoResourcesFound() async {
        let namespaced = await runCLI(["get", "jobs"])
        #expect(namespaced.status == 0)
        #expect(namespaced.err == "No resources found in default namespace.\n")
        #expect(await runCLI(["get", "jobs", "-n", "team"]).err == "No resources found in team namespace.\n")
        #expect(await runCLI(["get", "po", "-A"]).err == "No resources found\n")
        #expect(await runCLI(["get", "nodes"]).err == "No resources found\n")
    }

    @Test func listWithoutTableFallsBackToNameAndAge() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.jobs, jobJSON("hello"), jobJSON("other", namespace: "elsewhere"))
        let result = await runCLI(["get", "job.batch"], client: client)
        #expect(result.status == 0)
        #expect(result.out.hasPrefix("NAME    AGE\nhello   "))
        #expect(!result.out.contains("other"))
    }

    @Test func outputNameUsesKindAndGroup() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.jobs, jobJSON("hello"), jobJSON("world"))
        let result = await runCLI(["get", "jobs", "-o", "name"], client: client)
        #expect(result.out == "job.batch/hello\njob.batch/world\n")
    }

    @Test func selectorsReachTheServer() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.jobs, jobJSON("a", labels: ["app": "web"]), jobJSON("b", labels: ["app": "db"]))
        let result = await runCLI(["get", "jobs", "-l", "app=web", "-o", "name"], client: client)
        #expect(result.out == "job.batch/a\n")
        let fields = await runCLI(["get", "jobs", "--field-selector", "metadata.name=b", "-o", "name"], client: client)
        #expect(fields.out == "job.batch/b\n")
    }

    @Test func outputJSONPrintsOneObjectBareAndSeveralAsList() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.jobs, jobJSON("hello"))
        let one = await runCLI(["get", "job", "hello", "-o", "json"], client: client)
        let object = try JSONValue.parse(one.out)
        #expect(object["kind"] == "Job")
        #expect(one.out.contains("\n    \"apiVersion\": \"batch/v1\""))
        let list = try JSONValue.parse(await runCLI(["get", "jobs", "-o", "json"], client: client).out)
        #expect(list["kind"] == "List")
        #expect(list["items"]?[0]?["kind"] == "Job")
    }

    @Test func outputYAMLReadsBackAsTheSameObject() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.jobs, jobJSON("hello"))
        let yaml = await runCLI(["get", "job/hello", "-o", "yaml"], client: client).out
        let stored = try #require(client.object(ResourceCatalog.jobs, namespace: "default", name: "hello"))
        #expect(try YAMLReader.documents(Array(yaml.utf8)) == [stored])
    }

    @Test func missingObjectPrintsServerErrorAndFails() async {
        let result = await runCLI(["get", "job", "nope"])
        #expect(result.status == 1)
        #expect(result.err == "Error from server (NotFound): jobs.batch \"nope\" not found\n")
    }

    @Test func unknownKindAndBadOutputAreRejected() async {
        let kind = await runCLI(["get", "widgets"])
        #expect(kind.status == 1)
        #expect(kind.err.contains("doesn't have a resource type \"widgets\""))
        #expect(await runCLI(["get", "."]).status == 1)
        #expect(await runCLI(["get", "pods", "-o", "xml"]).status == 2)
        #expect(await runCLI(["get"]).status == 2)
        #expect(await runCLI(["get", "pods", "x", "-A"]).status == 2)
    }
}

@Suite struct ApplyCommandTests {
    let manifest = """
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: hello
    spec:
      backoffLimit: 2
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: main
            command: ["echo", "hi"]
    ---
    apiVersion: v1
    kind: Namespace
    metadata:
      name: team-a
    """

    @Test func createsThenReportsUnchangedThenConfigured() async throws {
        let client = FakeAPIClient()
        let first = await runCLI(["apply", "-f", "job.yaml"], client: client, files: ["job.yaml": manifest])
        #expect(first.status == 0)
        #expect(first.out == "job.batch/hello created\nnamespace/team-a created\n")
        let job = try #require(client.object(ResourceCatalog.jobs, namespace: "default", name: "hello"))
        #expect(job.value(at: ["spec", "backoffLimit"]) == .int(2))

        let second = await runCLI(["apply", "-f", "job.yaml"], client: client, files: ["job.yaml": manifest])
        #expect(second.out == "job.batch/hello unchanged\nnamespace/team-a unchanged\n")

        let changed = manifest.replacingOccurrences(of: "backoffLimit: 2", with: "backoffLimit: 5")
        let third = await runCLI(["apply", "-f", "-"], client: client, files: ["-": changed])
        #expect(third.out == "job.batch/hello configured\nnamespace/team-a unchanged\n")
        let patch = try #require(client.calls.last { $0.verb == "patch" && $0.name == "hello" })
        #expect(patch.body?["status"] == nil)
        #expect(client.object(ResourceCatalog.jobs, namespace: "default", name: "hello")?.value(at: ["spec", "backoffLimit"]) == .int(5))
    }

    @Test func namespaceComesFromObjectThenFlagThenDefault() async throws {
        let client = FakeAPIClient()
        let json = jobJSON("a").jsonString()
        #expect(await runCLI(["apply", "-f", "a.json", "-n", "team"], client: client, files: ["a.json": json]).status == 0)
        #expect(client.object(ResourceCatalog.jobs, namespace: "team", name: "a") != nil)
        let mismatch = await runCLI(["apply", "-f", "b.json", "-n", "team"], client: client,
                                    files: ["b.json": jobJSON("b", namespace: "other").jsonString()])
        #expect(mismatch.status == 1)
        #expect(mismatch.err.contains("does not match the namespace \"team\""))
    }

    @Test func listManifestsExpandTheirItems() async throws {
        let list: JSONValue = ["apiVersion": "v1", "kind": "List", "items": [jobJSON("x"), jobJSON("y")]]
        let result = await runCLI(["apply", "-f", "l.json"], files: ["l.json": list.jsonString()])
        #expect(result.out == "job.batch/x created\njob.batch/y created\n")
    }

    @Test func serverErrorsAreReportedAndOtherObjectsStillApplied() async throws {
        let client = FakeAPIClient()
        client.failNext("create", with: StatusError.invalid(kind: "Job", group: "batch", name: "hello", causes: [
            StatusCause(reason: "FieldValueRequired", message: "Required value", field: "spec.template.spec.containers"),
        ]))
        let result = await runCLI(["apply", "-f", "job.yaml"], client: client, files: ["job.yaml": manifest])
        #expect(result.status == 1)
        #expect(result.err == "The Job.batch \"hello\" is invalid: spec.template.spec.containers: Required value\n")
        #expect(result.out == "namespace/team-a created\n")
    }

    @Test func unknownKindsAndMissingFilesFail() async {
        let unknown = await runCLI(["apply", "-f", "w.yaml"], files: ["w.yaml": "apiVersion: v1\nkind: Widget\nmetadata: {name: w}\n"])
        #expect(unknown.status == 1)
        #expect(unknown.err.contains("no matches for kind \"Widget\" in version \"v1\""))
        #expect(await runCLI(["apply", "-f", "missing.yaml"]).status == 1)
        #expect(await runCLI(["apply"]).status == 2)
        let broken = await runCLI(["apply", "-f", "b.yaml"], files: ["b.yaml": "a: [1, 2\n"])
        #expect(broken.status == 1)
        #expect(broken.err.contains("error parsing b.yaml"))
    }
}

@Suite struct DeleteCommandTests {
    @Test func deletesWithBackgroundPropagation() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.jobs, jobJSON("hello"))
        let result = await runCLI(["delete", "job", "hello"], client: client)
        #expect(result.status == 0)
        #expect(result.out == "job.batch \"hello\" deleted\n")
        let call = try #require(client.calls.last { $0.verb == "delete" })
        #expect(call.body == ["propagationPolicy": "Background"])
        #expect(client.object(ResourceCatalog.jobs, namespace: "default", name: "hello") == nil)
    }

    @Test func notFoundIsReportedOnStandardError() async {
        let result = await runCLI(["delete", "jobs", "x"])
        #expect(result.status == 1)
        #expect(result.err == "Error from server (NotFound): jobs.batch \"x\" not found\n")
        #expect(await runCLI(["delete", "jobs", "x", "--ignore-not-found"]).status == 0)
    }

    @Test func deletesWhatAManifestNames() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.jobs, jobJSON("a", namespace: "team"))
        let result = await runCLI(["delete", "-f", "a.json"], client: client, files: ["a.json": jobJSON("a", namespace: "team").jsonString()])
        #expect(result.out == "job.batch \"a\" deleted\n")
        #expect(await runCLI(["delete", "jobs"]).status == 2)
        #expect(await runCLI(["delete"]).status == 2)
    }
}
