import Model

/// Which objects an owner adopts and releases (upstream's ControllerRefManager, pure): an object
/// without a controller whose labels match the owner's selector is adopted, unless it or the owner
/// is being deleted; an object the owner controls whose labels no longer match is released. Used
/// for pods (Job, ReplicaSet) and ReplicaSets (Deployment).
enum ControllerClaim {
    struct Result: Equatable {
        /// Orphans to take: they get the owner as controller.
        var adopt: [JSONValue] = []
        /// Objects to let go: the owner's reference is removed.
        var release: [JSONValue] = []
    }

    /// - Parameters:
    ///   - selector: the owner's `spec.selector`; nil, unparsable or empty never adopts (as upstream).
    ///   - owned: the objects whose controller reference names the owner.
    ///   - candidates: the uncontrolled objects of the owner's namespace.
    static func claim(selector selectorJSON: JSONValue?, ownerDeleting: Bool, owned: [JSONValue], candidates: [JSONValue]) -> Result {
        guard let selectorJSON, let selector = try? LabelSelector.from(selectorJSON), !selector.isEmpty else { return Result() }
        func meta(_ object: JSONValue) -> ObjectMetaView { ObjectMetaView(object["metadata"]) }
        var result = Result()
        if !ownerDeleting {
            result.adopt = candidates.filter {
                meta($0).controllerReference == nil && !meta($0).isDeleting && selector.matches(meta($0).labels)
            }
        }
        result.release = owned.filter { !selector.matches(meta($0).labels) && !meta($0).isDeleting }
        return result
    }
}
