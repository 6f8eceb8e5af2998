import Model

/// A PodDisruptionBudget as preemption weighs it (upstream's DefaultPreemption reads the PDB
/// lister): which pods it guards and how many of them may still go.
public struct DisruptionBudget: Sendable, Equatable {
    public var namespace: String
    /// Never empty: a budget with a null, empty or invalid selector guards nothing (upstream).
    public var selector: LabelSelector
    /// `status.disruptionsAllowed`.
    public var disruptionsAllowed: Int
    /// `status.disruptedPods`: pods whose eviction the API already approved; taking them again
    /// spends nothing.
    public var disruptedPods: Set<String>

    public init(namespace: String, selector: LabelSelector, disruptionsAllowed: Int, disruptedPods: Set<String> = []) {
        self.namespace = namespace
        self.selector = selector
        self.disruptionsAllowed = disruptionsAllowed
        self.disruptedPods = disruptedPods
    }

    /// Reads a PodDisruptionBudget object; nil when it guards no pod at all.
    public init?(_ object: JSONValue) {
        let pdb = PodDisruptionBudgetView(object)
        guard let json = pdb.selector, let selector = try? LabelSelector.from(json), !selector.isEmpty else { return nil }
        self.init(namespace: pdb.namespace, selector: selector, disruptionsAllowed: pdb.disruptionsAllowed,
                  disruptedPods: Set(pdb.disruptedPods.keys))
    }

    /// Whether the budget guards `pod`.
    public func guards(_ pod: PodInfo) -> Bool {
        pod.namespace == namespace && selector.matches(pod.object.value(at: ["metadata", "labels"])?.stringMap ?? [:])
    }

    /// Upstream's filterPodsWithPDBViolation: walking `pods` in order, each pod a budget guards
    /// spends one of its allowed disruptions (unless already approved for eviction); a pod that
    /// overdraws any budget is violating. Both lists keep the order of `pods`.
    public static func split(_ pods: [PodInfo], by budgets: [DisruptionBudget]) -> (violating: [PodInfo], nonViolating: [PodInfo]) {
        var violating: [PodInfo] = []
        var nonViolating: [PodInfo] = []
        for (pod, violates) in zip(pods, violations(pods, by: budgets)) {
            if violates { violating.append(pod) } else { nonViolating.append(pod) }
        }
        return (violating, nonViolating)
    }

    /// `split`'s verdict for each of `pods`, in order: true for the violating ones.
    public static func violations(_ pods: some Sequence<PodInfo>, by budgets: [DisruptionBudget]) -> [Bool] {
        var allowed = budgets.map(\.disruptionsAllowed)
        return pods.map { pod in
            var violates = false
            for (i, budget) in budgets.enumerated() where budget.guards(pod) && !budget.disruptedPods.contains(pod.name) {
                allowed[i] -= 1
                if allowed[i] < 0 { violates = true }
            }
            return violates
        }
    }
}
