@testable import Agent
import Foundation
import Model
import Testing

/// How the agent resolves Secrets and ConfigMaps for env and volumes (the pure parts), and how it
/// writes volumes.
@Suite struct ConfigSourcesTests {
    static func b64(_ text: String) -> JSONValue { .string(Data(text.utf8).base64EncodedString()) }

    static let secret: JSONValue = ["metadata": ["name": "db"], "data": ["password": b64("pw1"), "user": b64("admin")]]
    static let config: JSONValue = ["metadata": ["name": "cfg"], "data": ["greeting": "hello", "bad key": "x"],
                                    "binaryData": ["blob": b64("\u{1}\u{2}")]]

    static func lookup(_ ref: ConfigObjectRef) -> ConfigLookup {
        switch (ref.kind, ref.name) {
        case (.secret, "db"): return .found(secret)
        case (.configMap, "cfg"): return .found(config)
        case (_, "later"): return .pending
        default: return .missing
        }
    }

    static let pod: JSONValue = ["metadata": ["name": "web", "namespace": "team", "uid": "u-1", "labels": ["b": "2", "a": "1"]],
                                 "spec": [:]]

    static func environment(_ container: JSONValue) throws(ContainerConfigError) -> [String: String] {
        var builder = ProcessSpecBuilder(pod: pod, nodeName: "n", podIP: "", paths: AgentPaths(dataDirectory: "/data"), pidsLimit: nil)
        builder.lookup = Self.lookup
        return try builder.environment(for: container)
    }

    static func env(_ name: String, _ kind: String, _ object: String, _ key: String, optional: Bool? = nil) -> JSONValue {
        var ref: JSONValue = ["name": .string(object), "key": .string(key)]
        if let optional { ref["optional"] = .bool(optional) }
        return ["name": .string(name), "valueFrom": [.init(stringLiteral: kind): ref]]
    }

    @Test func envVarsComeFromSecretKeyRefsAndConfigMapKeyRefsAfterEnvFrom() throws {
        let container: JSONValue = [
            "envFrom": [["configMapRef": ["name": "cfg"], "prefix": "CFG_"], ["secretRef": ["name": "db"]]],
            "env": [Self.env("PASSWORD", "secretKeyRef", "db", "password"), Self.env("GREETING", "configMapKeyRef", "cfg", "greeting"),
                    ["name": "user", "value": "overridden"]],
        ]
        let env = try Self.environment(container)
        #expect(env["PASSWORD"] == "pw1")
        #expect(env["GREETING"] == "hello")
        #expect(env["CFG_greeting"] == "hello")
        #expect(env["CFG_blob"] == "\u{1}\u{2}")
        #expect(env["password"] == "pw1")
        #expect(env["user"] == "overridden")
        #expect(env["CFG_bad key"] == nil)
    }

    @Test(arguments: [
        (env("P", "secretKeyRef", "gone", "k"), "secret \"gone\" not found"),
        (env("P", "configMapKeyRef", "gone", "k"), "configmap \"gone\" not found"),
        (env("P", "secretKeyRef", "db", "nokey"), "couldn't find key nokey in Secret team/db"),
        (env("P", "configMapKeyRef", "cfg", "nokey"), "couldn't find key nokey in ConfigMap team/cfg"),
    ] as [(JSONValue, String)])
    func aMissingObjectOrKeyFailsTheStartWithUpstreamsMessage(variable: JSONValue, message: String) {
        #expect(throws: ContainerConfigError(message: message, retryable: true)) { try Self.environment(["env": [variable]]) }
    }

    @Test func optionalReferencesToMissingObjectsOrKeysLeaveTheVariableUnset() throws {
        let env = try Self.environment(["env": [Self.env("A", "secretKeyRef", "gone", "k", optional: true),
                                                Self.env("B", "configMapKeyRef", "cfg", "nokey", optional: true)],
                                        "envFrom": [["secretRef": ["name": "gone", "optional": true]]]])
        #expect(env["A"] == nil && env["B"] == nil)
        #expect(throws: ContainerConfigError(message: "secret \"gone\" not found", retryable: true)) {
            try Self.environment(["envFrom": [["secretRef": ["name": "gone"]]]])
        }
    }

    @Test func anObjectNotFetchedYetMakesTheContainerWaitWithoutAnError() {
        #expect(throws: ContainerConfigError(message: "waiting for Secret team/later", pending: true)) {
            try Self.environment(["env": [Self.env("A", "secretKeyRef", "later", "k")]])
        }
    }

    @Test func invalidEnvFromKeysAreSkippedAndReported() throws {
        let sources = EnvironmentSources(namespace: "team", lookup: Self.lookup)
        let (variables, skipped) = try sources.fromEnvFrom(["envFrom": [["configMapRef": ["name": "cfg"]]]])
        #expect(variables.map(\.0) == ["blob", "greeting"])
        #expect(skipped.map(\.message) == ["Keys [bad key] from the EnvFrom configmap team/cfg were skipped since they are considered invalid environment variable names."])
    }

    @Test func referencesCoverEnvEnvFromAndEveryVolumeKind() {
        var pod = Self.pod
        pod["spec"] = [
            "initContainers": [["env": [Self.env("A", "secretKeyRef", "s1", "k")]]],
            "containers": [["envFrom": [["configMapRef": ["name": "c1"]]]]],
            "volumes": [["name": "a", "secret": ["secretName": "s2"]], ["name": "b", "configMap": ["name": "c2"]],
                        ["name": "c", "projected": ["sources": [["secret": ["name": "s3"]], ["configMap": ["name": "c3"]]]]],
                        ["name": "d", "emptyDir": [:]]],
        ]
        let names = ConfigObjectRef.references(of: pod).map { "\($0.kind.rawValue)/\($0.namespace)/\($0.name)" }.sorted()
        #expect(names == ["ConfigMap/team/c1", "ConfigMap/team/c2", "ConfigMap/team/c3", "Secret/team/s1", "Secret/team/s2", "Secret/team/s3"])
    }

    static func files(_ volume: JSONValue) throws(VolumeSetUpError) -> [String] {
        try VolumeContents(pod: pod, lookup: Self.lookup).files(of: volume)
            .map { "\($0.path) \(String($0.mode, radix: 8)) \(String(decoding: $0.bytes, as: UTF8.self))" }
    }

    @Test(arguments: [
        (["secret": ["secretName": "db"]], ["password 644 pw1", "user 644 admin"]),
        (["secret": ["secretName": "db", "defaultMode": 0o400, "items": [["key": "password", "path": "dir/pw", "mode": 0o440]]]],
         ["dir/pw 440 pw1"]),
        (["configMap": ["name": "cfg", "defaultMode": 0o600]], ["bad key 600 x", "blob 600 \u{1}\u{2}", "greeting 600 hello"]),
        (["configMap": ["name": "gone", "optional": true]], []),
        (["configMap": ["name": "cfg", "optional": true, "items": [["key": "nokey", "path": "x"], ["key": "greeting", "path": "g"]]]], ["g 644 hello"]),
        (["projected": ["defaultMode": 0o444, "sources": [["secret": ["name": "db", "items": [["key": "user", "path": "user"]]]],
                                                          ["downwardAPI": ["items": [["path": "labels", "fieldRef": ["fieldPath": "metadata.labels"]],
                                                                                     ["path": "name", "fieldRef": ["fieldPath": "metadata.name"]]]]]]]],
         ["labels 444 a=\"1\"\nb=\"2\"", "name 444 web", "user 444 admin"]),
    ] as [(JSONValue, [String])])
    func volumesHoldTheirKeysWithTheirModes(volume: JSONValue, expected: [String]) throws {
        #expect(try Self.files(volume) == expected)
    }

    @Test(arguments: [
        (["secret": ["secretName": "gone"]], "secret \"gone\" not found"),
        (["secret": ["secretName": "db", "items": [["key": "nokey", "path": "x"]]]], "references non-existent secret key: nokey"),
        (["configMap": ["name": "cfg", "items": [["key": "nokey", "path": "x"]]]], "configmap references non-existent config key: nokey"),
    ] as [(JSONValue, String)])
    func volumesOfMissingObjectsOrKeysCannotBeSetUp(volume: JSONValue, message: String) {
        #expect(throws: VolumeSetUpError(message: message)) { try Self.files(volume) }
    }

    @Test func theAtomicWriterSwapsVersionsBehindDataWithTheModesAsTold() throws {
        let directory = NSTemporaryDirectory() + "drover-volume-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = AtomicWriter(directory: directory)
        try writer.write([ProjectedFile(path: "a", bytes: Array("one".utf8), mode: 0o400),
                          ProjectedFile(path: "dir/b", bytes: Array("two".utf8), mode: 0o644)])
        let first = try FileManager.default.destinationOfSymbolicLink(atPath: directory + "/..data")
        #expect(try String(contentsOfFile: directory + "/a", encoding: .utf8) == "one")
        #expect(try String(contentsOfFile: directory + "/dir/b", encoding: .utf8) == "two")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: directory + "/a") == "..data/a")
        func mode(_ path: String) throws -> Int { (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1 }
        #expect(try mode(directory + "/" + first + "/a") == 0o400)
        #expect(try mode(directory + "/" + first) == 0o755)

        try writer.write([ProjectedFile(path: "a", bytes: Array("three".utf8), mode: 0o644)])
        let second = try FileManager.default.destinationOfSymbolicLink(atPath: directory + "/..data")
        #expect(second != first)
        #expect(try String(contentsOfFile: directory + "/a", encoding: .utf8) == "three")
        #expect(!FileManager.default.fileExists(atPath: directory + "/dir"))   // its link went with the key
        #expect(!FileManager.default.fileExists(atPath: directory + "/" + first))   // the old version is removed
        let entries = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(entries == ["..data", second, "a"].sorted())
    }
}
