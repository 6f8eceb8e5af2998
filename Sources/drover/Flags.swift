import Foundation

/// `--name value` / `--name=value` flags of the `server` and `up` commands.
struct Flags {
    private var values: [String: String] = [:]
    private var switches: Set<String> = []

    /// Parses `arguments`; `known` maps each flag to whether it takes a value. Unknown flags and
    /// missing values are errors with a usage hint.
    init(_ arguments: [String], known: [String: Bool], usage: String) throws {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "-h" || argument == "--help" { throw UsageError(message: usage, isHelp: true) }
            guard argument.hasPrefix("--") else { throw UsageError(message: "unexpected argument \"\(argument)\"\n\n\(usage)") }
            var name = String(argument.dropFirst(2))
            var value: String?
            if let eq = name.firstIndex(of: "=") {
                value = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            guard let takesValue = known[name] else { throw UsageError(message: "unknown flag --\(name)\n\n\(usage)") }
            if takesValue {
                if value == nil {
                    guard index < arguments.count else { throw UsageError(message: "flag --\(name) needs a value\n\n\(usage)") }
                    value = arguments[index]
                    index += 1
                }
                values[name] = value
            } else {
                switches.insert(name)
            }
        }
    }

    subscript(_ name: String) -> String? { values[name] }

    func isSet(_ name: String) -> Bool { switches.contains(name) }
}

/// A command-line mistake, or a request for help (printed to stdout, exit 0).
struct UsageError: Error {
    var message: String
    var isHelp = false
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
