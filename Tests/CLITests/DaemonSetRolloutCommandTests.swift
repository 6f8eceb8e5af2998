@testable import CLI
import Foundation
import Model
import Testing

/// kubectl's DaemonSet status viewer, history viewer and rollbacker as `drover rollout` runs them.
@Suite struct DaemonSetRolloutCommandTests {
    static func daemonSet(image: String = "v2", generation: Int64 = 2, observed: Int64 = 2, desired: Int64 = 3, updated: Int64 = 3,
                          available: Int64 = 3, onDelete: Bool = false) -> JSONValue {
        ["apiVersion": "apps/v1", "kind": "DaemonSet",
         "metadata": ["name": "agent", "namespace": "default", "uid": "ds-uid", "generation": .int(generation)],
         "spec": ["selector": ["matchLabels": ["app": "agent"]],
                  "updateStrategy": onDelete ? ["type": "OnDelete"] : ["type": "RollingUpdate"],
                  "template": template(image)],
         "status": ["observedGeneration": .int(observed), "desiredNumberScheduled": .int(desired),
                    "updatedNumberScheduled": .int(updated), "numberAvailable": .int(available)]]
    }

    static func template(_ image: String) -> JSONValue {
        ["metadata": ["labels": ["app": "agent"]], "spec": ["containers": [["name": "main", "image": .string(image)]]]]
    }

    static func revision(_ number: Int64, image: String, owner: String = "ds-uid", cause: String? = nil) -> JSONValue {
        var template = template(image)
        template["$patch"] = "replace"
        var metadata: JSONValue = ["name": .string("agent-\(number)"), "namespace": "default",
                                   "ownerReferences": [OwnerReference.controlling(apiVersion: "apps/v1", kind: "DaemonSet",
                                                                                  name: "agent", uid: owner).json]]
        if let cause { metadata["annotations"] = ["kubernetes.io/change-cause": .string(cause)] }
        return ["apiVersion": "apps/v1", "kind": "ControllerRevision", "metadata": metadata,
                "data": ["spec": ["template": template]], "revision": .int(number)]
    }

    @Test func statusWaitsForObservationThenUpdatedThenAvailablePods() throws {
        let rows: [(JSONValue, String, Bool)] = [
            (Self.daemonSet(observed: 1), "Waiting for daemon set spec update to be observed...", false),
            (Self.daemonSet(updated: 1), "Waiting for daemon set \"agent\" rollout to finish: 1 out of 3 new pods have been updated...", false),
            (Self.daemonSet(available: 2), "Waiting for daemon set \"agent\" rollout to finish: 2 of 3 updated pods are available...", false),
            (Self.daemonSet(), "daemon set \"agent\" successfully rolled out", true),
        ]
        for (object, message, done) in rows {
            let result = try RolloutStatus.evaluate(daemonSet: DaemonSetView(object))
            #expect(result.message == message)
            #expect(result.done == done)
        }
        #expect(throws: CLIError("rollout status is only available for RollingUpdate strategy type")) {
            try RolloutStatus.evaluate(daemonSet: DaemonSetView(Self.daemonSet(onDelete: true)))
        }
    }

    @Test func historyListsTheControlledRevisionsWithTheirChangeCause() throws {
        let history = DaemonSetHistory(daemonSet: DaemonSetView(Self.daemonSet()),
                                       candidates: [Self.revision(2, image: "v2", cause: "kubectl set image"), Self.revision(1, image: "v1"),
                                                    Self.revision(7, image: "x", owner: "other")])
        #expect(history.table() == "REVISION  CHANGE-CAUSE\n1         <none>\n2         kubectl set image\n")
        let details = try history.details(revision: 1, now: Date())
        #expect(details.contains("Image:") && details.contains("v1"))
        #expect(throws: CLIError("unable to find the specified revision")) { try history.details(revision: 7, now: Date()) }
    }

    @Test func undoPatchesBackThePreviousRevisionsDataAsKubectl() throws {
        let ds = DaemonSetView(Self.daemonSet())
        let history = DaemonSetHistory(daemonSet: ds, candidates: [Self.revision(1, image: "v1"), Self.revision(2, image: "v2")])
        #expect(try history.rollback(toRevision: 0) == .patch(Self.revision(1, image: "v1")["data"]!))
        #expect(try history.rollback(toRevision: 2) == .skipped("skipped rollback (current template already matches revision 2)"))
        #expect(throws: CLIError("unable to find specified revision 5 in history")) { try history.rollback(toRevision: 5) }
        let single = DaemonSetHistory(daemonSet: ds, candidates: [Self.revision(2, image: "v2")])
        #expect(throws: CLIError("no last revision to roll back to")) { try single.rollback(toRevision: 0) }
    }
}
