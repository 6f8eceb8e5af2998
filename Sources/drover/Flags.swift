import CLI
import Foundation

/// The flags of the `server`, `up` and `agent` commands, read with the CLI's argument parser.
struct Flags {
    private let parsed: ParsedArguments

    /// Parses `arguments`; `known` maps each flag to whether it takes a value. Unknown flags, missing
    /// values and positional arguments are errors with a usage hint; `-h`/`--help` asks for help.
    init(_ arguments: [String], known: [String: Bool], usage: String) throws {
        let options = known.sorted { $0.key < $1.key }.map { name, takesValue in
            OptionSpec(name, value: takesValue ? "VALUE" : nil, help: "")
        }
        do {
            parsed = try ArgumentParser.parse(arguments, options: options)
        } catch {
            throw UsageError(message: "\(error.message)\n\n\(usage)")
        }
        if parsed.flag("help") { throw UsageError(message: usage, isHelp: true) }
        if let extra = parsed.positionals.first {
            throw UsageError(message: "unexpected argument \"\(extra)\"\n\n\(usage)")
        }
    }

    subscript(_ name: String) -> String? { parsed.value(name) }

    func isSet(_ name: String) -> Bool { parsed.flag(name) }

    /// Whether boolean `name` was turned off with `--name=false`.
    func explicitlyFalse(_ name: String) -> Bool { parsed.explicitlyFalse(name) }
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
