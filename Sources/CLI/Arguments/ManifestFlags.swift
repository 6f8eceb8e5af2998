/// The flags of the verbs that read manifests (`apply`, `create`): `-f FILE|DIR|-` (repeatable),
/// `-R` and `-n`; positional arguments are refused.
struct ManifestFlags: Sendable {
    static let options = [
        OptionSpec("filename", short: "f", value: "FILE", help: "Manifest file or directory (repeatable; - for stdin)."),
        OptionSpec("recursive", short: "R", help: "Read the directories given with -f recursively."),
        OptionSpec("namespace", short: "n", value: "NS", help: "Namespace for objects that name none."),
    ]

    var files: [String]
    var recursive: Bool
    var namespace: String?

    init(_ arguments: ParsedArguments) throws(UsageError) {
        files = arguments.allValues("filename")
        recursive = arguments.flag("recursive")
        namespace = arguments.value("namespace")
        if let extra = arguments.positionals.first {
            throw UsageError("unexpected argument \"\(extra)\"; manifests are given with -f")
        }
    }

    func validate() throws(UsageError) {
        if files.isEmpty { throw UsageError("must specify -f FILE") }
    }

    /// The objects of the files; none at all is an error naming the verb.
    func load(_ context: CommandContext, verb: String) throws -> [ManifestSet] {
        let manifests = try ManifestSet.load(files, recursive: recursive, context: context)
        guard !manifests.isEmpty else { throw CLIError("no objects passed to \(verb)") }
        return manifests
    }
}
