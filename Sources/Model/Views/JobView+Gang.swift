extension JobView {
    /// The PodGroup the Job's pods join: the one its template's `scheduling.x-k8s.io/pod-group`
    /// label names, else the Job's own (named after it) when it carries `drover.dev/gang: "true"`;
    /// nil for a Job without gang semantics.
    public var podGroupName: String? {
        if let named = template["metadata"]?["labels"]?[PodGroupSpec.podGroupLabel]?.string, !named.isEmpty { return named }
        return createsPodGroup ? name : nil
    }

    /// True when the Job controller creates and owns the Job's PodGroup (the annotation, and no
    /// PodGroup named by the template).
    public var createsPodGroup: Bool {
        guard metadata.annotations[PodGroupSpec.jobGangAnnotation] == "true" else { return false }
        let named = template["metadata"]?["labels"]?[PodGroupSpec.podGroupLabel]?.string ?? ""
        return named.isEmpty
    }

    /// The minMember of the PodGroup the controller creates: the pods that run at once,
    /// parallelism capped by completions.
    public var gangSize: Int { max(1, min(parallelism, completions ?? parallelism)) }

    /// True when a member's failure restarts the whole gang (`drover.dev/gang-failure: RestartGang`).
    public var restartsGangOnFailure: Bool {
        podGroupName != nil && metadata.annotations[PodGroupSpec.jobGangFailureAnnotation] == PodGroupSpec.restartGang
    }
}
