import Model

/// Revision bookkeeping in annotations (upstream's deployment_util Revision, MaxRevision,
/// SetNewReplicaSetAnnotations, copyDeploymentAnnotationsToReplicaSet), pure.
enum DeploymentRevisions {
    /// Deployment annotations that are not copied onto its ReplicaSets.
    static let notCopied: Set<String> = [
        "kubectl.kubernetes.io/last-applied-configuration", DeploymentView.revisionAnnotation,
        DeploymentView.revisionHistoryAnnotation, DeploymentView.desiredReplicasAnnotation,
        DeploymentView.maxReplicasAnnotation, "deprecated.deployment.rollback.to",
    ]

    /// The revision of a ReplicaSet (0 when absent or not a number).
    static func revision(_ rs: ReplicaSetView) -> Int { Int(rs.annotations[DeploymentView.revisionAnnotation] ?? "") ?? 0 }

    static func maxRevision(_ sets: [ReplicaSetView]) -> Int { sets.map(revision).max() ?? 0 }

    /// The annotations the new ReplicaSet should have: the Deployment's (those copied), its
    /// revision raised to `newRevision` when lower (the old one appended to the revision
    /// history — a rollback re-uses an old ReplicaSet and gives it the next revision), and, on a
    /// ReplicaSet being created, the replica annotations.
    static func newReplicaSetAnnotations(_ current: [String: String], deployment d: DeploymentView, newRevision: Int,
                                         creating: Bool) -> [String: String] {
        var annotations = current
        for (key, value) in d.annotations where !notCopied.contains(key) { annotations[key] = value }
        let oldRevision = current[DeploymentView.revisionAnnotation]
        if (Int(oldRevision ?? "") ?? 0) < newRevision {
            annotations[DeploymentView.revisionAnnotation] = String(newRevision)
            if let oldRevision, !oldRevision.isEmpty {
                let history = current[DeploymentView.revisionHistoryAnnotation] ?? ""
                annotations[DeploymentView.revisionHistoryAnnotation] = history.isEmpty ? oldRevision : history + "," + oldRevision
            }
        }
        if creating {
            annotations[DeploymentView.desiredReplicasAnnotation] = String(d.replicas)
            annotations[DeploymentView.maxReplicasAnnotation] = String(d.replicas + RolloutBounds.maxSurge(d))
        }
        return annotations
    }
}
