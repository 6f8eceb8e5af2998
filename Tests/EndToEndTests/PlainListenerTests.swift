import Foundation
import Testing

/// Plain HTTP off loopback is refused unless asked for: bearer tokens would cross the network in
/// the clear.
@Suite struct PlainListenerTests {
    @Test func droverServerRefusesPlainHTTPOffLoopbackNamingTheWayOut() throws {
        let (status, output) = try DroverBinary.run(DroverBinary.path, ["server", "--database-url", "host=/nonexistent",
                                                                         "--listen", "0.0.0.0:0"])
        #expect(status == 2)
        #expect(output.contains("--listen 0.0.0.0:0 is not a loopback address"))
        #expect(output.contains("--secure-listen") && output.contains("--insecure-http"))
    }
}
