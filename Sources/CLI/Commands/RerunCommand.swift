import Client
import Foundation
import Model

/// `drover rerun job/NAME`: a new Job from a finished Job's spec.
struct RerunCommand: Command {
    static let name = "rerun"
    static let summary = "Run a finished job again, as a new job with the same spec."
    static let usage = """
      drover rerun job/NAME [--watch | --wait] [--logs] [--timeout DURATION] [-n NS]

    The new job is named after the original with a random suffix (a rerun of a rerun too), and
    carries the annotation drover.dev/rerun-of. Prints job/NEW-NAME.

    Examples:
      drover rerun job/nightly
      drover rerun job/sweep --watch
    """
    static let options = [
        OptionSpec("namespace", short: "n", value: "NS", help: "Namespace (default \"default\")."),
    ] + FollowOptions.specs

    var name: String
    var namespace: String
    var follow: FollowOptions

    init(_ arguments: ParsedArguments) throws {
        guard arguments.positionals.count == 1, let target = arguments.positionals.first else {
            throw UsageError("expected one job: drover rerun job/NAME")
        }
        name = try JobArgument.name(target)
        namespace = arguments.value("namespace") ?? "default"
        follow = try FollowOptions(arguments)
    }

    func validate() throws(UsageError) { try follow.validate() }

    func run(_ context: CommandContext) async throws -> Int32 {
        let client = try context.client()
        let job = try await client.get(ResourceCatalog.jobs, namespace: namespace, name: name)
        guard JobView(job).isFinished else {
            throw CLIError("job/\(name) has not finished yet; rerun a job once it is Complete or Failed (drover watch job/\(name))")
        }
        let created = try await client.create(ResourceCatalog.jobs, namespace: namespace, object: JobTemplates.rerun(of: job))
        let newName = JobView(created).name
        if follow.mode != .quiet { context.print("job/\(newName)") }
        return try await follow.run(namespace: namespace, name: newName, context)
    }
}
