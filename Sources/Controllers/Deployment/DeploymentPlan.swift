import Foundation
import Model

/// What one Deployment sync does, in order: create the new ReplicaSet, update ReplicaSets
/// (replicas, annotations), delete old ones beyond the history limit, set the Deployment's
/// revision annotation, write the status, record Events, come back later.
struct DeploymentPlan: Equatable {
    struct Event: Equatable, Sendable {
        var type: String
        var reason: String
        var message: String
    }

    /// The ReplicaSet to create (`<deployment>-<pod-template-hash>`).
    var create: JSONValue?
    /// ReplicaSets to update (whole objects at their cached resourceVersion).
    var updates: [JSONValue] = []
    /// Old ReplicaSets to delete (revision history limit).
    var deletions: [ReplicaSetView] = []
    /// The value for the Deployment's `deployment.kubernetes.io/revision`, when it must change.
    var revision: String?
    /// The status to store.
    var status: JSONValue = .emptyObject
    var events: [Event] = []
    var requeueAfter: Double?
}

/// The inputs of one sync, read from the caches.
struct DeploymentSyncInput {
    var deployment: DeploymentView
    /// The ReplicaSets the Deployment controls (after adoption and release).
    var replicaSets: [ReplicaSetView]
    /// The pods of each ReplicaSet, by ReplicaSet uid: Recreate waits for old pods to be gone, and
    /// scaling counts available pods no higher than these show. A set missing here counts by its status.
    var podsByReplicaSet: [String: [PodView]] = [:]
    var now: Date
}
