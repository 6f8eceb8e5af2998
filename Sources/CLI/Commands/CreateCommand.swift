import Client
import Foundation
import Model

/// `drover create job NAME --from=cronjob/CJ`: runs a CronJob now, as kubectl does.
struct CreateCommand: Command {
    static let name = "create"
    static let summary = "Create a job from a cronjob's template (run it now)."
    static let usage = """
      drover create job NAME --from=cronjob/CRONJOB [--watch | --wait] [-n NS]

    The job is owned by the cronjob and annotated cronjob.kubernetes.io/instantiate: manual, so it
    shows in the cronjob's history and goes with it.

    Examples:
      drover create job nightly-now --from=cronjob/nightly
      drover create job backup-once --from=cronjob/backup --wait
    """
    static let options = [
        OptionSpec("namespace", short: "n", value: "NS", help: "Namespace (default \"default\")."),
        OptionSpec("from", value: "cronjob/NAME", help: "The cronjob whose template the job is made from."),
    ] + FollowOptions.specs

    var name: String
    var cronJob: String
    var namespace: String
    var follow: FollowOptions

    init(_ arguments: ParsedArguments) throws {
        let positionals = arguments.positionals
        guard positionals.first == "job" || positionals.first == "jobs" else {
            throw UsageError("drover create makes jobs from cronjobs: drover create job NAME --from=cronjob/CJ (use drover apply -f for manifests)")
        }
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

    func validate() throws(UsageError) { try follow.validate() }

    func run(_ context: CommandContext) async throws -> Int32 {
        let client = try context.client()
        let source = try await client.get(ResourceCatalog.cronJobs, namespace: namespace, name: cronJob)
        let created = try await client.create(ResourceCatalog.jobs, namespace: namespace, object: JobTemplates.manualRun(of: source, name: name))
        if follow.mode != .quiet { context.print("job.batch/\(JobView(created).name) created") }
        return try await follow.run(namespace: namespace, name: JobView(created).name, context)
    }
}
