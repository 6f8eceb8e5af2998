import Model

/// Which pods a Job adopts and releases: `ControllerClaim` over the Job's selector, in pods.
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
        let claim = ControllerClaim.claim(selector: job.selector, ownerDeleting: job.isDeleting,
                                          owned: owned.map(\.object), candidates: candidates.map(\.object))
        return Result(adopt: claim.adopt.map(PodView.init), release: claim.release.map(PodView.init))
    }
}
