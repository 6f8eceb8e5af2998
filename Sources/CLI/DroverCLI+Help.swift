extension DroverCLI {
    static let overview = """
    drover runs batch jobs and services on a cluster of machines through a Kubernetes-shaped API.

    Cluster commands (run by the drover executable):
      up          Start a local cluster: embedded PostgreSQL, server and agent; writes the CLI config.
      server      Run the API server, scheduler and controllers.
      agent       Run the node agent on a worker machine.

    Client commands:
    """

    static let footer = """

    Global flags:
    \(ConnectionOptions.specs.map { "  " + $0.synopsis.padding(28) + $0.help }.joined(separator: "\n"))

    Use "drover <command> --help" for more about a command.
    kubectl works too: drover up writes a kubeconfig for it.

    """

    /// Prints the overview, or one command's help; unknown topics are a usage error.
    static func printHelp(topic: String?, context: CommandContext) -> Int32 {
        guard let topic else {
            let list = commands.map { "  \($0.name.padding(12))\($0.summary)" }.joined(separator: "\n")
            context.out(overview + "\n" + list + "\n  help        Show help for a command.\n" + footer)
            return 0
        }
        guard let command = commands.first(where: { $0.name == topic }) else {
            context.printError("error: unknown help topic \"\(topic)\"")
            return 2
        }
        context.out(helpText(for: command))
        return 0
    }

    static func helpText(for command: any Command.Type) -> String {
        let flags = (command.options + ConnectionOptions.specs + [ArgumentParser.help])
            .map { "  " + $0.synopsis.padding(28) + $0.help }
        return "\(command.summary)\n\nUsage:\n\(command.usage)\n\nFlags:\n\(flags.joined(separator: "\n"))\n"
    }
}

extension String {
    /// The string padded with spaces to at least `width` characters (one space at minimum).
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
