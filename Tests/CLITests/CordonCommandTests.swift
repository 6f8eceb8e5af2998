import CLI
import Client
import Model
import Testing
import TestSupport

@Suite struct CordonCommandTests {
    func node(_ name: String, unschedulable: Bool = false, labels: [String: String] = [:]) -> JSONValue {
        var node: JSONValue = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(name), "labels": .stringMap(labels)]]
        if unschedulable { node.setValue(true, at: ["spec", "unschedulable"]) }
        return node
    }

    func unschedulable(_ client: FakeAPIClient, _ name: String) -> Bool? {
        client.object(ResourceCatalog.nodes, namespace: nil, name: name)?.value(at: ["spec", "unschedulable"])?.bool
    }

    @Test func cordonMarksNamedNodesAndSaysWhichWereAlreadyCordoned() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.nodes, node("a"), node("b", unschedulable: true))
        let result = await runCLI(["cordon", "a", "b"], client: client)
        #expect(result.status == 0)
        #expect(result.out == "node/a cordoned\nnode/b already cordoned\n")
        #expect(unschedulable(client, "a") == true)
        // Only the node that changed was patched.
        #expect(client.calls.filter { $0.verb == "patch" }.map(\.name) == ["a"])
    }

    @Test func uncordonRemovesTheFieldAsKubectlDoes() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.nodes, node("a", unschedulable: true), node("b"))
        let result = await runCLI(["uncordon", "a", "b"], client: client)
        #expect(result.status == 0)
        #expect(result.out == "node/a uncordoned\nnode/b already uncordoned\n")
        #expect(client.object(ResourceCatalog.nodes, namespace: nil, name: "a")?.value(at: ["spec", "unschedulable"]) == nil)
    }

    @Test func aSelectorPicksTheNodesByLabel() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.nodes, node("gpu-1", labels: ["pool": "gpu"]), node("cpu-1", labels: ["pool": "cpu"]))
        let result = await runCLI(["cordon", "-l", "pool=gpu"], client: client)
        #expect(result.out == "node/gpu-1 cordoned\n")
        #expect(unschedulable(client, "gpu-1") == true)
        #expect(unschedulable(client, "cpu-1") == nil)
    }

    @Test func aMissingNodeIsReportedAndTheOthersAreStillCordoned() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.nodes, node("a"))
        let result = await runCLI(["cordon", "ghost", "a"], client: client)
        #expect(result.status == 1)
        #expect(result.err.contains("Error from server (NotFound): nodes \"ghost\" not found"))
        #expect(result.out == "node/a cordoned\n")
    }

    @Test(arguments: [["cordon"], ["uncordon", "a", "-l", "x=y"]])
    func namesOrASelectorAreRequiredButNotBoth(_ arguments: [String]) async {
        #expect(await runCLI(arguments).status == 2)
    }
}
