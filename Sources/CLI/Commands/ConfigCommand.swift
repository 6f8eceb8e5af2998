import Client
import Foundation
import Model

/// `drover config view [--raw]`: the effective connection settings — the config file (or
/// `--server`/`--token`), where they came from — with the token shown as `REDACTED` unless --raw.
struct ConfigCommand: Command {
    static let name = "config"
    static let summary = "Show the CLI's effective configuration (config view)."
    static let usage = """
      drover config view [--raw]

    The config file is $DROVER_CONFIG, else ~/.drover/config; drover up writes it.
    """
    static let options = [OptionSpec("raw", help: "Show the token instead of REDACTED.")]

    var raw: Bool

    init(_ arguments: ParsedArguments) throws {
        guard arguments.positionals == ["view"] else {
            throw UsageError(arguments.positionals.isEmpty ? "a subcommand is required: drover config view"
                                                           : "unknown config subcommand \"\(arguments.positionals.joined(separator: " "))\"; try drover config view")
        }
        raw = arguments.flag("raw")
    }

    func validate() throws(UsageError) {}

    func run(_ context: CommandContext) async throws -> Int32 {
        let options = context.connection
        let config = try options.resolve(environment: context.environment)
        let source = options.server != nil ? "command line (--server)"
            : options.configPath ?? ClientConfig.defaultPath(environment: context.environment)
        var document: JSONValue = ["config": .string(source), "server": .string(config.server)]
        if let token = config.token, !token.isEmpty {
            document["token"] = .string(raw ? token : "REDACTED")
        }
        context.out(YAMLWriter.render(document))
        return 0
    }
}
