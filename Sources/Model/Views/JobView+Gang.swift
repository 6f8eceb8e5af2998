extension JobView {
    /// The PodGroup the Job's pods join: the one its template's `scheduling.x-k8s.io/pod-group`
    /// label names, else the Job's own (named after it) when it carries `drover.dev/gang: "true"`;
    /// nil for a Job without gang semantics.
    public var podGroupName: String? { namedPodGroup ?? (createsPodGroup ? name : nil) }

    /// True when the Job controller creates and owns the Job's PodGroup (the annotation, and no
    /// PodGroup named by the template).
    public var createsPodGroup: Bool {
        metadata.annotations[PodGroupSpec.jobGangAnnotation] == "true" && namedPodGroup == nil
    }

    /// The PodGroup the template's label names, if any.
    private var namedPodGroup: String? {
        guard let named = template["metadata"]?["labels"]?[PodGroupSpec.podGroupLabel]?.string, !named.isEmpty else { return nil }
        return named
    }

    /// The minMember of the PodGroup the controller creates: the pods that run at once,
    /// parallelism capped by completions.
    public var gangSize: Int { max(1, min(parallelism, completions ?? parallelism)) }

    /// True when a member's failure restarts the whole gang (`drover.dev/gang-failure: RestartGang`).
    public var restartsGangOnFailure: Bool {
        podGroupName != nil && metadata.annotations[PodGroupSpec.jobGangFailureAnnotation] == PodGroupSpec.restartGang
    }
}
