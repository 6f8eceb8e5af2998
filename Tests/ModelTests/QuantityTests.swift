import Testing
@testable import Model

@Suite struct QuantityTests {
    /// (input, canonical text, milli-value, value)
    static let parsing: [(String, String, Int64, Int64)] = [
        ("500m", "500m", 500, 1),
        ("1.5", "1500m", 1500, 2),
        ("2", "2", 2000, 2),
        ("0", "0", 0, 0),
        ("256Mi", "256Mi", 268_435_456_000, 268_435_456),
        ("1Gi", "1Gi", 1_073_741_824_000, 1_073_741_824),
        ("1024Mi", "1Gi", 1_073_741_824_000, 1_073_741_824),
        ("1.5Gi", "1536Mi", 1_610_612_736_000, 1_610_612_736),
        ("0.5Ki", "512", 512_000, 512),
        ("1G", "1G", 1_000_000_000_000, 1_000_000_000),
        ("1000M", "1G", 1_000_000_000_000, 1_000_000_000),
        ("1e3", "1e3", 1_000_000, 1000),
        ("1E3", "1e3", 1_000_000, 1000),
        ("1.5e3", "1500", 1_500_000, 1500),
        ("5e-3", "5e-3", 5, 1),
        ("100k", "100k", 100_000_000, 100_000),
        ("1000", "1k", 1_000_000, 1000),
        ("0.1", "100m", 100, 1),
        (".5", "500m", 500, 1),
        ("5.", "5", 5000, 5),
        ("+3", "3", 3000, 3),
        ("-1.5", "-1500m", -1500, -2),
        ("1000m", "1", 1000, 1),
        ("1n", "1n", 1, 1),
        ("1u", "1u", 1, 1),
        ("0.1n", "1n", 1, 1),
        ("-0.1n", "-1n", -1, -1),
        ("1500u", "1500u", 2, 1),
        ("0.0001", "100u", 1, 1),
        ("12345678901234567890.5", "12345678901234567890500m", Int64.max, Int64.max),
        ("1Ei", "1Ei", Int64.max, 1_152_921_504_606_846_976),
        ("2E", "2E", Int64.max, 2_000_000_000_000_000_000),
        ("1e-20", "1e-9", 1, 1),
        ("000123", "123", 123_000, 123),
        ("1000Ki", "1000Ki", 1_024_000_000, 1_024_000),
        ("1023", "1023", 1_023_000, 1023),
    ]

    @Test(arguments: parsing)
    func parsesAndPrintsCanonically(_ input: String, _ canonical: String, _ milli: Int64, _ value: Int64) throws {
        let q = try Quantity(parsing: input)
        #expect(q.description == canonical)
        #expect(q.milliValue == milli)
        #expect(q.value == value)
        #expect(try Quantity(parsing: canonical) == q)
    }

    static let garbage: [(String, String)] = [
        ("", "must match the regular expression"),
        ("abc", "must match the regular expression"),
        ("-", "must match the regular expression"),
        (".", "must match the regular expression"),
        ("m", "must match the regular expression"),
        ("1K", "unknown suffix \"K\""),
        ("1Kib", "must match the regular expression"),
        ("1 Gi", "must match the regular expression"),
        ("1e", "unknown suffix \"e\""),
        ("1e3.5", "must match the regular expression"),
        ("1..2", "must match the regular expression"),
        ("1mm", "unknown suffix \"mm\""),
        ("1Gi ", "must match the regular expression"),
        ("99999999999999999999999999999999999999999", "too large"),
        ("1e90", "too large"),
    ]

    @Test(arguments: garbage)
    func rejectsGarbageWithAClearMessage(_ input: String, _ fragment: String) {
        #expect {
            _ = try Quantity(parsing: input)
        } throws: { error in
            guard let error = error as? QuantityError else { return false }
            return error.text == input && error.message.contains(fragment) && error.message.contains("\"\(input)\"")
        }
    }

    @Test func comparesByAmountWhateverTheNotation() throws {
        #expect(try Quantity(parsing: "1000m") == Quantity(parsing: "1"))
        #expect(try Quantity(parsing: "1Ki") == Quantity(parsing: "1024"))
        #expect(try Quantity(parsing: "500m") < Quantity(parsing: "1"))
        #expect(try Quantity(parsing: "1G") < Quantity(parsing: "1Gi"))
        #expect(try Quantity(parsing: "-1") < Quantity.zero)
        let sorted = try ["1Gi", "1", "100m", "2k"].map { try Quantity(parsing: $0) }.sorted().map(\.description)
        #expect(sorted == ["100m", "1", "2k", "1Gi"])
    }

    static let sums: [(String, String, String)] = [
        ("500m", "1500m", "2"),
        ("1Gi", "512Mi", "1536Mi"),
        ("0", "256Mi", "256Mi"),
        ("1", "-3", "-2"),
        ("100m", "1n", "100000001n"),
    ]

    @Test(arguments: sums)
    func addsExactly(_ a: String, _ b: String, _ sum: String) throws {
        let total = try Quantity(parsing: a) + Quantity(parsing: b)
        #expect(total.description == sum)
        #expect(try (total - Quantity(parsing: b)) == Quantity(parsing: a))
    }

    @Test func multipliesAndBuildsFromWholeAndMilliUnits() throws {
        #expect((try Quantity(parsing: "250m") * 4).description == "1")
        #expect(Quantity(3).description == "3")
        #expect(Quantity(milliValue: 1500).description == "1500m")
        #expect(Quantity(2048, format: .binarySI).description == "2Ki")
        var running = Quantity.zero
        running += Quantity(milliValue: 100)
        running -= Quantity(milliValue: 300)
        #expect(running.milliValue == -200)
    }

    @Test func readsStringsAndNumbersFromJSON() throws {
        #expect(try Quantity(json: "256Mi").description == "256Mi")
        #expect(try Quantity(json: 2).description == "2")
        #expect(try Quantity(json: 0.5).description == "500m")
        #expect(throws: QuantityError.self) { try Quantity(json: [1]) }
    }
}
