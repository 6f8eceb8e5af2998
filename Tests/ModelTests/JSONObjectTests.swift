import Model
import Testing

@Suite struct JSONObjectTests {
    /// Small objects scan their members, large ones use an index: every behaviour is checked at
    /// both sizes (the threshold is 12 members).
    static let sizes = [3, 40]

    static func object(_ count: Int) -> JSONObject {
        JSONObject((0..<count).map { ("k\($0)", JSONValue.int(Int64($0))) })
    }

    @Test(arguments: sizes)
    func keysKeepInsertionOrderAndReplacingKeepsThePosition(_ count: Int) {
        var o = Self.object(count)
        o["k1"] = "replaced"
        o["new"] = true
        #expect(o.keys == (0..<count).map { "k\($0)" } + ["new"])
        #expect(o["k1"] == "replaced")
        #expect(o["new"] == true)
        #expect(o.count == count + 1)
    }

    @Test(arguments: sizes)
    func removingAKeyKeepsTheOthersFindable(_ count: Int) {
        var o = Self.object(count)
        o["k0"] = nil
        o["k0"] = nil   // removing a missing key changes nothing
        #expect(o["k0"] == nil)
        #expect(o.count == count - 1)
        for i in 1..<count { #expect(o["k\(i)"] == .int(Int64(i))) }
        o["k0"] = 0
        #expect(o.keys.last == "k0")
    }

    @Test(arguments: sizes)
    func equalityIgnoresOrderButNotValues(_ count: Int) {
        let forward = Self.object(count)
        let backward = JSONObject((0..<count).reversed().map { ("k\($0)", JSONValue.int(Int64($0))) })
        #expect(forward == backward)
        var changed = backward
        changed["k2"] = "other"
        #expect(forward != changed)
        var extra = backward
        extra["z"] = .null
        #expect(forward != extra)
    }

    @Test(arguments: sizes)
    func parsingKeepsOrderAndALaterDuplicateWins(_ count: Int) throws {
        let members = (0..<count).map { "\"k\($0)\":\($0)" } + ["\"k1\":\"last\""]
        let value = try JSONValue.parse(Array("{\(members.joined(separator: ","))}".utf8))
        let o = try #require(value.object)
        #expect(o.count == count)
        #expect(o["k1"] == "last")
        #expect(o.keys.first == "k0")
        #expect(try JSONValue.parse(value.serialized()) == value)
    }
}
