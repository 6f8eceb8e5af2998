import Client
import Foundation
import Model

/// One CLI verb as a value: built from parsed arguments, checked by `validate()`, executed by `run`.
protocol Command: Sendable {
    /// The verb, e.g. `get`.
    static var name: String { get }
    /// One line for the command list.
    static var summary: String { get }
    /// Usage lines and examples shown by `--help`.
    static var usage: String { get }
    /// The flags the verb accepts (global flags are added by the dispatcher).
    static var options: [OptionSpec] { get }

    /// Reads the arguments; `UsageError` for malformed ones (exit 2), other errors exit 1.
    init(_ arguments: ParsedArguments) throws
    /// Rejects contradictory or missing arguments before anything touches the server.
    func validate() throws(UsageError)
    /// Does the work; returns the exit status.
    func run(_ context: CommandContext) async throws -> Int32
}

/// Where a command writes, reads and finds its server. Tests pass a fake client and capture output.
public struct CommandContext: Sendable {
    /// Text to standard output.
    public var out: @Sendable (String) -> Void
    /// Text to standard error.
    public var err: @Sendable (String) -> Void
    /// The bytes of a file; `-` means standard input.
    public var readFile: @Sendable (String) throws -> [UInt8]
    /// The entries of a directory (names only), or nil when `path` is not a directory.
    public var listDirectory: @Sendable (String) -> [String]? = CommandContext.directoryEntries
    /// The process environment (`DROVER_CONFIG`, `HOME`), for commands that show the config.
    public var environment: [String: String] = ProcessInfo.processInfo.environment
    /// The current time (for AGE cells the CLI computes itself).
    public var now: @Sendable () -> Date
    /// Standard output is a terminal: live displays redraw in place; otherwise plain lines only.
    public var isTerminal = false
    /// The terminal's width in columns, when known.
    public var terminalWidth: Int?
    /// The client for the connection settings the command line chose.
    public var makeClient: @Sendable (ConnectionOptions) throws -> any APIClient
    /// Connection settings from the global flags; filled in by the dispatcher.
    public var connection = ConnectionOptions()

    public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void,
                readFile: @escaping @Sendable (String) throws -> [UInt8], now: @escaping @Sendable () -> Date = { Date() },
                makeClient: @escaping @Sendable (ConnectionOptions) throws -> any APIClient) {
        self.out = out
        self.err = err
        self.readFile = readFile
        self.now = now
        self.makeClient = makeClient
    }

    /// The real file system's directory listing.
    @Sendable public static func directoryEntries(_ path: String) -> [String]? {
        var isDirectory: ObjCBool = false
        guard path != "-", FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
        return try? FileManager.default.contentsOfDirectory(atPath: path)
    }

    /// The API client for this invocation.
    public func client() throws -> any APIClient { try makeClient(connection) }

    /// Writes `line` and a newline to standard output.
    func print(_ line: String) { out(line + "\n") }
    /// Writes `line` and a newline to standard error.
    func printError(_ line: String) { err(line + "\n") }
}

/// The global connection flags: `--server`, `--token`, `--config`.
public struct ConnectionOptions: Sendable, Equatable {
    public var server: String?
    public var token: String?
    public var configPath: String?

    public init(server: String? = nil, token: String? = nil, configPath: String? = nil) {
        self.server = server
        self.token = token
        self.configPath = configPath
    }

    /// The flags every command accepts.
    static let specs = [
        OptionSpec("server", short: "s", value: "URL", help: "API server address (overrides the config file)."),
        OptionSpec("token", value: "TOKEN", help: "Bearer token (overrides the config file)."),
        OptionSpec("config", value: "PATH", help: "Config file (default $DROVER_CONFIG or ~/.drover/config)."),
    ]

    init(_ arguments: ParsedArguments) {
        self.init(server: arguments.value("server"), token: arguments.value("token"), configPath: arguments.value("config"))
    }

    /// The effective config: flags over the config file. The file is read only when the flags do not
    /// name a server.
    public func resolve(environment: [String: String]) throws -> ClientConfig {
        if let server {
            return ClientConfig(server: server, token: token)
        }
        let path = configPath ?? ClientConfig.defaultPath(environment: environment)
        // A file that exists but cannot be read is not "missing": say so, with the path.
        if FileManager.default.fileExists(atPath: path) && !FileManager.default.isReadableFile(atPath: path) {
            throw ConfigError("The config file \(path) exists but cannot be read (check its permissions); `drover up` writes a new one, or pass --server.")
        }
        var config = try ClientConfig.load(from: path)
        if let token { config.token = token }
        return config
    }
}
