import Foundation
import Testing
import TestSupport

/// The dashboard's JavaScript unit tests (web/tests/*.test.js) under `node --test`, so the Swift
/// suite fails when they do. scripts/test.sh also runs them on their own.
@Suite struct DashboardScriptTests {
    static let node = DroverBinary.which("node") ?? DroverBinary.which("nodejs")
    static let webTests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("web/tests").path

    @Test(.enabled(if: node != nil, "node is not installed (apt-get install nodejs)"))
    func theDashboardsPureModulesPassTheirNodeTests() async throws {
        let result = try await offCooperativePool { try DroverBinary.run(Self.node!, ["--test", Self.webTests]) }
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("# fail 0"), "\(result.output)")
    }
}
