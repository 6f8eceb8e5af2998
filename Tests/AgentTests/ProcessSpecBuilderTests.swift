@testable import Agent
import Foundation
import Model
import Testing

@Suite struct ProcessSpecBuilderTests {
    static let pod: JSONValue = [
        "metadata": ["name": "web", "namespace": "team", "uid": "u-1", "labels": ["app": "shop"], "annotations": ["owner": "ann"]],
        "spec": ["nodeName": "node-1", "serviceAccountName": "default"],
    ]

    static func builder() -> ProcessSpecBuilder {
        ProcessSpecBuilder(pod: pod, nodeName: "node-1", podIP: "10.0.0.5", paths: AgentPaths(dataDirectory: "/data"), pidsLimit: 512)
    }

    @Test func theEnvironmentHasThePodIdentityFieldRefsAndExpansions() throws {
        let container: JSONValue = [
            "name": "main", "command": ["/bin/sh", "-c"], "args": ["echo $(GREETING)"],
            "env": [["name": "GREETING", "value": "hello $(POD_NAME)"],
                    ["name": "MY_NAME", "valueFrom": ["fieldRef": ["fieldPath": "metadata.name"]]],
                    ["name": "MY_NS", "valueFrom": ["fieldRef": ["fieldPath": "metadata.namespace"]]],
                    ["name": "MY_UID", "valueFrom": ["fieldRef": ["fieldPath": "metadata.uid"]]],
                    ["name": "APP", "valueFrom": ["fieldRef": ["fieldPath": "metadata.labels['app']"]]],
                    ["name": "OWNER", "valueFrom": ["fieldRef": ["fieldPath": "metadata.annotations['owner']"]]],
                    ["name": "NODE", "valueFrom": ["fieldRef": ["fieldPath": "spec.nodeName"]]],
                    ["name": "IP", "valueFrom": ["fieldRef": ["fieldPath": "status.podIP"]]]],
        ]
        let spec = try Self.builder().build(container, restart: 2)
        let env = spec.environment
        #expect(env["POD_NAME"] == "web")
        #expect(env["POD_NAMESPACE"] == "team")
        #expect(env["POD_UID"] == "u-1")
        #expect(env["NODE_NAME"] == "node-1")
        #expect(env["GREETING"] == "hello web")
        #expect(env["MY_NAME"] == "web")
        #expect(env["MY_NS"] == "team")
        #expect(env["MY_UID"] == "u-1")
        #expect(env["APP"] == "shop")
        #expect(env["OWNER"] == "ann")
        #expect(env["NODE"] == "node-1")
        #expect(env["IP"] == "10.0.0.5")
        #expect(spec.argv == ["/bin/sh", "-c", "echo hello web"])
        #expect(spec.id == "u-1/main/2")
        #expect(spec.logPath == "/data/pods/u-1/main.2.log")
        #expect(spec.workingDirectory == "/data/pods/u-1/_scratch")
        #expect(spec.pidsLimit == 512)
    }

    @Test func limitsBecomeMillicoresAndBytes() throws {
        let container: JSONValue = ["name": "main", "command": ["x"], "workingDir": "/srv",
                                    "resources": ["limits": ["cpu": "250m", "memory": "64Mi"]]]
        let spec = try Self.builder().build(container, restart: 0)
        #expect(spec.cpuLimitMillis == 250)
        #expect(spec.cpuRequestMillis == 250, "a limit alone requests the limit")
        #expect(spec.memoryLimit == Int64(67_108_864))
        #expect(spec.workingDirectory == "/srv")
    }

    @Test func theCPURequestIsItsOwnWhenGiven() throws {
        let requested: JSONValue = ["name": "main", "command": ["x"],
                                    "resources": ["requests": ["cpu": "100m"], "limits": ["cpu": "1"]]]
        #expect(try Self.builder().build(requested, restart: 0).cpuRequestMillis == 100)
        let none: JSONValue = ["name": "main", "command": ["x"]]
        #expect(try Self.builder().build(none, restart: 0).cpuRequestMillis == nil)
        let bad: JSONValue = ["name": "main", "command": ["x"], "resources": ["requests": ["cpu": "lots"]]]
        #expect(throws: ContainerConfigError.self) { try Self.builder().build(bad, restart: 0) }
    }

    @Test func unsupportedSourcesAreConfigErrors() {
        let secret: JSONValue = ["name": "main", "command": ["x"],
                                 "env": [["name": "S", "valueFrom": ["secretKeyRef": ["name": "s", "key": "k"]]]]]
        #expect(throws: ContainerConfigError.self) { try Self.builder().build(secret, restart: 0) }
        let field: JSONValue = ["name": "main", "command": ["x"],
                                "env": [["name": "S", "valueFrom": ["fieldRef": ["fieldPath": "spec.nothing"]]]]]
        #expect(throws: ContainerConfigError.self) { try Self.builder().build(field, restart: 0) }
    }

    @Test func dollarDollarEscapesAndUnknownReferencesStay() {
        #expect(ProcessSpecBuilder.expand("$$(A) $(B) $(A)", ["A": "1"]) == "$(A) $(B) 1")
    }
}
