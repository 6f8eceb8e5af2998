import Client
import Model

/// `drover create -f FILE|DIR|-`: creates every object of the manifests; an object that exists
/// already is an error (`apply` is the verb that updates). `drover create job NAME
/// --from=cronjob/CJ` runs a CronJob now (`CronJobRun`).
struct CreateCommand: Command {
    static let name = "create"
    static let summary = "Create resources from a file (JSON or YAML), or a job from a cronjob."
    static let usage = """
      drover create -f FILE|DIR|- [-R] [-n NS]
      drover create job NAME --from=cronjob/CRONJOB [--watch | --wait] [-n NS]

    A job made from a cronjob is owned by it and annotated cronjob.kubernetes.io/instantiate: manual,
    so it shows in the cronjob's history and goes with it.

    Examples:
      drover create -f job.yaml
      drover create -f manifests/ -R
      drover create job nightly-now --from=cronjob/nightly --wait
    """
    static let options = ManifestFlags.options + CronJobRun.options

    enum Mode: Sendable {
        case manifests(ManifestFlags)
        case cronJobRun(CronJobRun)
    }

    var mode: Mode
    var namespace: String? {
        switch mode {
        case .manifests(let flags): return flags.namespace
        case .cronJobRun(let run): return run.namespace
        }
    }

    init(_ arguments: ParsedArguments) throws {
        if let run = try CronJobRun(arguments) {
            mode = .cronJobRun(run)
        } else {
            mode = .manifests(try ManifestFlags(arguments))
        }
    }

    func validate() throws(UsageError) {
        switch mode {
        case .manifests(let flags): try flags.validate()
        case .cronJobRun(let run): try run.follow.validate()
        }
    }

    func run(_ context: CommandContext) async throws -> Int32 {
        switch mode {
        case .cronJobRun(let run):
            return try await run.run(context)
        case .manifests(let flags):
            let manifests = try flags.load(context, verb: "create")
            return try await Self.create(manifests, namespace: namespace, context: context)
        }
    }

    /// Creates each object, printing `job.batch/hello created`; failures are reported per object
    /// and the rest still go. Returns the exit status.
    static func create(_ manifests: [ManifestSet], namespace: String?, context: CommandContext) async throws -> Int32 {
        let client = try context.client()
        var failed = false
        for manifest in manifests {
            do {
                let target = try manifest.target(defaultNamespace: namespace, allowGenerateName: true)
                let created = try await client.create(target.resource, namespace: target.namespace, object: target.object)
                context.print("\(target.resource.displayName)/\(created.objectName) created")
            } catch let error as StatusError {
                context.printError(ErrorReport.serverError(error, action: "error when creating \"\(manifest.source)\""))
                failed = true
            } catch {
                context.printError(ErrorReport.describe(error))
                failed = true
            }
        }
        return failed ? 1 : 0
    }
}
