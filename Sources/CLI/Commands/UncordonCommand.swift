/// `drover uncordon NODE...` / `drover uncordon -l SELECTOR`: makes cordoned nodes schedulable
/// again, as `kubectl uncordon`; pods waiting for room are retried at once.
struct UncordonCommand: Command {
    static let name = "uncordon"
    static let summary = "Mark nodes schedulable again."
    static let usage = """
      drover uncordon NODE... | -l SELECTOR

    Examples:
      drover uncordon worker-3
    """
    static let options = NodeCordoning.options

    var cordoning: NodeCordoning

    init(_ arguments: ParsedArguments) throws { cordoning = NodeCordoning(arguments, unschedulable: false) }

    func validate() throws(UsageError) { try cordoning.validate() }

    func run(_ context: CommandContext) async throws -> Int32 { try await cordoning.run(context) }
}
