import Foundation
import Testing
import TestSupport

/// The dashboard's first page in a real headless browser (Debian's chromium) against `drover up`.
@Suite(.serialized) struct DashboardTests {
    static let chromium = DroverBinary.which("chromium") ?? DroverBinary.which("chromium-browser")

    @Test(.enabled(if: chromium != nil, "chromium is not installed (apt-get install chromium)"))
    func firstPageShowsTheServerVersionAndLiveCounts() async throws {
        try await offCooperativePool { try firstPageShowsTheServerVersionAndLiveCountsBlocking() }
    }

    func firstPageShowsTheServerVersionAndLiveCountsBlocking() throws {
        let up = try DroverUp()
        defer { up.stop(); up.removeData() }
        let file = "\(up.dataDir)/job.json"
        try DroverUpTests.job.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try up.cli(["apply", "-f", file]).status == 0)
        // `drover up`'s local agent registers its node; wait for it so the count is settled.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, try up.cli(["get", "nodes", "-o", "name"]).output.isEmpty { Thread.sleep(forTimeInterval: 0.1) }

        let profile = "\(up.dataDir)/chromium"
        // The token travels in the URL fragment, as `drover up` prints it; virtual time lets the
        // page's fetches and its first refresh finish before the DOM is dumped.
        let page = try DroverBinary.run(Self.chromium!, [
            "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)",
            "--virtual-time-budget=8000", "--dump-dom", "\(up.server)/#token=\(up.token)",
        ])
        #expect(page.output.contains("server v1.32.0-drover"), "\(page.output)")
        #expect(page.output.contains("id=\"count-jobs\">1<"), "\(page.output)")
        #expect(page.output.contains("id=\"count-nodes\">1<"), "\(page.output)")
    }

    @Test(.enabled(if: chromium != nil, "chromium is not installed (apt-get install chromium)"))
    func withoutATokenThePageAsksForOne() async throws {
        try await offCooperativePool { try withoutATokenThePageAsksForOneBlocking() }
    }

    func withoutATokenThePageAsksForOneBlocking() throws {
        let up = try DroverUp()
        defer { up.stop(); up.removeData() }
        let page = try DroverBinary.run(Self.chromium!, [
            "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(up.dataDir)/chromium",
            "--virtual-time-budget=5000", "--dump-dom", "\(up.server)/",
        ])
        #expect(page.output.contains("<section id=\"token-form\">"), "\(page.output)")
        #expect(page.output.contains("The server needs a valid token."), "\(page.output)")
    }
}
