import Client
import Foundation
import Model
import Testing
import TestSupport

/// Without kubectl on the PATH, the same rollout through the API alone: available, a template
/// change to revision 2, kubectl's undo patch by hand (revision 3, no third ReplicaSet), and the
/// scale subresource.
@Suite(.serialized) struct DeploymentAPIEndToEndTests {
    static let deployment = #"""
    {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
     "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
             "template":{"metadata":{"labels":{"app":"web"}},
                         "spec":{"terminationGracePeriodSeconds":2,
                                 "containers":[{"name":"main","image":"busybox:1","command":["sleep","600"]}]}}}}
    """#

    @Test(.enabled(if: KubectlTests.kubectl == nil, "kubectl is on the PATH: DeploymentEndToEndTests covers this"))
    func aDeploymentRollsOutRollsBackAndScalesThroughTheAPI() async throws {
        try await offCooperativePool {
            let up = try DroverUp()
            defer { up.stop(); up.removeData() }
            let client = try HTTPAPIClient(server: up.server, token: up.token)
            try await run(up, client)
        }
    }

    /// Waits until the Deployment is rolled out as `kubectl rollout status` judges it.
    static func rolledOut(_ client: HTTPAPIClient, replicas: Int) async throws -> Bool {
        try await eventually(within: 90) { () -> Bool? in
            let d = DeploymentView(try await client.get(ResourceCatalog.deployments, namespace: "default", name: "web"))
            let done = d.observedGeneration >= d.generation && d.updatedReplicas == replicas && d.statusReplicas == replicas
                && d.availableReplicas == replicas && d.condition("Progressing")?.reason == "NewReplicaSetAvailable"
            return done ? true : nil
        } ?? false
    }

    func run(_ up: DroverUp, _ client: HTTPAPIClient) async throws {
        let deployments = ResourceCatalog.deployments
        _ = try await client.create(deployments, namespace: "default", object: try JSONValue.parse(Self.deployment))
        #expect(try await Self.rolledOut(client, replicas: 3), "\(up.logText)")
        let firstSet = try #require(try await DeploymentEndToEndTests.replicaSets(client).first?.name)

        let image: JSONValue = [["op": "replace", "path": "/spec/template/spec/containers/0/image", "value": "busybox:2"]]
        _ = try await client.patch(deployments, namespace: "default", name: "web", type: .json, body: image)
        #expect(try await Self.rolledOut(client, replicas: 3))
        var sets = try await DeploymentEndToEndTests.replicaSets(client, first: firstSet)
        #expect(sets.map(DeploymentEndToEndTests.revision) == [1, 2])

        // kubectl's undo: the old ReplicaSet's template without the hash label, as a JSON patch.
        var template = sets[0].template
        template.setValue(nil, at: ["metadata", "labels", DeploymentView.podTemplateHashLabel])
        template.setValue(.null, at: ["metadata", "creationTimestamp"])
        _ = try await client.patch(deployments, namespace: "default", name: "web", type: .json,
                                   body: [["op": "replace", "path": "/spec/template", "value": template]])
        #expect(try await Self.rolledOut(client, replicas: 3))
        sets = try await DeploymentEndToEndTests.replicaSets(client, first: firstSet)
        #expect(sets.map(DeploymentEndToEndTests.revision) == [3, 2])

        for replicas in [5, 2] {
            let response = try await client.raw(RawRequest(method: "PATCH", path: "/apis/apps/v1/namespaces/default/deployments/web/scale",
                                                headers: ["Content-Type": "application/merge-patch+json"],
                                                body: Array(#"{"spec":{"replicas":\#(replicas)}}"#.utf8)))
            #expect(response.status == 200)
            #expect(try await Self.rolledOut(client, replicas: replicas), "scaled to \(replicas)")
        }
    }
}
