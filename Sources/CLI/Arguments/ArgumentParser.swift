/// One flag a command accepts.
public struct OptionSpec: Sendable, Equatable {
    /// Long name without dashes: `namespace` for `--namespace`.
    public var name: String
    /// Short letter for `-n`, if any.
    public var short: Character?
    /// True when the flag takes a value (`-o json`); false for booleans (`-A`).
    public var takesValue: Bool
    /// What the value is called in help (`NS`).
    public var valueName: String
    /// One-line description for help.
    public var help: String

    public init(_ name: String, short: Character? = nil, value valueName: String? = nil, help: String) {
        self.name = name
        self.short = short
        self.takesValue = valueName != nil
        self.valueName = valueName ?? ""
        self.help = help
    }

    /// `-n, --namespace NS` as help shows it.
    var synopsis: String {
        let long = takesValue ? "--\(name) \(valueName)" : "--\(name)"
        return short.map { "-\($0), \(long)" } ?? "    \(long)"
    }
}

/// The result of parsing: positional arguments, flag values (repeatable) and booleans.
public struct ParsedArguments: Sendable, Equatable {
    public var positionals: [String] = []
    /// Where the positionals given after `--` begin, when `--` was given (`submit NAME -- CMD ARGS`).
    public var dashIndex: Int?
    /// Values by long name, in the order given.
    public var values: [String: [String]] = [:]
    /// Booleans that were set.
    public var flags: Set<String> = []
    /// Booleans turned off explicitly (`--wait=false`), for flags whose default is true.
    public var negated: Set<String> = []

    public init() {}

    /// The last value given for `name`.
    public func value(_ name: String) -> String? { values[name]?.last }
    /// Every value given for `name`.
    public func allValues(_ name: String) -> [String] { values[name] ?? [] }
    /// Whether boolean `name` was set.
    public func flag(_ name: String) -> Bool { flags.contains(name) }
    /// Whether boolean `name` was given as `--name=false` (last spelling wins).
    public func explicitlyFalse(_ name: String) -> Bool { negated.contains(name) }
}

/// A command line that does not make sense; the CLI exits with status 2.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A small getopt-style parser: `--name=value`, `--name value`, `-n value`, `-nvalue`, boolean
/// flags (`-A`, `--flag=false`), positional arguments anywhere, and `--` ending the flags.
public enum ArgumentParser {
    /// The help flag every command accepts.
    public static let help = OptionSpec("help", short: "h", help: "Show help for this command.")

    /// Parses `arguments` against `options` (plus `-h/--help`).
    public static func parse(_ arguments: [String], options: [OptionSpec]) throws(UsageError) -> ParsedArguments {
        let options = options + [help]
        var result = ParsedArguments()
        var index = 0
        func takeValue(for option: OptionSpec, spelled: String, inline: String?) throws(UsageError) -> String {
            if let inline { return inline }
            index += 1
            guard index < arguments.count else { throw UsageError("flag needs an argument: \(spelled)") }
            return arguments[index]
        }
        func record(_ option: OptionSpec, spelled: String, inline: String?) throws(UsageError) {
            if option.takesValue {
                result.values[option.name, default: []].append(try takeValue(for: option, spelled: spelled, inline: inline))
            } else {
                switch inline {
                case nil, "true":
                    result.flags.insert(option.name)
                    result.negated.remove(option.name)
                case "false":
                    result.flags.remove(option.name)
                    result.negated.insert(option.name)
                case let other?: throw UsageError("invalid argument \"\(other)\" for \"\(spelled)\": expected true or false")
                }
            }
        }
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                result.dashIndex = result.positionals.count
                result.positionals += arguments[(index + 1)...]
                break
            } else if argument.hasPrefix("--") {
                let body = argument.dropFirst(2)
                let name = String(body.prefix { $0 != "=" })
                let inline = body.firstIndex(of: "=").map { String(body[body.index(after: $0)...]) }
                guard let option = options.first(where: { $0.name == name }) else {
                    throw UsageError("unknown flag: --\(name)" + Suggestions.hint("--\(name)", among: options.map { "--\($0.name)" }))
                }
                try record(option, spelled: "--\(name)", inline: inline)
            } else if argument.hasPrefix("-"), argument.count > 1 {
                let letter = argument[argument.index(after: argument.startIndex)]
                guard let option = options.first(where: { $0.short == letter }) else {
                    throw UsageError("unknown shorthand flag: '\(letter)' in \(argument)")
                }
                var rest = String(argument.dropFirst(2))
                if rest.hasPrefix("=") { rest.removeFirst() }
                if !option.takesValue && !rest.isEmpty && !["true", "false"].contains(rest) {
                    throw UsageError("unknown shorthand flag: '\(rest.prefix(1))' in \(argument)")
                }
                try record(option, spelled: "-\(letter)", inline: rest.isEmpty ? nil : rest)
            } else {
                result.positionals.append(argument)
            }
            index += 1
        }
        return result
    }
}
