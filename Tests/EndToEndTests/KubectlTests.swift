import Foundation
import Testing

/// The real kubectl against `drover up`, when kubectl is installed.
@Suite(.serialized) struct KubectlTests {
    static let kubectl = DroverBinary.which("kubectl")

    @Test(.enabled(if: kubectl != nil, "kubectl is not on the PATH"))
    func kubectlGetCreateListDelete() throws {
        let up = try DroverUp()
        defer { up.stop(); up.removeData() }
        let home = "\(up.dataDir)/home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        func kubectl(_ arguments: [String]) throws -> (status: Int32, output: String) {
            try DroverBinary.run(Self.kubectl!, arguments, environment: ["KUBECONFIG": up.kubeconfigPath, "HOME": home])
        }
        let pods = try kubectl(["get", "pods"])
        #expect(pods.status == 0, "\(pods.output)")
        #expect(pods.output.contains("No resources found in default namespace."))

        let file = "\(up.dataDir)/job.json"
        try DroverUpTests.job.write(toFile: file, atomically: true, encoding: .utf8)
        let created = try kubectl(["create", "-f", file])
        #expect(created.status == 0, "\(created.output)")
        #expect(created.output.contains("job.batch/hello created"))

        let jobs = try kubectl(["get", "jobs", "-A"])
        #expect(jobs.status == 0, "\(jobs.output)")
        #expect(jobs.output.contains("NAMESPACE"))
        #expect(jobs.output.contains("hello"))

        let deleted = try kubectl(["delete", "job", "hello"])
        #expect(deleted.status == 0, "\(deleted.output)")
        #expect(deleted.output.contains("job.batch \"hello\" deleted"))
        let after = try kubectl(["get", "jobs"])
        #expect(after.output.contains("No resources found"))
    }
}
