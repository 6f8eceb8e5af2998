import Client
import Foundation
import Model

/// `drover submit NAME [flags] -- COMMAND [ARGS...]`: a batch/v1 Job in one line (or `-f` a
/// manifest), optionally watched to its end.
struct SubmitCommand: Command {
    static let name = "submit"
    static let summary = "Submit a batch job: a command, or a Job manifest."
    static let usage = """
      drover submit NAME [flags] -- COMMAND [ARGS...]
      drover submit -f job.yaml [--watch | --wait]

    NAME ending in '-' is a prefix: the server appends a random suffix. Prints job/NAME.
    --cpu is a request (the pod is placed by it, never throttled); --memory is request and limit
    (a job that outgrows it is OOM-killed); --resource sets both. Durations: 90s, 10m, 1h30m, or seconds.

    Examples:
      drover submit hello -- echo hello
      drover submit sweep- --completions 100 --parallelism 10 --indexed --cpu 500m -- ./run.sh
      drover submit train --memory 8Gi --resource example.com/gpu=1 --deadline 2h --watch -- python train.py
      drover submit allreduce --parallelism 8 --completions 8 --gang -- ./worker.sh
      drover submit nightly --ttl 1h --wait -- make test && echo passed
      drover submit big --completions 5 --dry-run -- true
      drover submit train --after ok:prep,any:cleanup -- python train.py
      drover submit nightly- --after singleton -- ./backup.sh    (one nightly- Job at a time)
      drover submit train --queue research --cpu 8 -- python train.py   (waits for quota; see drover queue)
    """
    static let options = [
        OptionSpec("namespace", short: "n", value: "NS", help: "Namespace (default \"default\")."),
        OptionSpec("filename", short: "f", value: "FILE", help: "Submit this Job manifest (YAML or JSON; - for stdin)."),
        OptionSpec("parallelism", value: "N", help: "Pods running at once (default 1)."),
        OptionSpec("completions", value: "N", help: "Successful pods needed (default 1)."),
        OptionSpec("indexed", help: "Indexed completion: each pod gets JOB_COMPLETION_INDEX 0..completions-1."),
        OptionSpec("gang", help: "All or nothing: start the parallelism pods together or not at all; one failing restarts them all."),
        OptionSpec("cpu", value: "QUANTITY", help: "CPU request per pod, e.g. 500m or 2."),
        OptionSpec("memory", value: "QUANTITY", help: "Memory request and limit per pod, e.g. 256Mi."),
        OptionSpec("resource", value: "NAME=QUANTITY", help: "Extended resource per pod (repeatable), e.g. example.com/gpu=1."),
        OptionSpec("env", short: "e", value: "KEY=VALUE", help: "Environment variable (repeatable)."),
        OptionSpec("workdir", value: "DIR", help: "Working directory of the command."),
        OptionSpec("image", value: "IMAGE", help: "Container image (the agent runs the command on its host; default \"host\")."),
        OptionSpec("backoff-limit", value: "N", help: "Failed pods tolerated before the Job fails (default 6)."),
        OptionSpec("deadline", value: "DURATION", help: "Fail the Job when it has run this long (activeDeadlineSeconds)."),
        OptionSpec("ttl", value: "DURATION", help: "Delete the Job this long after it finishes (ttlSecondsAfterFinished)."),
        OptionSpec("restart", value: "POLICY", help: "Never (default: a failed pod is replaced) or OnFailure (restarted in place)."),
        OptionSpec("label", short: "l", value: "KEY=VALUE", help: "Label of the Job and its pods (repeatable)."),
        OptionSpec("after", value: "TYPE:JOB,...", help: "Start only after other Jobs: ok:JOB (completed), notok:JOB (failed), any:JOB (finished), after:JOB (started), singleton; comma-separated, all must hold (drover.dev/depends-on)."),
        OptionSpec("queue", short: "q", value: "QUEUE", help: "Queue the Job in this LocalQueue of its namespace (label kueue.x-k8s.io/queue-name): it starts once the queue admits it."),
        OptionSpec("dry-run", help: "Print the Job instead of creating it."),
        OptionSpec("output", short: "o", value: "FORMAT", help: "With --dry-run: yaml (default) or json."),
    ] + FollowOptions.specs

    var manifestFile: String?
    var manifest: JobManifest?
    var namespace: String?
    var follow: FollowOptions
    var dryRun: Bool
    var output: String
    /// The `drover.dev/depends-on` value from `--after`, set on the Job (also one from `-f`).
    var dependsOn: String?
    /// The LocalQueue from `--queue`, set as the Job's `kueue.x-k8s.io/queue-name` label.
    var queue: String?

    init(_ arguments: ParsedArguments) throws {
        namespace = arguments.value("namespace")
        manifestFile = arguments.value("filename")
        follow = try FollowOptions(arguments)
        dryRun = arguments.flag("dry-run")
        output = arguments.value("output") ?? "yaml"
        guard ["yaml", "json"].contains(output) else { throw UsageError("--output must be yaml or json, not \(output.goQuoted)") }
        dependsOn = try DependencyFlag.annotation(arguments.allValues("after"))
        queue = arguments.value("queue")
        if let queue, let problem = NameRules.dns1123Subdomain(queue).first {
            throw UsageError("--queue \(queue.goQuoted) is not a LocalQueue name: \(problem)")
        }
        let jobFlags = ["parallelism", "completions", "cpu", "memory", "resource", "env", "workdir", "image", "backoff-limit",
                        "deadline", "ttl", "restart", "label"]
        if manifestFile != nil {
            if let flag = jobFlags.first(where: { arguments.values[$0] != nil }) ?? (arguments.flag("indexed") ? "indexed" : nil)
                ?? (arguments.flag("gang") ? "gang" : nil) {
                throw UsageError("--\(flag) cannot be combined with -f: put it in the manifest")
            }
            guard arguments.positionals.isEmpty else { throw UsageError("-f takes no NAME or COMMAND") }
            return
        }
        manifest = try Self.manifest(arguments, namespace: namespace ?? "default")
    }

    /// The Job the flags describe.
    static func manifest(_ arguments: ParsedArguments, namespace: String) throws(UsageError) -> JobManifest {
        let positionals = arguments.positionals
        let split = arguments.dashIndex ?? min(1, positionals.count)
        let before = Array(positionals[..<split])
        let command = Array(positionals[split...])
        guard before.count == 1, let name = before.first else {
            throw UsageError(before.isEmpty ? "a job name is required: drover submit NAME -- COMMAND"
                             : "expected one NAME before --, got \(before.count): \(before.joined(separator: " "))")
        }
        guard !command.isEmpty else { throw UsageError("a command is required after --: drover submit \(name) -- COMMAND [ARGS...]") }
        var manifest = JobManifest(name: name, namespace: namespace, command: command)
        if let image = arguments.value("image") { manifest.image = image }
        manifest.parallelism = try arguments.value("parallelism").map { v throws(UsageError) in try JobManifest.count(v, flag: "parallelism", minimum: 0) }
        manifest.completions = try arguments.value("completions").map { v throws(UsageError) in try JobManifest.count(v, flag: "completions", minimum: 1) }
        manifest.indexed = arguments.flag("indexed")
        manifest.gang = arguments.flag("gang")
        if manifest.indexed && manifest.completions == nil {
            throw UsageError("--indexed needs --completions: an Indexed Job has one index per completion")
        }
        manifest.cpu = try arguments.value("cpu").map { v throws(UsageError) in try JobManifest.quantity(v, flag: "cpu") }
        manifest.memory = try arguments.value("memory").map { v throws(UsageError) in try JobManifest.quantity(v, flag: "memory") }
        manifest.resources = try JobManifest.pairs(arguments.allValues("resource"), flag: "resource")
        for (resource, amount) in manifest.resources { _ = try JobManifest.quantity(amount, flag: "resource \(resource)") }
        manifest.env = try JobManifest.pairs(arguments.allValues("env"), flag: "env")
        manifest.labels = try JobManifest.pairs(arguments.allValues("label"), flag: "label")
        manifest.workingDir = arguments.value("workdir")
        manifest.backoffLimit = try arguments.value("backoff-limit").map { v throws(UsageError) in try JobManifest.count(v, flag: "backoff-limit", minimum: 0) }
        manifest.activeDeadlineSeconds = try arguments.value("deadline").map { v throws(UsageError) in try JobManifest.seconds(v, flag: "deadline") }
        if manifest.activeDeadlineSeconds == 0 { throw UsageError("--deadline must be at least one second") }
        manifest.ttlSecondsAfterFinished = try arguments.value("ttl").map { v throws(UsageError) in try JobManifest.seconds(v, flag: "ttl") }
        if let restart = arguments.value("restart") {
            guard ["Never", "OnFailure"].contains(restart) else {
                throw UsageError("--restart must be Never or OnFailure (a Job's pods cannot restart Always), not \(restart.goQuoted)")
            }
            manifest.restartPolicy = restart
        }
        return manifest
    }

    func validate() throws(UsageError) {
        try follow.validate()
        if dryRun && follow.mode != nil { throw UsageError("--dry-run cannot be combined with --watch or --wait") }
    }

    func run(_ context: CommandContext) async throws -> Int32 {
        var job = try manifestFile.map { try loadManifest($0, context) } ?? manifest?.json ?? .emptyObject
        if let dependsOn { job.setValue(.string(dependsOn), at: ["metadata", "annotations", JobDependencies.annotation]) }
        if let queue { job.setValue(.string(queue), at: ["metadata", "labels", Kueue.queueNameLabel]) }
        if dryRun {
            context.out(output == "json" ? JSONPrettyPrinter.render(job) : YAMLWriter.render(job))
            return 0
        }
        let targetNamespace = namespace ?? job.value(at: ["metadata", "namespace"])?.string ?? "default"
        job.setValue(.string(targetNamespace), at: ["metadata", "namespace"])
        let created = try await context.client().create(ResourceCatalog.jobs, namespace: targetNamespace, object: job)
        let name = JobView(created).name
        if follow.mode != .quiet { context.print("job/\(name)") }
        return try await follow.run(namespace: targetNamespace, name: name, context)
    }

    /// A Job from a file: exactly one object, of kind Job.
    private func loadManifest(_ path: String, _ context: CommandContext) throws -> JSONValue {
        let objects = try ManifestReader.objects(in: context.readFile(path), source: path == "-" ? "STDIN" : path)
        guard objects.count == 1, let job = objects.first else {
            throw CLIError("\(path) holds \(objects.count) objects; drover submit takes exactly one Job (drover apply -f takes several)")
        }
        guard job["kind"]?.string == "Job" else {
            throw CLIError("\(path) holds a \(job["kind"]?.string ?? "document without a kind"); drover submit takes a Job")
        }
        return job
    }
}
