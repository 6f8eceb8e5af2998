import Client
import Foundation
import Model

/// `drover create job NAME --from=cronjob/CJ`: runs a CronJob now, as kubectl does.
struct CronJobRun: Sendable {
    var name: String
    var cronJob: String
    var namespace: String
    var follow: FollowOptions

    /// The flags beyond `create -f`'s.
    static let options = [OptionSpec("from", value: "cronjob/NAME", help: "With `create job NAME`: the cronjob whose template the job is made from.")]
        + FollowOptions.specs

    /// Reads `job NAME --from=cronjob/CJ`; nil when the command line is not of that form.
    init?(_ arguments: ParsedArguments) throws(UsageError) {
        let positionals = arguments.positionals
        guard positionals.first == "job" || positionals.first == "jobs" else { return nil }
        guard positionals.count == 2 else { throw UsageError("expected a job name: drover create job NAME --from=cronjob/CJ") }
        name = positionals[1]
        guard let from = arguments.value("from") else { throw UsageError("--from=cronjob/NAME is required") }
        let parts = from.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["cronjob", "cronjobs", "cj", "cronjob.batch", "cronjobs.batch"].contains(parts[0]), !parts[1].isEmpty else {
            throw UsageError("from must be of the form cronjob/NAME, not \(from.goQuoted)")
        }
        cronJob = parts[1]
        namespace = arguments.value("namespace") ?? "default"
        follow = try FollowOptions(arguments)
    }

    func run(_ context: CommandContext) async throws -> Int32 {
        let client = try context.client()
        let source = try await client.get(ResourceCatalog.cronJobs, namespace: namespace, name: cronJob)
        let created = try await client.create(ResourceCatalog.jobs, namespace: namespace, object: JobTemplates.manualRun(of: source, name: name))
        if follow.mode != .quiet { context.print("job.batch/\(JobView(created).name) created") }
        return try await follow.run(namespace: namespace, name: JobView(created).name, context)
    }
}
