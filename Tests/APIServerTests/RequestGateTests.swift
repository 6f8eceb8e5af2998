import Foundation
import HTTP
import Model
import Store
import Testing
@testable import APIServer

/// Overload protection: seats per kind of request, shared fairly between users under contention.
@Suite struct RequestGateTests {
    @Test func aUserAloneMayTakeEverySeatButNotOneMore() {
        let gate = RequestGate(limits: RequestLimits(readOnly: 4, mutating: 2, longRunning: 1))
        #expect((0..<4).map { _ in gate.enter(.readOnly, user: "a") } == [true, true, true, true])
        #expect(!gate.enter(.readOnly, user: "a"))
        #expect(!gate.enter(.readOnly, user: "b"), "no seat left for anyone")
        #expect(gate.enter(.mutating, user: "a"), "kinds have seats of their own")
        gate.leave(.readOnly, user: "a")
        #expect(gate.enter(.readOnly, user: "b"))
        #expect(gate.inUse(.readOnly) == 4)
    }

    @Test func underContentionAFloodingUserIsHeldToItsShareWhileOthersGetSeats() {
        let gate = RequestGate(limits: RequestLimits(readOnly: 8, mutating: 0, longRunning: 0))
        for _ in 0..<6 { #expect(gate.enter(.readOnly, user: "flood")) }
        // b arrives: two users share 8 seats, 4 each; flood holds 6.
        #expect(gate.enter(.readOnly, user: "b"))
        #expect(!gate.enter(.readOnly, user: "flood"), "above its share")
        #expect(gate.enter(.readOnly, user: "b"))
        for _ in 0..<3 { gate.leave(.readOnly, user: "flood") }
        #expect(gate.enter(.readOnly, user: "flood"), "back under its share (3 of 4)")
    }

    @Test func belowHalfTheSeatsNobodyIsHeldToAShare() {
        let gate = RequestGate(limits: RequestLimits(readOnly: 10, mutating: 0, longRunning: 0))
        #expect(gate.enter(.readOnly, user: "b"))
        for _ in 0..<4 { #expect(gate.enter(.readOnly, user: "a")) }
        #expect(gate.inUse(.readOnly) == 5)
    }

    @Test func zeroMeansUnlimited() {
        let gate = RequestGate(limits: .none)
        #expect((0..<1000).allSatisfy { _ in gate.enter(.mutating, user: "a") })
    }

    @Test(arguments: [("GET", [String: String](), RequestGate.Kind.readOnly), ("GET", ["watch": "true"], .longRunning),
                      ("POST", [:], .mutating), ("DELETE", [:], .mutating), ("GET", ["watch": "1"], .longRunning)])
    func requestsAreClassedAsUpstreamDoes(_ row: (String, [String: String], RequestGate.Kind)) {
        let request = HTTPRequest(method: row.0, path: "/api/v1/pods", query: row.1, headers: [:])
        #expect(APIServer.admissionKind(request) == row.2)
        let logs = HTTPRequest(method: "GET", path: "/api/v1/namespaces/d/pods/p/log", query: ["follow": "true"], headers: [:])
        #expect(APIServer.admissionKind(logs) == .longRunning)
    }

    @Test func aRefusedRequestIs429WithRetryAfterAndASeatIsGivenBackOnRelease() throws {
        var configuration = APIServerConfiguration(store: MemoryStore())
        configuration.requestLimits = RequestLimits(readOnly: 1, mutating: 1, longRunning: 1)
        let server = try APIServer(configuration: configuration)
        defer { server.shutdown() }
        let request = HTTPRequest(method: "GET", path: "/api/v1/pods", query: [:], headers: [:])
        guard case .proceed(let release) = server.admit(request) else { Issue.record("first request refused"); return }
        guard case .reject(let refusal) = server.admit(request) else { Issue.record("second request admitted"); return }
        #expect(refusal.status == 429)
        #expect(refusal.headers.contains { $0.0 == "Retry-After" && $0.1 == "1" })
        let status = try JSONValue.parse(refusal.body)
        #expect(status["reason"] == "TooManyRequests")
        #expect(status["message"] == "Too many requests, please try again later.")
        release?()
        guard case .proceed = server.admit(request) else { Issue.record("the seat was not given back"); return }
        guard case .proceed = server.admit(HTTPRequest(method: "GET", path: "/healthz", query: [:], headers: [:])) else {
            Issue.record("health checks are not limited")
            return
        }
    }
}
