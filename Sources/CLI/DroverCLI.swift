import Client
import Foundation
import Model

/// The client verbs of the `drover` executable: `get`, `describe`, `create`, `apply`, `delete`,
/// `patch`, `label`, `annotate`, `set image`, `scale`, `rollout`, `logs`, `events`, `top`, `cordon`, `uncordon`, `drain`, `config`,
/// `completion`, `version`, `sim`, `help`.
/// (`up`, `server` and `agent` are run by the executable itself.)
public enum DroverCLI {
    /// The CLI's version.
    public static let version = "0.1.0"

    /// The verbs this module handles; the executable sends everything else elsewhere.
    public static let verbs: Set<String> = Set(commands.map { $0.name }).union(["help"])

    static let commands: [any Command.Type] = [SubmitCommand.self, WatchCommand.self, RerunCommand.self, QueueCommand.self,
                                               GetCommand.self, DescribeCommand.self, CreateCommand.self, ApplyCommand.self, DeleteCommand.self,
                                               PatchCommand.self, LabelCommand.self, AnnotateCommand.self, SetCommand.self, ScaleCommand.self,
                                               RolloutCommand.self, LogsCommand.self, EventsCommand.self,
                                               TopCommand.self, CordonCommand.self, UncordonCommand.self, DrainCommand.self, ConfigCommand.self,
                                               CompletionCommand.self, VersionCommand.self, SimCommand.self]

    /// Runs a command line (without the program name) against the real terminal and server;
    /// returns the exit status: 0 success, 1 failure, 2 bad usage.
    public static func run(_ arguments: [String]) async -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        var context = CommandContext(
            out: { FileHandle.standardOutput.write(Data($0.utf8)) },
            err: { FileHandle.standardError.write(Data($0.utf8)) },
            readFile: readFile,
            makeClient: { options in try HTTPAPIClient(config: try options.resolve(environment: environment)) })
        context.isTerminal = isatty(STDOUT_FILENO) == 1
        if context.isTerminal {
            var size = winsize()
            if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { context.terminalWidth = Int(size.ws_col) }
        }
        return await run(arguments, context: context)
    }

    /// Runs a command line with the given context (tests pass a fake client and capture output).
    public static func run(_ arguments: [String], context: CommandContext) async -> Int32 {
        var context = context
        let verbIndex = findVerb(arguments)
        guard let verbIndex, arguments[verbIndex] != "help" else {
            let topic = verbIndex.flatMap { arguments.dropFirst($0 + 1).first { !$0.hasPrefix("-") } }
            return printHelp(topic: topic, context: context)
        }
        let verb = arguments[verbIndex]
        guard let command = commands.first(where: { $0.name == verb }) else {
            if arguments.contains("-h") || arguments.contains("--help") { return printHelp(topic: nil, context: context) }
            let candidates = commands.map { $0.name } + ["help", "up", "server", "agent"]
            context.printError("error: unknown command \"\(verb)\" for \"drover\"" + Suggestions.hint(verb, among: candidates) + "\n")
            context.printError("Run 'drover help' for usage.")
            return 2
        }
        var rest = arguments
        rest.remove(at: verbIndex)
        do {
            let parsed = try ArgumentParser.parse(rest, options: command.options + ConnectionOptions.specs)
            if parsed.flag("help") {
                context.out(helpText(for: command))
                return 0
            }
            context.connection = ConnectionOptions(parsed)
            let instance = try command.init(parsed)
            try instance.validate()
            return try await instance.run(context)
        } catch let error as UsageError {
            context.printError("error: \(error.message)")
            context.printError("See 'drover \(verb) --help' for usage.")
            return 2
        } catch {
            context.printError(ErrorReport.describe(error))
            return 1
        }
    }

    /// The position of the verb: the first argument that is neither a flag nor the value of a
    /// value-taking flag placed before it (`drover -n team get pods`, `drover --server URL get pods`).
    static func findVerb(_ arguments: [String]) -> Int? {
        let valueFlags = (commands.flatMap { $0.options } + ConnectionOptions.specs).filter(\.takesValue)
        let spelled = Set(valueFlags.map { "--\($0.name)" } + valueFlags.compactMap { $0.short.map { "-\($0)" } })
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" { return nil }
            if !argument.hasPrefix("-") { return index }
            index += spelled.contains(argument) ? 2 : 1
        }
        return nil
    }

    /// Reads a file, or standard input for `-`.
    @Sendable static func readFile(_ path: String) throws -> [UInt8] {
        if path == "-" { return [UInt8](FileHandle.standardInput.readDataToEndOfFile()) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("the path \"\(path)\" does not exist or cannot be read")
        }
        return [UInt8](data)
    }
}

/// A failure of the CLI itself, printed as `error: <message>`.
struct CLIError: Error, Sendable, Equatable, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// How errors are shown, following kubectl.
enum ErrorReport {
    /// `Error from server (NotFound): jobs.batch "x" not found`, `The Job "bad" is invalid: …`, or
    /// `error: …` for local failures.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let status as StatusError: return serverError(status)
        case let error as ClientError: return "error: \(error.description)"
        case let error as ConfigError: return "error: \(error.message)"
        case let error as CLIError: return "error: \(error.message)"
        default: return "error: \(error)"
        }
    }

    static func serverError(_ status: StatusError, action: String? = nil) -> String {
        if status.reason == "Invalid", let kind = status.kind, let name = status.name, !status.causes.isEmpty {
            let qualified = (status.group ?? "").isEmpty ? kind : "\(kind).\(status.group ?? "")"
            let causes = status.causes.map { "\($0.field): \($0.message)" }
            let list = causes.count == 1 ? causes[0] : "[\(causes.joined(separator: ", "))]"
            return "The \(qualified) \"\(name)\" is invalid: \(list)"
        }
        let prefix = action.map { "\($0): " } ?? ""
        return "Error from server (\(status.reason)): \(prefix)\(status.message)"
    }
}
