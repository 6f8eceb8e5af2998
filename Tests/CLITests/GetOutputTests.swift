@testable import CLI
import Client
import Foundation
import Model
import TestSupport
import Testing

/// A fake that answers Table requests as the server does (TableRenderer, `includeObject` honoured).
func tableServingClient() -> FakeAPIClient {
    let client = FakeAPIClient()
    client.setRawHandler { request in
        guard request.header("Accept")?.contains("as=Table") == true else { return nil }
        let parts = request.path.split(separator: "/").map(String.init)
        guard let plural = parts.last(where: { p in ResourceCatalog.all.contains { $0.plural == p } }),
              let resource = ResourceCatalog.all.first(where: { $0.plural == plural }) else { return nil }
        let namespace = parts.firstIndex(of: "namespaces").map { parts[$0 + 1] }
        let include = request.queryValue("includeObject").flatMap(TableRenderer.IncludeObject.init(rawValue:)) ?? .metadata
        let objects = (try? syncList(client, resource, namespace, request.queryValue("labelSelector"))) ?? []
        return RawResponse(status: 200, json: TableRenderer(now: Date(), includeObject: include)
            .table(for: resource, objects: objects, resourceVersion: String(client.currentResourceVersion)))
    }
    return client
}

/// The fake's objects of a resource without going through async code (raw handlers are synchronous).
private func syncList(_ client: FakeAPIClient, _ resource: ResourceInfo, _ namespace: String?, _ selector: String?) throws -> [JSONValue] {
    let selector = try LabelSelector.parse(selector ?? "")
    return client.snapshot(resource).filter { object in
        (namespace == nil || object.objectNamespace == namespace) && selector.matches(object.value(at: ["metadata", "labels"])?.stringMap ?? [:])
    }
}

@Suite struct GetOutputTests {
    func seeded() throws -> FakeAPIClient {
        let client = tableServingClient()
        var b = ObjectBuilders.pod("b-pod", nodeName: "n2", phase: "Running")
        b["spec"]?["priority"] = 5
        var a = ObjectBuilders.pod("a-pod", nodeName: "n1", phase: "Pending")
        a["spec"]?["priority"] = 9
        try client.seed(ResourceCatalog.pods, b, a, ObjectBuilders.pod("c-pod", namespace: "other"))
        return client
    }

    @Test func jsonpathRendersOverTheListOrTheNamedObject() async throws {
        let client = try seeded()
        let list = await runCLI(["get", "pods", "-o", #"jsonpath={range .items[*]}{.metadata.name}={.spec.nodeName}{"\n"}{end}"#], client: client)
        #expect(list.out == "a-pod=n1\nb-pod=n2\n")
        let one = await runCLI(["get", "pod/b-pod", "-o", "jsonpath={.status.phase}"], client: client)
        #expect(one.out == "Running")
        let bad = await runCLI(["get", "pods", "-o", "jsonpath={.items["], client: client)
        #expect(bad.status == 2)
        #expect(bad.err.contains("error parsing jsonpath"))
    }

    @Test func customColumnsSortByAndNoHeaders() async throws {
        let client = try seeded()
        let sorted = await runCLI(["get", "po", "-o", "custom-columns=NAME:.metadata.name,PRIO:.spec.priority", "--sort-by", ".spec.priority"], client: client)
        #expect(sorted.out == "NAME    PRIO\nb-pod   5\na-pod   9\n")
        let bare = await runCLI(["get", "po", "-o", "custom-columns=NAME:.metadata.name", "--no-headers", "-A", "--sort-by={.metadata.name}"], client: client)
        #expect(bare.out == "a-pod\nb-pod\nc-pod\n")
    }

    @Test func tablesSortByFullObjectsAndDropHeaders() async throws {
        let client = try seeded()
        let result = await runCLI(["get", "pods", "--sort-by=.spec.priority", "--no-headers"], client: client)
        let names = result.out.split(separator: "\n").map { $0.split(separator: " ").first.map(String.init) ?? "" }
        #expect(names == ["b-pod", "a-pod"], "\(result.out)")
        let request = try #require(client.calls.last { $0.verb == "raw" })
        #expect(request.resource == "/api/v1/namespaces/default/pods")
        let named = await runCLI(["get", "pod/a-pod", "pod/b-pod"], client: client)
        #expect(named.out.hasPrefix("NAME ") && named.out.contains("\na-pod ") && named.out.contains("\nb-pod "))
        #expect(await runCLI(["get", "pod/a", "job/b"], client: client).status == 2)
    }

    @Test func watchPrintsTheListThenOneAlignedRowPerChange() async throws {
        let client = try seeded()
        let output = CapturedOutput()
        let run = Task { await DroverCLI.run(["get", "pods", "-w"], context: output.context(client: client)) }
        #expect(await eventually { client.calls.contains { $0.verb == "watch" } })
        _ = try await client.create(ResourceCatalog.pods, namespace: "default", object: ObjectBuilders.pod("new-pod-with-long-name"))
        _ = try await client.delete(ResourceCatalog.pods, namespace: "default", name: "a-pod")
        #expect(await eventually { output.out.split(separator: "\n").count >= 5 })
        client.endWatches()
        #expect(await run.value == 0)
        let lines = output.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 5, "\(output.out)")
        #expect(lines[0].hasPrefix("NAME    READY   STATUS"))
        #expect(lines[3].hasPrefix("new-pod-with-long-name   0/1"), "a wider name widens its column")
        #expect(lines[4].hasPrefix("a-pod                    "), "\(lines)")
        #expect(!output.out.contains("c-pod"), "other namespaces are not watched")
    }

    @Test func watchWithEventsAndNamesAndObjectOutput() async throws {
        let client = try seeded()
        let output = CapturedOutput()
        let run = Task { await DroverCLI.run(["get", "pods", "a-pod", "-w", "--output-watch-events", "-o", "name"], context: output.context(client: client)) }
        #expect(await eventually { client.calls.contains { $0.verb == "watch" } })
        _ = try await client.patch(ResourceCatalog.pods, namespace: "default", name: "a-pod", type: .merge, body: ["metadata": ["labels": ["x": "y"]]])
        _ = try await client.patch(ResourceCatalog.pods, namespace: "default", name: "b-pod", type: .merge, body: ["metadata": ["labels": ["x": "y"]]])
        #expect(await eventually { output.out.split(separator: "\n").count >= 2 })
        client.endWatches()
        _ = await run.value
        #expect(output.out == "pod/a-pod\npod/a-pod\n")
        let events = CapturedOutput()
        let second = Task { await DroverCLI.run(["get", "pods", "-w", "--output-watch-events"], context: events.context(client: client)) }
        #expect(await eventually { events.out.split(separator: "\n").count >= 3 })
        client.endWatches()
        _ = await second.value
        #expect(events.out.hasPrefix("EVENT      NAME "), "\(events.out)")
        #expect(events.out.contains("\nADDED      a-pod "))
        #expect(await runCLI(["get", "pods", "a", "b", "-w"], client: client).status == 2)
    }
}
