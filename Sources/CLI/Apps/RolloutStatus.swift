import Model

/// What `rollout status` says about one state of a Deployment: kubectl's `DeploymentStatusViewer`
/// (pkg/polymorphichelpers/rollout_status.go), read from the Deployment alone — its generation,
/// observedGeneration, the Progressing condition and the replica counts the controller keeps.
enum RolloutStatus {
    /// The reason the Deployment controller writes on Progressing when the deadline passed.
    static let timedOutReason = "ProgressDeadlineExceeded"

    /// The line to print (without its newline) and whether the rollout is done. A progress deadline
    /// that passed, or a `revision` other than the running one, is an error (exit 1), as kubectl.
    static func evaluate(_ deployment: DeploymentView, revision: Int = 0) throws(CLIError) -> (message: String, done: Bool) {
        let name = deployment.name
        if revision > 0 {
            let running = revisionNumber(deployment.annotations)
            guard let running else {
                throw CLIError("cannot get the revision of deployment \"\(name)\": invalid syntax")
            }
            if running != revision {
                throw CLIError("desired revision (\(revision)) is different from the running revision (\(running))")
            }
        }
        // Until the controller has seen the newest spec, the counts describe an older one.
        guard deployment.generation <= deployment.observedGeneration else {
            return ("Waiting for deployment spec update to be observed...", false)
        }
        if deployment.condition("Progressing")?.reason == timedOutReason {
            throw CLIError("deployment \"\(name)\" exceeded its progress deadline")
        }
        let waiting = "Waiting for deployment \"\(name)\" rollout to finish: "
        if deployment.updatedReplicas < deployment.replicas {
            return (waiting + "\(deployment.updatedReplicas) out of \(deployment.replicas) new replicas have been updated...", false)
        }
        if deployment.statusReplicas > deployment.updatedReplicas {
            return (waiting + "\(deployment.statusReplicas - deployment.updatedReplicas) old replicas are pending termination...", false)
        }
        if deployment.availableReplicas < deployment.updatedReplicas {
            return (waiting + "\(deployment.availableReplicas) of \(deployment.updatedReplicas) updated replicas are available...", false)
        }
        return ("deployment \"\(name)\" successfully rolled out", true)
    }

    /// `deployment.kubernetes.io/revision` as a number: 0 when absent (upstream's `Revision`), nil
    /// when it is not an integer.
    static func revisionNumber(_ annotations: [String: String]) -> Int? {
        guard let text = annotations[DeploymentView.revisionAnnotation] else { return 0 }
        return Int(text)
    }

    /// kubectl's `DaemonSetStatusViewer`: RollingUpdate only; done once the newest generation is
    /// observed and every node that should run the pod runs an updated, available one.
    static func evaluate(daemonSet ds: DaemonSetView) throws(CLIError) -> (message: String, done: Bool) {
        guard !ds.isOnDelete else { throw CLIError("rollout status is only available for RollingUpdate strategy type") }
        guard ds.generation <= ds.observedGeneration else { return ("Waiting for daemon set spec update to be observed...", false) }
        let waiting = "Waiting for daemon set \"\(ds.name)\" rollout to finish: "
        if ds.updatedNumberScheduled < ds.desiredNumberScheduled {
            return (waiting + "\(ds.updatedNumberScheduled) out of \(ds.desiredNumberScheduled) new pods have been updated...", false)
        }
        if ds.numberAvailable < ds.desiredNumberScheduled {
            return (waiting + "\(ds.numberAvailable) of \(ds.desiredNumberScheduled) updated pods are available...", false)
        }
        return ("daemon set \"\(ds.name)\" successfully rolled out", true)
    }
}
