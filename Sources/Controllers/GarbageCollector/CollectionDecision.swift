import Client
import Model

/// What the garbage collector found an owner reference to point at (upstream's
/// classifyReferences in garbagecollector.go).
public enum OwnerState: Sendable, Equatable {
    /// The owner exists with the referenced uid.
    case solid
    /// No object of that name, or one with another uid: the reference is dangling.
    case dangling
    /// The owner exists and is being deleted in the foreground: it waits for its dependents.
    case waitingForDependents
    /// A kind the collector does not know; never a reason to delete.
    case unresolvable
}

/// The finalizers through which a delete's propagation policy reaches the collector.
public enum DeletionFinalizer {
    /// Foreground: the owner stays until its blocking dependents are gone.
    public static let foreground = "foregroundDeletion"
    /// Orphan: dependents lose their reference to the owner, then the owner goes.
    public static let orphan = "orphan"
}

/// The pure decisions of the garbage collector, tested as tables.
public enum CollectionDecision {
    /// What to do with an object that is not being deleted, given the state of each of its owners.
    public enum DependentAction: Sendable, Equatable {
        /// Leave it: no owners, or a solid owner and nothing dangling.
        case keep
        /// It keeps a solid owner; drop the references to these owner uids (dangling, or owners
        /// waiting for their dependents, which would otherwise wait forever).
        case removeReferences([String])
        /// No solid owner: delete it with this propagation.
        case delete(PropagationPolicy)
    }

    /// Upstream's attemptToDeleteItem for an object with owner references.
    /// - Parameters:
    ///   - owners: each reference with what it points at.
    ///   - hasDependents: the object owns something itself.
    ///   - finalizers: the object's finalizers (an orphan or foreground finalizer already there is
    ///     honoured when it is deleted).
    public static func forDependent(owners: [(OwnerReference, OwnerState)], hasDependents: Bool,
                                    finalizers: [String]) -> DependentAction {
        guard !owners.isEmpty else { return .keep }
        let solid = owners.filter { $0.1 == .solid || $0.1 == .unresolvable }
        let dangling = owners.filter { $0.1 == .dangling }.map(\.0.uid)
        let waiting = owners.filter { $0.1 == .waitingForDependents }.map(\.0.uid)
        if !solid.isEmpty {
            let drop = dangling + waiting
            return drop.isEmpty ? .keep : .removeReferences(drop)
        }
        // An owner waits for its dependents and this object has dependents of its own: delete it
        // in the foreground so the wait reaches all the way down.
        if !waiting.isEmpty && hasDependents { return .delete(.foreground) }
        if finalizers.contains(DeletionFinalizer.orphan) { return .delete(.orphan) }
        if finalizers.contains(DeletionFinalizer.foreground) { return .delete(.foreground) }
        return .delete(.background)
    }

    /// One dependent of an owner being deleted in the foreground.
    public struct Dependent: Sendable, Equatable {
        public var key: String
        public var uid: String
        /// Its reference to the owner says blockOwnerDeletion.
        public var blocksOwner: Bool
        /// It already has a deletionTimestamp.
        public var isDeleting: Bool
        /// It owns something itself.
        public var hasDependents: Bool

        public init(key: String, uid: String, blocksOwner: Bool, isDeleting: Bool, hasDependents: Bool) {
            self.key = key
            self.uid = uid
            self.blocksOwner = blocksOwner
            self.isDeleting = isDeleting
            self.hasDependents = hasDependents
        }
    }

    /// What the collector does for an owner carrying the foregroundDeletion finalizer.
    public struct ForegroundPlan: Sendable, Equatable {
        /// Dependents to delete now, each with its propagation.
        public var delete: [(key: String, uid: String, policy: PropagationPolicy)]
        /// True once no blocking dependent remains: the finalizer comes off and the owner goes.
        public var removeFinalizer: Bool

        public static func == (a: ForegroundPlan, b: ForegroundPlan) -> Bool {
            a.removeFinalizer == b.removeFinalizer
                && a.delete.map { "\($0.key) \($0.uid) \($0.policy.rawValue)" } == b.delete.map { "\($0.key) \($0.uid) \($0.policy.rawValue)" }
        }
    }

    /// Upstream's processDeletingDependentsItem: delete every dependent not yet being deleted
    /// (foreground when it has dependents of its own, so the wait propagates); the owner's
    /// finalizer comes off once no dependent that blocks it is left.
    public static func forForegroundOwner(dependents: [Dependent]) -> ForegroundPlan {
        let delete = dependents.filter { !$0.isDeleting }.map { dependent in
            (key: dependent.key, uid: dependent.uid, policy: dependent.hasDependents ? PropagationPolicy.foreground : .background)
        }
        return ForegroundPlan(delete: delete, removeFinalizer: !dependents.contains(where: \.blocksOwner))
    }
}
