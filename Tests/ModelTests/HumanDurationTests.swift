import Foundation
import Testing
@testable import Model

@Suite struct HumanDurationTests {
    static let minute = 60.0, hour = 3600.0, day = 86_400.0, year = 365 * 86_400.0

    static let cases: [(Double, String)] = [
        (0, "0s"), (-1, "0s"), (-1.5, "0s"), (-2, "<invalid>"), (5.9, "5s"), (119, "119s"),
        (2 * minute, "2m"), (2 * minute + 5, "2m5s"), (3 * minute + 20, "3m20s"), (10 * minute + 30, "10m"),
        (179 * minute, "179m"), (3 * hour, "3h"), (3 * hour + 30 * minute, "3h30m"), (8 * hour + 59 * minute, "8h"),
        (47 * hour, "47h"), (48 * hour, "2d"), (4 * day + 5 * hour, "4d5h"), (8 * day, "8d"), (729 * day, "729d"),
        (730 * day, "2y"), (2 * year + 30 * day, "2y30d"), (8 * year, "8y"), (10 * year + 100 * day, "10y"),
        (.nan, "<invalid>"),
    ]

    @Test(arguments: cases)
    func formatsLikeUpstream(_ seconds: Double, _ text: String) {
        #expect(HumanDuration.format(seconds) == text)
    }
}

@Suite struct RFC3339Tests {
    static let noon = Date(timeIntervalSince1970: 1_714_564_800)  // 2024-05-01T12:00:00Z

    static let equivalent = [
        "2024-05-01T12:00:00Z", "2024-05-01t12:00:00z", "2024-05-01T12:00:00.000Z", "2024-05-01T14:00:00+02:00",
        "2024-05-01T07:30:00-04:30", "2024-05-01T12:00:00+00:00",
    ]

    @Test(arguments: equivalent)
    func parsesEveryFormOfTheSameInstant(_ text: String) {
        #expect(RFC3339.parse(text) == Self.noon)
    }

    @Test func keepsFractionalSeconds() throws {
        let date = try #require(RFC3339.parse("2024-05-01T12:00:00.250Z"))
        #expect(abs(date.timeIntervalSince(Self.noon) - 0.25) < 1e-6)
        #expect(RFC3339.parse("1970-01-01T00:00:00Z") == Date(timeIntervalSince1970: 0))
        #expect(RFC3339.parse("2000-02-29T00:00:00Z") == Date(timeIntervalSince1970: 951_782_400))
    }

    @Test(arguments: [
        "", "2024-05-01", "2024-05-01 12:00:00Z", "2024-05-01T12:00:00", "2024-13-01T12:00:00Z",
        "2023-02-29T12:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T12:00:00.Z", "2024-05-01T12:00:00+0200",
        "2024-05-01T12:00:00Zjunk", "20x4-05-01T12:00:00Z",
    ])
    func rejectsOtherText(_ text: String) {
        #expect(RFC3339.parse(text) == nil)
    }
}
