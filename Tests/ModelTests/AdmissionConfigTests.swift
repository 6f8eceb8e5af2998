import Foundation
import Model
import Testing

/// Secrets, ConfigMaps and what pods take from them, validated as upstream with field paths.
@Suite struct AdmissionConfigTests {
    static func secret(_ extra: String = "") -> JSONValue {
        Fixture.parse("""
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"db","namespace":"default","uid":"s-1"}\(extra)}
        """)
    }

    static func configMap(_ extra: String = "") -> JSONValue {
        Fixture.parse("""
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg","namespace":"default","uid":"c-1"}\(extra)}
        """)
    }

    static func summaries(_ object: JSONValue, _ resource: ResourceInfo, _ operation: AdmissionOperation = .create) -> [String] {
        Fixture.causes(object, resource, operation).map { "\($0.field): \($0.message)" }
    }

    @Test func stringDataIsMergedIntoDataAndTypeDefaultsToOpaque() {
        let admitted = Fixture.defaulted(Self.secret(#","data":{"a":"b2xk","b":"Yg=="},"stringData":{"a":"new"}"#), ResourceCatalog.secrets)
        #expect(admitted["stringData"] == nil)
        #expect(admitted["data"] == ["a": .string(Data("new".utf8).base64EncodedString()), "b": "Yg=="])
        #expect(admitted["type"] == "Opaque")
    }

    @Test(arguments: [
        (#","data":{"a b":"YQ=="}"#, ["data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"]),
        (#","data":{"..x":"YQ=="}"#, ["data[..x]: Invalid value: \"..x\": must not start with '..'"]),
        (#","data":{"k":"not base64!"}"#, ["data[k]: Invalid value: \"<secret contents redacted>\": illegal base64 data"]),
        (#","type":"kubernetes.io/tls","data":{"tls.crt":"YQ=="}"#, ["data[tls.key]: Required value"]),
        (#","type":"kubernetes.io/dockerconfigjson","data":{}"#, ["data[.dockerconfigjson]: Required value"]),
        (#","type":"kubernetes.io/dockerconfigjson","stringData":{".dockerconfigjson":"[1]"}"#, ["data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": must be a JSON object"]),
        (#","type":"kubernetes.io/basic-auth","data":{}"#, ["data[username]: Required value", "data[password]: Required value"]),
        (#","type":"kubernetes.io/ssh-auth""#, ["data[ssh-privatekey]: Required value"]),
        (#","type":"kubernetes.io/service-account-token""#, ["metadata.annotations[kubernetes.io/service-account.name]: Required value"]),
        (#","type":"kubernetes.io/tls","data":{"tls.crt":"YQ==","tls.key":"YQ=="}"#, []),
    ] as [(String, [String])])
    func secretsAreValidatedAsUpstream(extra: String, causes: [String]) {
        #expect(Self.summaries(Self.secret(extra), ResourceCatalog.secrets) == causes)
    }

    @Test func aSecretOverOneMebibyteIsTooLong() {
        let big = Data(repeating: 7, count: ConfigDataRules_maxSize + 1).base64EncodedString()
        #expect(Self.summaries(Self.secret(#","data":{"big":"\#(big)"}"#), ResourceCatalog.secrets)
                == ["data: Too long: may not be more than 1048576 bytes"])
    }

    @Test func anImmutableSecretRefusesDataChangesAndStaysImmutable() {
        let old = Fixture.defaulted(Self.secret(#","immutable":true,"data":{"a":"YQ=="}"#), ResourceCatalog.secrets)
        let changed = old.setting("data", ["a": "Yg=="])
        #expect(Self.summaries(changed, ResourceCatalog.secrets, .update(old: old)) == ["data: Forbidden: field is immutable when `immutable` is set"])
        let mutable = old.setting("immutable", false)
        #expect(Self.summaries(mutable, ResourceCatalog.secrets, .update(old: old)) == ["immutable: Forbidden: field is immutable when `immutable` is set"])
        let labelled = old.setting("metadata.labels", ["a": "b"])
        #expect(Self.summaries(labelled, ResourceCatalog.secrets, .update(old: old)) == [])
        let retyped = old.setting("type", "kubernetes.io/tls")
        #expect(Self.summaries(retyped, ResourceCatalog.secrets, .update(old: old)).contains("type: Invalid value: \"kubernetes.io/tls\": field is immutable"))
    }

    @Test func aNULInASecretIsReportedWithoutItsValue() {
        let object = Self.secret(#","stringData":{"k":"top\u0000secret"}"#)
        let causes = Self.summaries(object, ResourceCatalog.secrets)
        #expect(causes.count == 1)
        #expect(!causes.joined().contains("secret\""), "\(causes)")
        #expect(causes.first?.contains("<secret contents redacted>") == true)
    }

    @Test(arguments: [
        (#","data":{"a":"x"},"binaryData":{"a":"eA=="}"#, ["binaryData[a]: Invalid value: \"a\": duplicate of key present in data"]),
        (#","binaryData":{"b":"%%%"}"#, ["binaryData[b]: Invalid value: \"<secret contents redacted>\": illegal base64 data"]),
        (#","data":{".":"x"}"#, ["data[.]: Invalid value: \".\": must not be '.'"]),
        (#","data":{"game.properties":"x"},"binaryData":{"b":"eA=="}"#, []),
    ] as [(String, [String])])
    func configMapsAreValidatedAsUpstream(extra: String, causes: [String]) {
        #expect(Self.summaries(Self.configMap(extra), ResourceCatalog.configMaps) == causes)
    }

    @Test func anImmutableConfigMapRefusesDataAndBinaryDataChanges() {
        let old = Fixture.defaulted(Self.configMap(#","immutable":true,"data":{"a":"1"}"#), ResourceCatalog.configMaps)
        #expect(Self.summaries(old.setting("data", ["a": "2"]), ResourceCatalog.configMaps, .update(old: old))
                == ["data: Forbidden: field is immutable when `immutable` is set"])
        #expect(Self.summaries(old.setting("binaryData", ["b": "eA=="]), ResourceCatalog.configMaps, .update(old: old))
                == ["binaryData: Forbidden: field is immutable when `immutable` is set"])
        let mutableOld = Fixture.defaulted(Self.configMap(#","data":{"a":"1"}"#), ResourceCatalog.configMaps)
        #expect(Self.summaries(mutableOld.setting("data", ["a": "2"]), ResourceCatalog.configMaps, .update(old: mutableOld)) == [])
    }

    @Test(arguments: [
        ("spec.containers.0.env", Fixture.parse(#"[{"name":"P","valueFrom":{"secretKeyRef":{"key":"k"}}}]"#),
         "spec.containers[0].env[0].valueFrom.secretKeyRef.name: Required value"),
        ("spec.containers.0.env", Fixture.parse(#"[{"name":"P","valueFrom":{"configMapKeyRef":{"name":"c","key":"a b"}}}]"#),
         "spec.containers[0].env[0].valueFrom.configMapKeyRef.key: Invalid value: \"a b\": \(configKeyFormat)"),
        ("spec.containers.0.envFrom", Fixture.parse(#"[{"prefix":"1X","configMapRef":{"name":"c"}}]"#),
         "spec.containers[0].envFrom[0].prefix: Invalid value: \"1X\": \(envVarFormat)"),
        ("spec.containers.0.envFrom", Fixture.parse(#"[{"configMapRef":{"name":"c"},"secretRef":{"name":"s"}}]"#),
         "spec.containers[0].envFrom: Invalid value: \"\": may not have more than one field specified at a time"),
        ("spec.containers.0.envFrom", Fixture.parse(#"[{"prefix":"P_"}]"#),
         "spec.containers[0].envFrom: Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`"),
        ("spec.volumes", Fixture.parse(#"[{"name":"s","secret":{}}]"#), "spec.volumes[0].secret.secretName: Required value"),
        ("spec.volumes", Fixture.parse(#"[{"name":"s","secret":{"secretName":"x","defaultMode":512}}]"#),
         "spec.volumes[0].secret.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive"),
        ("spec.volumes", Fixture.parse(#"[{"name":"c","configMap":{"name":"x","items":[{"key":"k","path":"../etc"}]}}]"#),
         "spec.volumes[0].configMap.items[0].path: Invalid value: \"../etc\": must not contain '..'"),
        ("spec.volumes", Fixture.parse(#"[{"name":"c","configMap":{"name":"x","items":[{"key":"k","path":"/etc"}]}}]"#),
         "spec.volumes[0].configMap.items[0].path: Invalid value: \"/etc\": must be a relative path"),
        ("spec.volumes", Fixture.parse(#"[{"name":"c","configMap":{"name":"x","items":[{"path":"p"}]}}]"#),
         "spec.volumes[0].configMap.items[0].key: Required value"),
        ("spec.volumes", Fixture.parse(#"[{"name":"p","projected":{"sources":[{"secret":{"name":"a","items":[{"key":"k","path":"f"}]}},{"configMap":{"name":"b","items":[{"key":"k","path":"f"}]}}]}}]"#),
         "spec.volumes[0].projected: Invalid value: \"f\": conflicting duplicate paths"),
        ("spec.volumes", Fixture.parse(#"[{"name":"d","downwardAPI":{"items":[{"path":"n","fieldRef":{"fieldPath":"spec.nodeName"}}]}}]"#),
         "spec.volumes[0].downwardAPI.items[0].fieldRef.fieldPath: Unsupported value: \"spec.nodeName\": supported values: \"metadata.annotations\", \"metadata.labels\", \"metadata.name\", \"metadata.namespace\", \"metadata.uid\""),
    ] as [(String, JSONValue, String)])
    func podReferencesAreValidatedAsUpstream(path: String, value: JSONValue, cause: String) {
        let causes = Self.summaries(Fixture.pod.setting(path, value), ResourceCatalog.pods)
        #expect(causes.contains(cause), "\(causes)")
    }

    @Test func aPodUsingSecretsAndConfigMapsEverywayIsAccepted() {
        let pod = Fixture.pod
            .setting("spec.containers.0.env", Fixture.parse(#"[{"name":"P","valueFrom":{"secretKeyRef":{"name":"s","key":"k","optional":true}}}]"#))
            .setting("spec.containers.0.envFrom", Fixture.parse(#"[{"prefix":"CFG_","configMapRef":{"name":"c"}}]"#))
            .setting("spec.containers.0.volumeMounts", Fixture.parse(#"[{"name":"all","mountPath":"/etc/app"}]"#))
            .setting("spec.volumes", Fixture.parse(#"[{"name":"all","projected":{"defaultMode":256,"sources":[{"secret":{"name":"s"}},{"configMap":{"name":"c","items":[{"key":"k","path":"dir/k","mode":420}]}},{"downwardAPI":{"items":[{"path":"labels","fieldRef":{"fieldPath":"metadata.labels"}}]}}]}}]"#))
        #expect(Self.summaries(pod, ResourceCatalog.pods) == [])
    }

    static let configKeyFormat = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
    static let envVarFormat = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"
}

private let ConfigDataRules_maxSize = 1024 * 1024

/// `kubectl get secrets` / `configmaps` columns.
@Suite struct ConfigTableTests {
    @Test func secretsAndConfigMapsPrintUpstreamsColumnsAndCountsOnly() {
        let renderer = TableRenderer(now: Date(timeIntervalSince1970: 1_700_000_060))
        let secret = Fixture.parse(#"{"metadata":{"name":"db","creationTimestamp":"2023-11-14T22:13:20Z"},"type":"Opaque","data":{"a":"YQ==","b":"Yg=="}}"#)
        #expect(TableRenderer.columns(for: ResourceCatalog.secrets).map(\.name) == ["Name", "Type", "Data", "Age"])
        #expect(renderer.cells(for: secret, resource: ResourceCatalog.secrets) == ["db", "Opaque", 2, "60s"])
        let map = Fixture.parse(#"{"metadata":{"name":"cfg","creationTimestamp":"2023-11-14T22:13:20Z"},"data":{"a":"1"},"binaryData":{"b":"eA=="}}"#)
        #expect(TableRenderer.columns(for: ResourceCatalog.configMaps).map(\.name) == ["Name", "Data", "Age"])
        #expect(renderer.cells(for: map, resource: ResourceCatalog.configMaps) == ["cfg", 2, "60s"])
    }
}
