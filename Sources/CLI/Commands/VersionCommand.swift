import Client
import Model

/// `drover version`: the CLI's version and, when reachable, the server's.
struct VersionCommand: Command {
    static let name = "version"
    static let summary = "Print the client and server versions."
    static let usage = "  drover version [--client]"
    static let options = [OptionSpec("client", help: "Print only the client version.")]

    var clientOnly: Bool

    init(_ arguments: ParsedArguments) throws {
        clientOnly = arguments.flag("client")
        if let extra = arguments.positionals.first { throw UsageError("unexpected argument \"\(extra)\"") }
    }

    func validate() throws(UsageError) {}

    func run(_ context: CommandContext) async throws -> Int32 {
        context.print("Client Version: \(DroverCLI.version)")
        guard !clientOnly else { return 0 }
        let response = try await context.client().raw(RawRequest(method: "GET", path: "/version")).checked()
        let info = try response.json()
        context.print("Server Version: \(info["gitVersion"]?.string ?? "unknown")")
        return 0
    }
}
