import Model

/// What `drover submit` asks for, and the batch/v1 Job it makes of it (pure: no I/O).
///
/// Resources follow Slurm's sense of a job's size rather than kubectl's: `--cpu` is a request only
/// (the pod is packed by it but never throttled), `--memory` is request and limit (a job that
/// outgrows it is OOM-killed instead of starving its neighbours, like Slurm's `--mem`), and an
/// extended resource is both, as Kubernetes requires.
struct JobManifest: Sendable, Equatable {
    /// The Job's name; one ending in `-` is a `generateName` prefix.
    var name: String
    var namespace: String
    var command: [String]
    var image = "host"
    var parallelism: Int?
    var completions: Int?
    var indexed = false
    var cpu: String?
    var memory: String?
    /// Extended resources, `example.com/gpu` → `1`, in the order given.
    var resources: [(String, String)] = []
    var env: [(String, String)] = []
    var workingDir: String?
    var backoffLimit: Int?
    var activeDeadlineSeconds: Int64?
    var ttlSecondsAfterFinished: Int64?
    var restartPolicy = "Never"
    var labels: [(String, String)] = []
    /// All or nothing: the Job's pods form a gang (a PodGroup of parallelism) and a member's
    /// failure restarts them all (`drover.dev/gang`, `drover.dev/gang-failure: RestartGang`).
    var gang = false

    static func == (a: JobManifest, b: JobManifest) -> Bool { a.json == b.json }

    /// The Job object to POST.
    var json: JSONValue {
        var metadata = JSONObject()
        if name.hasSuffix("-") { metadata["generateName"] = .string(name) } else { metadata["name"] = .string(name) }
        metadata["namespace"] = .string(namespace)
        let labelObject = JSONValue.object(JSONObject(labels.map { ($0.0, .string($0.1)) }))
        if !labels.isEmpty { metadata["labels"] = labelObject }
        if gang {
            metadata["annotations"] = [PodGroupSpec.jobGangAnnotation: "true", PodGroupSpec.jobGangFailureAnnotation: .string(PodGroupSpec.restartGang)]
        }

        var container = JSONObject([("name", "main"), ("image", .string(image)), ("command", .array(command.map { .string($0) }))])
        if !env.isEmpty {
            container["env"] = .array(env.map { ["name": .string($0.0), "value": .string($0.1)] })
        }
        if let workingDir { container["workingDir"] = .string(workingDir) }
        var requests = JSONObject()
        var limits = JSONObject()
        if let cpu { requests["cpu"] = .string(cpu) }
        if let memory {
            requests["memory"] = .string(memory)
            limits["memory"] = .string(memory)
        }
        for (resource, amount) in resources {
            requests[resource] = .string(amount)
            limits[resource] = .string(amount)
        }
        if !requests.isEmpty || !limits.isEmpty {
            var resources = JSONObject()
            if !requests.isEmpty { resources["requests"] = .object(requests) }
            if !limits.isEmpty { resources["limits"] = .object(limits) }
            container["resources"] = .object(resources)
        }

        var template = JSONObject()
        if !labels.isEmpty { template["metadata"] = ["labels": labelObject] }
        template["spec"] = .object(JSONObject([("restartPolicy", .string(restartPolicy)), ("containers", [.object(container)])]))

        var spec = JSONObject()
        if let parallelism { spec["parallelism"] = .int(Int64(parallelism)) }
        if let completions { spec["completions"] = .int(Int64(completions)) }
        if indexed { spec["completionMode"] = "Indexed" }
        if let backoffLimit { spec["backoffLimit"] = .int(Int64(backoffLimit)) }
        if let activeDeadlineSeconds { spec["activeDeadlineSeconds"] = .int(activeDeadlineSeconds) }
        if let ttlSecondsAfterFinished { spec["ttlSecondsAfterFinished"] = .int(ttlSecondsAfterFinished) }
        spec["template"] = .object(template)
        return .object(JSONObject([("apiVersion", "batch/v1"), ("kind", "Job"), ("metadata", .object(metadata)),
                                   ("spec", .object(spec))]))
    }
}

extension JobManifest {
    /// A duration flag: Go's syntax (`10m`, `1h30m`, `90s`) or plain seconds; whole seconds ≥ 0.
    static func seconds(_ text: String, flag: String) throws(UsageError) -> Int64 {
        if let plain = Int64(text), plain >= 0 { return plain }
        let nanoseconds: Int64
        do { nanoseconds = try GoDuration.parse(text) } catch {
            throw UsageError("invalid argument \(text.goQuoted) for \"--\(flag)\": \(error.message)")
        }
        guard nanoseconds >= 0 else { throw UsageError("--\(flag) must not be negative, not \(text.goQuoted)") }
        return (nanoseconds + 999_999_999) / 1_000_000_000
    }

    /// A count flag: an integer of at least `minimum`.
    static func count(_ text: String, flag: String, minimum: Int) throws(UsageError) -> Int {
        guard let value = Int(text), value >= minimum else {
            throw UsageError("--\(flag) must be an integer of \(minimum) or more, not \(text.goQuoted)")
        }
        return value
    }

    /// A resource amount flag: a Kubernetes quantity (`500m`, `256Mi`, `1`).
    static func quantity(_ text: String, flag: String) throws(UsageError) -> String {
        do { _ = try Quantity(parsing: text) } catch {
            throw UsageError("invalid argument \(text.goQuoted) for \"--\(flag)\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
        }
        return text
    }

    /// `KEY=VALUE` pairs of a repeated flag (`--env`, `--label`, `--resource`).
    static func pairs(_ values: [String], flag: String) throws(UsageError) -> [(String, String)] {
        var pairs: [(String, String)] = []
        for text in values {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw UsageError("--\(flag) takes KEY=VALUE, not \(text.goQuoted)")
            }
            pairs.append((String(text[..<equals]), String(text[text.index(after: equals)...])))
        }
        return pairs
    }
}
