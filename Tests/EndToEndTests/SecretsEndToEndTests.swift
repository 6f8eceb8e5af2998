import Foundation
import Testing
import TestSupport

/// Secrets and ConfigMaps through the real `drover up`: a Job's pod reads an env var from a Secret
/// and a file from a ConfigMap volume, sees the file change when the ConfigMap is updated; a pod
/// naming a missing Secret waits with CreateContainerConfigError until it exists; PostgreSQL's
/// files and the process's log never hold the Secret's value.
@Suite(.serialized) struct SecretsEndToEndTests {
    static let value = "pw-\(UUID().uuidString.prefix(8))-plain"

    static let objects = """
    {"apiVersion":"v1","kind":"List","items":[
     {"apiVersion":"v1","kind":"Secret","metadata":{"name":"db"},"stringData":{"password":"\(value)"}},
     {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"},"data":{"greeting":"hello-v1"}}]}
    """

    static let job = """
    {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"reader"},
     "spec":{"backoffLimit":0,"template":{"spec":{"restartPolicy":"Never",
       "volumes":[{"name":"cfg","configMap":{"name":"cfg"}}],
       "containers":[{"name":"main","image":"busybox",
         "env":[{"name":"PASSWORD","valueFrom":{"secretKeyRef":{"name":"db","key":"password"}}}],
         "volumeMounts":[{"name":"cfg","mountPath":"/tmp/drover-e2e-cfg-mount"}],
         "command":["sh","-c","echo password=$PASSWORD; echo greeting=$(cat $DROVER_VOLUME_CFG/greeting); i=0; while [ $i -lt 600 ]; do if [ \\"$(cat $DROVER_VOLUME_CFG/greeting)\\" = hello-v2 ]; then echo updated; exit 0; fi; sleep 0.1; i=$((i+1)); done; exit 1"]}]}}}}
    """

    static let waiting = """
    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"waiter"},
     "spec":{"restartPolicy":"Never","containers":[{"name":"main","image":"busybox",
       "env":[{"name":"TOKEN","valueFrom":{"secretKeyRef":{"name":"later","key":"token"}}}],
       "command":["sh","-c","echo token=$TOKEN"]}]}}
    """

    @Test func podsReadSecretsAndConfigMapsAndFollowUpdates() async throws {
        try await offCooperativePool { try podsReadSecretsAndConfigMapsAndFollowUpdatesBlocking() }
    }

    func waitFor(_ what: String, seconds: Double = 60, _ check: () throws -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try check() { return true }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return false
    }

    func podsReadSecretsAndConfigMapsAndFollowUpdatesBlocking() throws {
        let up = try DroverUp()
        defer { up.stop(); up.removeData() }
        func apply(_ text: String, _ name: String) throws {
            let file = "\(up.dataDir)/\(name).json"
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            let result = try up.cli(["apply", "-f", file])
            #expect(result.status == 0, "\(result.output)")
        }
        try apply(Self.objects, "objects")
        let secret = try up.cli(["get", "secret", "db", "-o", "json"]).output
        #expect(secret.contains(Data(Self.value.utf8).base64EncodedString()), "\(secret)")
        #expect(!secret.contains("stringData"))
        let table = try up.cli(["get", "secrets"]).output
        #expect(table.contains("db") && table.contains("Opaque") && !table.contains(Self.value), "\(table)")

        try apply(Self.job, "job")
        var logs = ""
        let started = try waitFor("the first greeting") {
            logs = try up.cli(["logs", "job/reader"]).output
            return logs.contains("greeting=hello-v1")
        }
        #expect(started, "\(logs)\n\(up.logText)")
        #expect(logs.contains("password=\(Self.value)"), "\(logs)")
        try apply(Self.objects.replacingOccurrences(of: "hello-v1", with: "hello-v2"), "objects-v2")
        let updated = try waitFor("the update") {
            logs = try up.cli(["logs", "job/reader"]).output
            return logs.contains("updated")
        }
        #expect(updated, "\(logs)\n\(up.logText)")

        try apply(Self.waiting, "waiter")
        var pod = ""
        let blocked = try waitFor("CreateContainerConfigError") {
            pod = try up.cli(["get", "pod", "waiter", "-o", "json"]).output
            return pod.contains("CreateContainerConfigError")
        }
        #expect(blocked, "\(pod)")
        #expect(pod.contains(#"secret \"later\" not found"#), "\(pod)")
        try apply(#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"later"},"stringData":{"token":"t-1"}}"#, "later")
        let ran = try waitFor("the waiting pod to run") { try up.cli(["get", "pod", "waiter"]).output.contains("Completed") }
        let final = try up.cli(["get", "pod", "waiter", "-o", "json"]).output
        #expect(ran, "\(final)")
        #expect(try up.cli(["logs", "waiter"]).output.contains("token=t-1"))

        // Neither the database's files (tables and write-ahead log) nor the log hold the value.
        #expect(!up.logText.contains(Self.value))
        let stored = try DroverBinary.run("/usr/bin/grep", ["-rlaF", Self.value, "\(up.dataDir)/postgres"])
        #expect(stored.status == 1, "plaintext found in \(stored.output)")
        let key = try FileManager.default.attributesOfItem(atPath: "\(up.dataDir)/encryption-keys")[.posixPermissions] as? Int
        #expect(key == 0o600)
    }
}
