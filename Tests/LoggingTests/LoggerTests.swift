import Foundation
import Testing
@testable import Logging

/// Lines as logfmt and JSON, and the per-component levels.
@Suite struct LoggerTests {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.withLock { lines.append(line) } }
        var all: [String] { lock.withLock { lines } }
    }

    func configuration(_ lines: Lines) -> LogConfiguration {
        LogConfiguration(sink: { lines.append($0) }, clock: { Date(timeIntervalSince1970: 1_800_000_000.25) })
    }

    @Test func aLineCarriesTimeLevelComponentMessageObjectAndFieldsInBothFormats() throws {
        let lines = Lines()
        let config = configuration(lines)
        let log = Logger("scheduler", configuration: config)
        log.info("pod bound", object: "default/web-1", ["node": "n1", "why": "a \"quoted\" = value\n"])
        try config.configure(format: .json)
        log.info("pod bound", object: "default/web-1", ["node": "n1"])
        #expect(lines.all[0] == "ts=2027-01-15T08:00:00.250Z level=info component=scheduler msg=\"pod bound\" object=default/web-1 node=n1 why=\"a \\\"quoted\\\" = value\\n\"\n")
        let json = try JSONSerialization.jsonObject(with: Data(lines.all[1].utf8)) as? [String: String]
        #expect(json == ["ts": "2027-01-15T08:00:00.250Z", "level": "info", "component": "scheduler", "msg": "pod bound",
                         "object": "default/web-1", "node": "n1"])
        #expect(lines.all[1].hasPrefix("{\"ts\":") && lines.all[1].hasSuffix("}\n"))
    }

    @Test func levelsApplyPerComponentAndItsPrefixes() throws {
        let lines = Lines()
        let config = configuration(lines)
        try config.configure(levels: "warning,apiserver=debug,controller=error,controller/job=info")
        Logger("apiserver", configuration: config).debug("kept")
        Logger("scheduler", configuration: config).info("dropped")
        Logger("scheduler", configuration: config).warning("kept")
        Logger("controller/cronjob", configuration: config).warning("dropped")
        Logger("controller/cronjob", configuration: config).error("kept")
        Logger("controller/job", configuration: config).info("kept")
        #expect(lines.all.count == 4 && lines.all.allSatisfy { $0.contains("msg=kept") })
        #expect(!Logger("scheduler", configuration: config).isEnabled(.info))
        // The default is info everywhere.
        try config.configure(levels: "")
        #expect(Logger("apiserver", configuration: config).isEnabled(.info) && !Logger("apiserver", configuration: config).isEnabled(.debug))
    }

    @Test func badLevelsAreRefusedNamingWhatIsWrong() {
        let config = LogConfiguration(sink: { _ in })
        #expect(throws: LogConfigurationError(description: "unknown log level \"loud\" (error, warning, info, debug)")) {
            try config.configure(levels: "info,apiserver=loud")
        }
        #expect(throws: LogConfigurationError(description: "\"=debug\" names no component")) { try config.configure(levels: "=debug") }
    }
}
