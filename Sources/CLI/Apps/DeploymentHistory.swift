import Foundation
import Model

/// A Deployment's revisions as kubectl reads them (pkg/polymorphichelpers/history.go and
/// rollback.go): the ReplicaSets it controls, each with the revision in
/// `deployment.kubernetes.io/revision` and its pod template. Pure: `rollout history` and
/// `rollout undo` fetch the objects and print what these functions return.
struct DeploymentHistory: Sendable {
    static let changeCauseAnnotation = "kubernetes.io/change-cause"

    /// Annotations `rollout undo` keeps from the Deployment rather than copying from the
    /// ReplicaSet (upstream's `annotationsToSkip`).
    static let annotationsKeptOnUndo: Set<String> = [
        "kubectl.kubernetes.io/last-applied-configuration", DeploymentView.revisionAnnotation,
        DeploymentView.revisionHistoryAnnotation, DeploymentView.desiredReplicasAnnotation,
        DeploymentView.maxReplicasAnnotation, "deprecated.deployment.rollback.to",
    ]

    var deployment: DeploymentView
    /// The ReplicaSets the Deployment controls, in the order listed.
    var replicaSets: [ReplicaSetView]

    /// Keeps the ReplicaSets whose controller reference is this Deployment (a selector can match others).
    init(deployment: DeploymentView, candidates: [JSONValue]) {
        self.deployment = deployment
        replicaSets = candidates.map(ReplicaSetView.init).filter { $0.metadata.controllerReference?.uid == deployment.uid }
    }

    /// Revision → pod template, the change-cause copied into the template's annotations as kubectl
    /// does; a ReplicaSet whose revision is not a number is left out, a missing one counts as 0.
    var revisions: [Int: JSONValue] {
        var result: [Int: JSONValue] = [:]
        for rs in replicaSets {
            guard let revision = RolloutStatus.revisionNumber(rs.annotations) else { continue }
            var template = rs.template
            if let cause = rs.annotations[Self.changeCauseAnnotation], !cause.isEmpty {
                template.setValue(.string(cause), at: ["metadata", "annotations", Self.changeCauseAnnotation])
            }
            result[revision] = template
        }
        return result
    }

    /// `REVISION  CHANGE-CAUSE` and a row per revision, oldest first (`<none>` without a cause), or
    /// `No rollout history found.`.
    func table() -> String {
        let revisions = self.revisions
        guard !revisions.isEmpty else { return "No rollout history found." }
        let rows = revisions.keys.sorted().map { revision -> String in
            let cause = revisions[revision]?.value(at: ["metadata", "annotations", Self.changeCauseAnnotation])?.string ?? ""
            return "\(revision)\t\(cause.isEmpty ? "<none>" : cause)"
        }
        return TabAligner.render(["REVISION\tCHANGE-CAUSE"] + rows)
    }

    /// The `Pod Template:` description of one revision.
    func details(revision: Int, now: Date) throws(CLIError) -> String {
        let revisions = self.revisions
        guard !revisions.isEmpty else { return "No rollout history found." }
        guard let template = revisions[revision] else { throw CLIError("unable to find the specified revision") }
        var writer = DescribeWriter(now: now)
        PodTemplateSection.write(template, to: &writer)
        return writer.text
    }

    /// What `rollout undo` does.
    enum Rollback: Sendable, Equatable {
        /// The JSON patch to send: the revision's template (without pod-template-hash) and the annotations.
        case patch(JSONValue)
        /// Nothing to do; the text follows the object's name (`skipped rollback (…)`).
        case skipped(String)
    }

    /// The rollback to `toRevision` (0: the revision before the newest), in kubectl's order of checks:
    /// a negative or unknown revision, no earlier revision, a paused Deployment, a template that
    /// already matches.
    func rollback(toRevision: Int, resumeCommand: String) throws(CLIError) -> Rollback {
        guard toRevision >= 0 else { throw Self.revisionNotFound(toRevision) }
        let target = try replicaSet(forRevision: toRevision)
        if deployment.paused {
            throw CLIError("you cannot rollback a paused deployment; resume it first with '\(resumeCommand)' and try again")
        }
        if Self.equalIgnoringHash(target.template, deployment.template) {
            return .skipped("skipped rollback (current template already matches revision \(toRevision))")
        }
        var template = target.template
        template.setValue(nil, at: ["metadata", "labels", DeploymentView.podTemplateHashLabel])
        var annotations: [String: String] = [:]
        for (key, value) in deployment.annotations where Self.annotationsKeptOnUndo.contains(key) { annotations[key] = value }
        for (key, value) in target.annotations where !Self.annotationsKeptOnUndo.contains(key) { annotations[key] = value }
        return .patch([
            ["op": "replace", "path": "/spec/template", "value": template],
            ["op": "replace", "path": "/metadata/annotations", "value": .stringMap(annotations)],
        ])
    }

    /// The ReplicaSet of `revision`, or for 0 the one with the second-highest revision.
    private func replicaSet(forRevision revision: Int) throws(CLIError) -> ReplicaSetView {
        var latest: (revision: Int, rs: ReplicaSetView)?
        var previous: (revision: Int, rs: ReplicaSetView)?
        for rs in replicaSets {
            guard let number = RolloutStatus.revisionNumber(rs.annotations) else { continue }
            if revision > 0 {
                if number == revision { return rs }
            } else if number > (latest?.revision ?? -1) {
                previous = latest
                latest = (number, rs)
            } else if number > (previous?.revision ?? -1) {
                previous = (number, rs)
            }
        }
        if revision > 0 { throw Self.revisionNotFound(revision) }
        guard let previous else { throw CLIError("no rollout history found for deployment \"\(deployment.name)\"") }
        return previous.rs
    }

    static func revisionNotFound(_ revision: Int) -> CLIError {
        CLIError("unable to find specified revision \(revision) in history")
    }

    /// Templates compared as Go's semantic equality sees decoded objects: the pod-template-hash
    /// label ignored, null members and empty label/annotation maps the same as absent ones.
    static func equalIgnoringHash(_ a: JSONValue, _ b: JSONValue) -> Bool {
        func normalized(_ template: JSONValue) -> JSONValue {
            var copy = withoutNullMembers(template)
            copy.setValue(nil, at: ["metadata", "labels", DeploymentView.podTemplateHashLabel])
            for key in ["labels", "annotations"] where copy["metadata"]?[key]?.object?.isEmpty == true {
                copy.setValue(nil, at: ["metadata", key])
            }
            if copy["metadata"]?.object?.isEmpty == true { copy["metadata"] = nil }
            return copy
        }
        return normalized(a).isEquivalent(to: normalized(b))
    }

    private static func withoutNullMembers(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            return .object(JSONObject(object.pairs.filter { !$0.value.isNull }.map { ($0.key, withoutNullMembers($0.value)) }))
        case .array(let items):
            return .array(items.map(withoutNullMembers))
        default:
            return value
        }
    }
}
