/// ClusterQueue (kueue.x-k8s.io/v1beta1), with the rules of Kueue's CRD schema and webhook:
/// - `resourceGroups` (at most 16): each names its `coveredResources` (1–16, each in one group
///   only) and lists `flavors` (1–16, each flavor in one group only) whose `resources` are exactly
///   the covered ones, in order, each with a `nominalQuota` and optional `borrowingLimit` and
///   `lendingLimit` (quantities ≥ 0; both limits need a `cohort`; `lendingLimit` ≤ `nominalQuota`);
/// - `queueingStrategy` StrictFIFO | BestEffortFIFO (default BestEffortFIFO), `stopPolicy`
///   None | Hold | HoldAndDrain (default None), `preemption` policies (default Never), a
///   `namespaceSelector` (null selects no namespace, `{}` every one), `fairSharing.weight` ≥ 0.
enum ClusterQueueAdmission: KindAdmission {
    static func applyDefaults(to object: inout JSONValue, creating: Bool) {
        object.withChild("spec") { spec in
            spec.setDefault("queueingStrategy", .string(Kueue.bestEffortFIFO))
            spec.setDefault("stopPolicy", "None")
            spec.withChild("preemption") { preemption in
                preemption.setDefault("reclaimWithinCohort", "Never")
                preemption.setDefault("withinClusterQueue", "Never")
                preemption.withChild("borrowWithinCohort") { $0.setDefault("policy", "Never") }
            }
            spec.withChild("flavorFungibility") { fungibility in
                fungibility.setDefault("whenCanBorrow", "Borrow")
                fungibility.setDefault("whenCanPreempt", "TryNextFlavor")
            }
        }
    }

    static func validate(_ object: JSONValue, creating: Bool, into errors: inout FieldErrors) {
        let path = FieldPath("spec")
        guard let spec = errors.object(object["spec"], path) else { return }
        let cohort = KueueValidation.reference(spec["cohort"], path.child("cohort"), required: false, into: &errors)
        errors.oneOf(spec["queueingStrategy"], path.child("queueingStrategy"), Kueue.queueingStrategies)
        KueueValidation.stopPolicy(spec, path, into: &errors)
        if let selector = spec["namespaceSelector"], !selector.isNull {
            MetadataValidation.validateLabelSelector(selector, path.child("namespaceSelector"), into: &errors)
        }
        validateResourceGroups(spec["resourceGroups"], path.child("resourceGroups"), hasCohort: cohort != nil, into: &errors)
        validatePreemption(spec["preemption"], path.child("preemption"), into: &errors)
        if let fairSharing = errors.object(spec["fairSharing"], path.child("fairSharing")) {
            _ = KueueValidation.quantity(fairSharing["weight"], path.child("fairSharing", "weight"), into: &errors)
        }
        if let fungibility = errors.object(spec["flavorFungibility"], path.child("flavorFungibility")) {
            let p = path.child("flavorFungibility")
            errors.oneOf(fungibility["whenCanBorrow"], p.child("whenCanBorrow"), ["Borrow", "TryNextFlavor", "MayStopSearch"])
            errors.oneOf(fungibility["whenCanPreempt"], p.child("whenCanPreempt"), ["Preempt", "TryNextFlavor", "MayStopSearch"])
        }
    }

    private static func validateResourceGroups(_ value: JSONValue?, _ path: FieldPath, hasCohort: Bool, into errors: inout FieldErrors) {
        guard let groups = errors.array(value, path) else { return }
        if groups.count > 16 { errors.tooMany(path, max: 16) }
        var coveredSeen = Set<String>(), flavorsSeen = Set<String>()
        for (g, element) in groups.enumerated() {
            let groupPath = path.index(g)
            guard let group = errors.object(element, groupPath) else { continue }
            let coveredPath = groupPath.child("coveredResources")
            let covered = errors.stringArray(group["coveredResources"], coveredPath) ?? []
            if covered.isEmpty { errors.required(coveredPath, "a resource group covers at least one resource") }
            if covered.count > 16 { errors.tooMany(coveredPath, max: 16) }
            for (i, name) in covered.enumerated() {
                if !ContainerValidation.isStandardResourceName(name) {
                    errors.invalid(coveredPath.index(i), .string(name), "must be a standard resource type or fully qualified")
                }
                if !coveredSeen.insert(name).inserted { errors.duplicate(coveredPath.index(i), .string(name)) }
            }
            let flavorsPath = groupPath.child("flavors")
            let flavors = errors.array(group["flavors"], flavorsPath) ?? []
            if flavors.isEmpty { errors.required(flavorsPath, "a resource group has at least one flavor") }
            if flavors.count > 16 { errors.tooMany(flavorsPath, max: 16) }
            for (f, flavorValue) in flavors.enumerated() {
                let flavorPath = flavorsPath.index(f)
                guard let flavor = errors.object(flavorValue, flavorPath) else { continue }
                if let name = KueueValidation.reference(flavor["name"], flavorPath.child("name"), required: true, into: &errors),
                   !flavorsSeen.insert(name).inserted {
                    errors.duplicate(flavorPath.child("name"), .string(name))
                }
                validateFlavorResources(flavor["resources"], flavorPath.child("resources"), covered: covered, hasCohort: hasCohort,
                                        into: &errors)
            }
        }
    }

    /// A flavor's quotas: one per covered resource, in the covered order (Kueue's webhook).
    private static func validateFlavorResources(_ value: JSONValue?, _ path: FieldPath, covered: [String], hasCohort: Bool,
                                                into errors: inout FieldErrors) {
        let resources = errors.array(value, path) ?? []
        if resources.count != covered.count {
            errors.invalid(path, .int(Int64(resources.count)),
                           "must have the same number of resources as coveredResources (\(covered.count))")
        }
        for (r, element) in resources.enumerated() {
            let resourcePath = path.index(r)
            guard let resource = errors.object(element, resourcePath) else { continue }
            let name = errors.string(resource["name"], resourcePath.child("name")) ?? ""
            if name.isEmpty {
                errors.required(resourcePath.child("name"))
            } else if r < covered.count, name != covered[r] {
                errors.invalid(resourcePath.child("name"), .string(name), "must match the name in coveredResources (\(covered[r].goQuoted))")
            }
            let nominalPath = resourcePath.child("nominalQuota")
            let nominal = KueueValidation.quantity(resource["nominalQuota"], nominalPath, into: &errors)
            if resource["nominalQuota"] == nil || resource["nominalQuota"] == .null { errors.required(nominalPath) }
            for limit in ["borrowingLimit", "lendingLimit"] {
                let limitPath = resourcePath.child(limit)
                guard let amount = KueueValidation.quantity(resource[limit], limitPath, into: &errors) else { continue }
                if !hasCohort {
                    errors.invalid(limitPath, .string(amount.description), "must be nil when cohort is empty")
                }
                if limit == "lendingLimit", let nominal, amount > nominal {
                    errors.invalid(limitPath, .string(amount.description), "must be less than or equal to the nominalQuota (\(nominal))")
                }
            }
        }
    }

    private static func validatePreemption(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) {
        guard let preemption = errors.object(value, path) else { return }
        errors.oneOf(preemption["reclaimWithinCohort"], path.child("reclaimWithinCohort"), Kueue.reclaimPolicies)
        errors.oneOf(preemption["withinClusterQueue"], path.child("withinClusterQueue"), Kueue.withinClusterQueuePolicies)
        if let borrow = errors.object(preemption["borrowWithinCohort"], path.child("borrowWithinCohort")) {
            let p = path.child("borrowWithinCohort")
            errors.oneOf(borrow["policy"], p.child("policy"), Kueue.borrowWithinCohortPolicies)
            _ = errors.int(borrow["maxPriorityThreshold"], p.child("maxPriorityThreshold"))
            if borrow["policy"]?.string == "LowerPriority", preemption["reclaimWithinCohort"]?.string == "Never" {
                errors.invalid(p.child("policy"), .string("LowerPriority"),
                               "reclaimWithinCohort=Never and borrowWithinCohort.Policy!=Never")
            }
        }
    }
}
