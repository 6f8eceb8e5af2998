import Model

/// Which pods a Job adopts and releases (upstream's ControllerRefManager.ClaimPods, pure): an orphan
/// whose labels match the Job's selector is adopted, unless it or the Job is being deleted; a pod
/// the Job controls whose labels no longer match is released.
enum PodClaim {
    struct Result: Equatable {
        /// Orphans to take: they get the Job as controller.
        var adopt: [PodView] = []
        /// Pods to let go: the Job's reference is removed.
        var release: [PodView] = []
    }

    /// - Parameters:
    ///   - owned: the pods whose controller reference names the Job.
    ///   - candidates: the other pods of the Job's namespace.
    static func claim(job: JobView, owned: [PodView], candidates: [PodView]) -> Result {
        guard let selectorJSON = job.selector, let selector = try? LabelSelector.from(selectorJSON), !selector.isEmpty else {
            return Result()   // no selector, or one that selects everything: never adopt (as upstream)
        }
        var result = Result()
        if !job.isDeleting {
            result.adopt = candidates.filter { pod in
                pod.metadata.controllerReference == nil && !pod.isDeleting && selector.matches(pod.labels)
            }
        }
        result.release = owned.filter { !selector.matches($0.labels) && !$0.isDeleting }
        return result
    }
}
