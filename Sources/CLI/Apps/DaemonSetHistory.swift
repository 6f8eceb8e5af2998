import Foundation
import Model

/// A DaemonSet's revisions as kubectl reads them (pkg/polymorphichelpers/history.go and
/// rollback.go, DaemonSetHistoryViewer / DaemonSetRollbacker): the ControllerRevisions it
/// controls, each holding the template as a strategic-merge patch. Pure.
struct DaemonSetHistory: Sendable {
    var daemonSet: DaemonSetView
    /// The revisions the DaemonSet controls, by revision number.
    var revisions: [Int: JSONValue]

    /// Keeps the revisions whose controller reference is this DaemonSet (a selector can match others).
    init(daemonSet: DaemonSetView, candidates: [JSONValue]) {
        self.daemonSet = daemonSet
        var revisions: [Int: JSONValue] = [:]
        for revision in candidates where ObjectMetaView(revision["metadata"]).controllerReference?.uid == daemonSet.uid {
            revisions[Int(clamping: revision["revision"]?.int ?? 0)] = revision
        }
        self.revisions = revisions
    }

    /// The template a revision stores (`$patch` taken out).
    static func template(of revision: JSONValue) -> JSONValue {
        var template = revision.value(at: ["data", "spec", "template"]) ?? .emptyObject
        template.setValue(nil, at: ["$patch"])
        return template
    }

    /// `REVISION  CHANGE-CAUSE`, a row per revision, oldest first, the cause from the revision's
    /// `kubernetes.io/change-cause` annotation (`<none>` without one).
    func table() -> String {
        guard !revisions.isEmpty else { return "No rollout history found." }
        let rows = revisions.keys.sorted().map { number -> String in
            let cause = ObjectMetaView(revisions[number]?["metadata"]).annotations[DeploymentHistory.changeCauseAnnotation] ?? ""
            return "\(number)\t\(cause.isEmpty ? "<none>" : cause)"
        }
        return TabAligner.render(["REVISION\tCHANGE-CAUSE"] + rows)
    }

    /// The `Pod Template:` description of one revision.
    func details(revision: Int, now: Date) throws(CLIError) -> String {
        guard let stored = revisions[revision] else { throw CLIError("unable to find the specified revision") }
        var writer = DescribeWriter(now: now)
        PodTemplateSection.write(Self.template(of: stored), to: &writer)
        return writer.text
    }

    /// The rollback to `toRevision` (0: the revision before the newest): the revision's data as a
    /// strategic-merge patch of the DaemonSet, or skipped when the template already matches.
    func rollback(toRevision: Int) throws(CLIError) -> DeploymentHistory.Rollback {
        if toRevision == 0 && revisions.count <= 1 { throw CLIError("no last revision to roll back to") }
        let number = toRevision > 0 ? toRevision : revisions.keys.sorted().dropLast().last ?? 0
        guard toRevision >= 0, let target = revisions[number] else { throw DeploymentHistory.revisionNotFound(toRevision) }
        if DeploymentHistory.equalIgnoringHash(Self.template(of: target), daemonSet.template) {
            return .skipped("skipped rollback (current template already matches revision \(number))")
        }
        return .patch(target["data"] ?? .emptyObject)
    }
}
