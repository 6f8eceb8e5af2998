import Foundation

/// The `drover.dev/depends-on` rules of Job admission. Syntax, the hold and the update rule run
/// inside `Admission.admit` (pure); that the named Jobs exist and form no cycle needs the stored
/// Jobs, so the API server calls `checkReferences` with a lookup into its store.
public enum JobDependencyAdmission {
    static let path = FieldPath("metadata").child("annotations").key(JobDependencies.annotation)

    /// On create, a Job with dependencies is suspended until the dependency controller releases it.
    /// One already suspended by its user is left to that user (no hold annotation).
    static func hold(_ object: inout JSONValue) {
        let job = JobView(object)
        guard job.dependencyText != nil, !job.suspend else { return }
        object.setValue(true, at: ["spec", "suspend"])
        object.setValue("true", at: ["metadata", "annotations", JobDependencies.heldAnnotation])
    }

    /// The annotation parses; `singleton` needs a group (a generateName).
    static func validate(_ object: JSONValue, into errors: inout FieldErrors) {
        let job = JobView(object)
        guard let text = job.dependencyText else { return }
        do {
            let dependencies = try JobDependencies.parse(text)
            if dependencies.contains(JobDependency(.singleton)) && job.dependencyGroup == nil {
                errors.invalid(path, .string(text), "singleton needs metadata.generateName: the Jobs sharing that prefix "
                               + "form its group (drover submit NAME- sets it)")
            }
        } catch {
            errors.invalid(path, .string(text), error.message)
        }
    }

    /// Dependencies may be added or changed only while the Job waits (suspended, never started):
    /// a running Job cannot be held back. Removing them is always allowed.
    static func validateUpdate(_ object: JSONValue, old: JSONValue, into errors: inout FieldErrors) {
        let new = JobView(object), before = JobView(old)
        guard let text = new.dependencyText, text != before.dependencyText else { return }
        if !before.suspend || before.status.startTime != nil {
            errors.forbidden(path, "dependencies can only be added or changed while the Job is suspended and has not started")
        }
    }

    /// On create, and on an update that changes the annotation: every Job named must exist in the
    /// namespace (`lookup` finds a stored Job by name), and none may lead back to this Job — a
    /// dependency cycle would wait forever. Throws a 422 whose causes name the annotation.
    public static func checkReferences(_ object: JSONValue, old: JSONValue?, lookup: (String) -> JSONValue?) throws(StatusError) {
        let job = JobView(object)
        guard let text = job.dependencyText, text != old.flatMap({ JobView($0).dependencyText }) else { return }
        let names = job.dependencies.compactMap(\.job)
        var errors = FieldErrors()
        var unique: [String] = []
        for name in names where !unique.contains(name) { unique.append(name) }
        if unique.contains(job.name) {
            errors.invalid(path, .string(text), "a job cannot depend on itself (\(job.name))")
        }
        let missing = unique.filter { $0 != job.name && lookup($0) == nil }
        for name in missing {
            errors.invalid(path, .string(text), "job \(name.goQuoted) does not exist in namespace \(job.namespace.goQuoted): "
                           + "dependencies name existing Jobs, so submit \(name) first")
        }
        if errors.isEmpty, let cycle = DependencyGraph.cycle(from: job.name, through: unique, dependencies: { name in
            lookup(name).map { JobView($0).dependencies.compactMap(\.job) }
        }) {
            errors.invalid(path, .string(text), "dependency cycle: " + cycle.joined(separator: " → "))
        }
        if !errors.isEmpty {
            throw StatusError.invalid(kind: "Job", group: "batch", name: job.name, causes: errors.causes)
        }
    }
}
