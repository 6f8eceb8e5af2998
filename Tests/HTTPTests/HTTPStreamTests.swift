import Foundation
import HTTP
import Testing
import TestSupport

@Suite struct HTTPStreamTests {
    @Test func streamDeliversLinesIncrementally() async throws {
        let firstLineRead = DispatchSemaphore(value: 0)
        try await withServer(handler: { _, responder in
            let stream = responder.stream(status: 200, headers: [("Content-Type", "application/json")])
            stream.write(Array("line 1\n".utf8))
            // The second line exists only after the client has seen the first one.
            guard firstLineRead.wait(timeout: .now() + 10) == .success else { return stream.close() }
            stream.write(Array("line 2\n".utf8))
            stream.close()
        }) { server in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send("GET /watch HTTP/1.1\r\nHost: t\r\n\r\n")
            let head = try connection.readHead()
            #expect(head.status == 200)
            #expect(head.headers["transfer-encoding"] == "chunked")
            #expect(head.headers["content-type"] == "application/json")
            #expect(try connection.readChunk() == Array("line 1\n".utf8))
            firstLineRead.signal()
            #expect(try connection.readChunk() == Array("line 2\n".utf8))
            #expect(try connection.readChunk() == nil)
            // The connection stays usable after the stream ended.
            try connection.send("GET /watch HTTP/1.1\r\nHost: t\r\n\r\n")
            firstLineRead.signal()
            #expect(try connection.readResponse().text == "line 1\nline 2\n")
        }
    }

    @Test func clientDisconnectRunsOnCloseHandlers() async throws {
        let closedCount = Observed(0)
        let writesRefused = Observed(false)
        try await withServer(handler: { _, responder in
            let stream = responder.stream(status: 200, headers: [])
            stream.onClose { closedCount.update { $0 += 1 } }
            // Heartbeats: libmicrohttpd notices a dead client only when it next writes.
            Thread.detachNewThread {
                for _ in 0..<1000 where stream.write(Array("beat\n".utf8)) {
                    Thread.sleep(forTimeInterval: 0.01)
                }
                writesRefused.update { $0 = !stream.isOpen }
            }
        }) { server in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send("GET /watch HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try connection.readHead()
            _ = try connection.readChunk()
            connection.disconnect()
            #expect(await eventually { closedCount.value == 1 && writesRefused.value })
        }
        #expect(closedCount.value == 1)
    }

    @Test func onCloseRegisteredAfterTheEndRunsAtOnce() async throws {
        let stream = Observed<HTTPStream?>(nil)
        try await withServer(handler: { _, responder in
            let opened = responder.stream(status: 200, headers: [])
            stream.update { $0 = opened }
            opened.write(Array("only\n".utf8))
            opened.close()
            opened.close()
        }) { server in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send("GET /once HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try connection.readResponse().text == "only\n")
        }
        let ended = try #require(stream.value)
        #expect(!ended.isOpen)
        #expect(!ended.write(Array("late".utf8)))
        let ran = Observed(false)
        ended.onClose { ran.update { $0 = true } }
        #expect(ran.value)
    }
}
