@testable import HTTP
import Testing

@Suite struct RequestTargetTests {
    @Test func plusStaysInThePathButIsASpaceInTheQuery() {
        let (path, query) = RequestTarget.parse(Array("/a+b?q=a+b".utf8))
        #expect(path == "/a+b")
        #expect(query == ["q": "a b"])
    }

    @Test func malformedEscapesAreKeptAsTheyAre() {
        let (path, query) = RequestTarget.parse(Array("/100%?v=%zz%4".utf8))
        #expect(path == "/100%")
        #expect(query == ["v": "%zz%4"])
    }

    @Test func absoluteFormAndFragmentsAreReducedToThePath() {
        #expect(RequestTarget.parse(Array("http://example.com:80/x?y=1#frag".utf8)).path == "/x")
        #expect(RequestTarget.parse(Array("http://example.com".utf8)).path == "/")
        #expect(RequestTarget.parse(Array("/x#frag".utf8)).path == "/x")
    }

    @Test func emptyPairsAreSkippedAndUTF8IsDecoded() {
        let (_, query) = RequestTarget.parse(Array("/?&&caf%C3%A9=%E2%9C%93&".utf8))
        #expect(query == ["café": "✓"])
    }
}
