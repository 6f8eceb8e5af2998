import Foundation
import Testing
import TestSupport

/// `kubectl top` unchanged against `drover up`: a pod burning CPU under a 200m limit shows
/// non-zero usage in the real kubectl's `top pods` (and the node in `top nodes`), and in
/// `drover top pods` beside its requests and limits.
@Suite(.serialized) struct KubectlTopEndToEndTests {
    static let pod = """
    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"burner","labels":{"app":"burner"}},
     "spec":{"containers":[{"name":"burn","image":"busybox","command":["sh","-c","while :; do :; done"],
             "resources":{"requests":{"cpu":"100m","memory":"16Mi"},"limits":{"cpu":"200m","memory":"64Mi"}}}]}}
    """

    @Test(.enabled(if: KubectlTests.kubectl != nil, "kubectl is not on the PATH"))
    func aBusyPodShowsNonZeroCPUInKubectlTop() async throws {
        try await offCooperativePool { try aBusyPodShowsNonZeroCPUInKubectlTopBlocking() }
    }

    /// The millicores of the CPU column of `kubectl top pods` for `name`, if listed.
    static func millicores(_ table: String, _ name: String) -> Int? {
        let row = table.split(separator: "\n").first { $0.hasPrefix(name + " ") }
        return row?.split(separator: " ").dropFirst().first.flatMap { Int($0.dropLast()) }
    }

    func aBusyPodShowsNonZeroCPUInKubectlTopBlocking() throws {
        // Sample and scrape every 2 s: the first rate needs two samples, then a scrape.
        let up = try DroverUp(arguments: ["--metric-resolution", "2"])
        defer { up.stop(); up.removeData() }
        let kubectl = try KubectlTests.session(for: up)
        let file = "\(up.dataDir)/burner.json"
        try Self.pod.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try up.cli(["apply", "-f", file]).status == 0)
        let deadline = Date().addingTimeInterval(180)
        var table = ""
        var cpu: Int?
        while Date() < deadline {
            table = try kubectl(["top", "pods"]).output
            if let found = Self.millicores(table, "burner"), found > 0 { cpu = found; break }
            Thread.sleep(forTimeInterval: 1)
        }
        let measured = try #require(cpu, "kubectl top pods never showed the burner's CPU:\n\(table)\n\(up.logText)")
        // Throttled to 200m; a loaded machine may give less, never much more.
        #expect(measured > 0 && measured <= 300, "\(table)")
        let labelled = try kubectl(["top", "pods", "-A", "--containers", "-l", "app=burner"])
        #expect(labelled.status == 0 && labelled.output.contains("burn"), "\(labelled.output)")
        let nodes = try kubectl(["top", "nodes"])
        #expect(nodes.status == 0 && nodes.output.contains("CPU(cores)") && !nodes.output.contains("<unknown>"), "\(nodes.output)")
        let droverNodes = try up.cli(["top", "nodes"])
        #expect(droverNodes.output.contains("CPU(usage)") && !droverNodes.output.contains("  -  "), "\(droverNodes.output)")
        let drover = try up.cli(["top", "pods"])
        #expect(drover.output.contains("CPU(usage)") && drover.output.contains("200m"), "\(drover.output)")
    }
}
