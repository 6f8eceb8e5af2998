@testable import CLI
import Foundation
import Model
import Testing
import TestSupport

/// Deployments and ReplicaSets as the controller leaves them, for the rollout verbs.
enum RolloutFixtures {
    static let uid = "uid-web"

    /// `web` with `replicas`, a generation, the status counts and an optional Progressing reason.
    static func deployment(replicas: Int64 = 3, generation: Int64 = 2, observed: Int64 = 2, updated: Int64 = 3, total: Int64 = 3,
                           available: Int64 = 3, progressing: String? = nil, revision: String? = "2", image: String = "busybox:2",
                           paused: Bool = false, annotations: [String: String] = [:]) -> JSONValue {
        var meta: [String: String] = annotations
        if let revision { meta[DeploymentView.revisionAnnotation] = revision }
        var d: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": "web", "namespace": "default", "uid": .string(uid), "generation": .int(generation),
                         "annotations": .stringMap(meta)],
            "spec": ["replicas": .int(replicas), "selector": ["matchLabels": ["app": "web"]],
                     "template": template(image: image, hash: nil)],
            "status": ["observedGeneration": .int(observed), "replicas": .int(total), "updatedReplicas": .int(updated),
                       "availableReplicas": .int(available)],
        ]
        if paused { d.setValue(true, at: ["spec", "paused"]) }
        if let progressing {
            let status: JSONValue = progressing == "ProgressDeadlineExceeded" ? "False" : "True"
            d.setValue([["type": "Progressing", "status": status, "reason": .string(progressing)]], at: ["status", "conditions"])
        }
        return d
    }

    static func template(image: String, hash: String?) -> JSONValue {
        var labels: [String: String] = ["app": "web"]
        if let hash { labels[DeploymentView.podTemplateHashLabel] = hash }
        return ["metadata": ["labels": .stringMap(labels)],
                "spec": ["containers": [["name": "main", "image": .string(image), "command": ["sleep", "600"]]]]]
    }

    /// A ReplicaSet of `web` at `revision` (nil: no annotation), controlled by `owner`.
    static func replicaSet(_ hash: String, revision: String?, image: String, cause: String? = nil, owner: String = uid,
                           extra: [String: String] = [:]) -> JSONValue {
        var annotations = extra
        if let revision { annotations[DeploymentView.revisionAnnotation] = revision }
        if let cause { annotations[DeploymentHistory.changeCauseAnnotation] = cause }
        return ["apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": ["name": .string("web-\(hash)"), "namespace": "default", "labels": ["app": "web", "pod-template-hash": .string(hash)],
                             "annotations": .stringMap(annotations),
                             "ownerReferences": [["apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": .string(owner), "controller": true]]],
                "spec": ["replicas": 0, "selector": ["matchLabels": ["app": "web", "pod-template-hash": .string(hash)]],
                         "template": template(image: image, hash: hash)]]
    }

    static func history(_ sets: [JSONValue], deployment: JSONValue = RolloutFixtures.deployment()) -> DeploymentHistory {
        DeploymentHistory(deployment: DeploymentView(deployment), candidates: sets)
    }
}

@Suite struct RolloutStatusTests {
    typealias F = RolloutFixtures

    @Test(arguments: [
        // generation 3 not yet observed: the counts are of an older spec.
        (RolloutFixtures.deployment(generation: 3, observed: 2), "Waiting for deployment spec update to be observed...", false),
        (RolloutFixtures.deployment(updated: 1), "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...", false),
        // 3 updated of 3 wanted, 5 in all: 2 old ones still running.
        (RolloutFixtures.deployment(total: 5), "Waiting for deployment \"web\" rollout to finish: 2 old replicas are pending termination...", false),
        (RolloutFixtures.deployment(available: 1), "Waiting for deployment \"web\" rollout to finish: 1 of 3 updated replicas are available...", false),
        (RolloutFixtures.deployment(), "deployment \"web\" successfully rolled out", true),
        (RolloutFixtures.deployment(progressing: "NewReplicaSetAvailable"), "deployment \"web\" successfully rolled out", true),
        // Scaled to 0: nothing to wait for.
        (RolloutFixtures.deployment(replicas: 0, updated: 0, total: 0, available: 0), "deployment \"web\" successfully rolled out", true),
    ])
    func statusLinesFollowKubectlsOrderOfChecks(_ object: JSONValue, _ message: String, _ done: Bool) throws {
        let result = try RolloutStatus.evaluate(DeploymentView(object))
        #expect(result.message == message)
        #expect(result.done == done)
    }

    @Test func aPassedProgressDeadlineIsAnError() {
        #expect(throws: CLIError("deployment \"web\" exceeded its progress deadline")) {
            try RolloutStatus.evaluate(DeploymentView(RolloutFixtures.deployment(available: 1, progressing: "ProgressDeadlineExceeded")))
        }
    }

    @Test func aPinnedRevisionMustBeTheRunningOne() throws {
        #expect(throws: CLIError("desired revision (1) is different from the running revision (2)")) {
            try RolloutStatus.evaluate(DeploymentView(RolloutFixtures.deployment()), revision: 1)
        }
        #expect(try RolloutStatus.evaluate(DeploymentView(RolloutFixtures.deployment()), revision: 2).done)
    }
}

@Suite struct DeploymentHistoryTests {
    typealias F = RolloutFixtures

    @Test func theTableListsRevisionsInOrderWithTheirChangeCause() {
        let history = F.history([F.replicaSet("bbb", revision: "10", image: "busybox:3", cause: "drover set image main=busybox:3"),
                                 F.replicaSet("aaa", revision: "2", image: "busybox:2"),
                                 F.replicaSet("ccc", revision: "x", image: "busybox:9"),
                                 F.replicaSet("ddd", revision: "7", image: "busybox:7", owner: "someone-else")])
        // Revision "x" is not a number and ddd belongs to another Deployment: both are left out.
        #expect(history.table() == """
        REVISION  CHANGE-CAUSE
        2         <none>
        10        drover set image main=busybox:3

        """)
    }

    @Test func noReplicaSetsMeansNoHistory() {
        #expect(F.history([]).table() == "No rollout history found.")
    }

    @Test func aRevisionsDetailsAreItsPodTemplate() throws {
        let history = F.history([F.replicaSet("aaa", revision: "1", image: "busybox:1", cause: "first")])
        let text = try history.details(revision: 1, now: Date())
        #expect(text.hasPrefix("Pod Template:\n  Labels:       app=web\n                pod-template-hash=aaa\n  Annotations:  kubernetes.io/change-cause"), "\(text)")
        #expect(text.contains("    Image:      busybox:1\n"), "\(text)")
        #expect(throws: CLIError("unable to find the specified revision")) { try history.details(revision: 5, now: Date()) }
    }

    @Test func undoPatchesTheTemplateWithoutItsHashAndCopiesAnnotationsAsKubectl() throws {
        let deployment = F.deployment(annotations: [DeploymentView.revisionHistoryAnnotation: "1", "team": "a"])
        let history = F.history([F.replicaSet("aaa", revision: "1", image: "busybox:1", extra: ["note": "v1", DeploymentView.desiredReplicasAnnotation: "3"]),
                                 F.replicaSet("bbb", revision: "2", image: "busybox:2")], deployment: deployment)
        let plan = try history.rollback(toRevision: 0, resumeCommand: "")
        // Kept from the Deployment: revision and revision-history; copied from the ReplicaSet: the rest
        // except desired-replicas. The Deployment's own "team" goes, as kubectl replaces the map.
        let annotations: JSONValue = .stringMap([DeploymentView.revisionAnnotation: "2", DeploymentView.revisionHistoryAnnotation: "1", "note": "v1"])
        #expect(plan == .patch([["op": "replace", "path": "/spec/template", "value": F.template(image: "busybox:1", hash: nil)],
                                ["op": "replace", "path": "/metadata/annotations", "value": annotations]]))
    }

    @Test func undoChecksAsKubectlDoes() throws {
        let sets = [F.replicaSet("aaa", revision: "1", image: "busybox:1"), F.replicaSet("bbb", revision: "2", image: "busybox:2")]
        #expect(throws: CLIError("unable to find specified revision 7 in history")) { try F.history(sets).rollback(toRevision: 7, resumeCommand: "") }
        #expect(throws: CLIError("unable to find specified revision -1 in history")) { try F.history(sets).rollback(toRevision: -1, resumeCommand: "") }
        #expect(throws: CLIError("no rollout history found for deployment \"web\"")) {
            try F.history([sets[1]]).rollback(toRevision: 0, resumeCommand: "")
        }
        #expect(throws: CLIError("you cannot rollback a paused deployment; resume it first with 'drover rollout resume deployment/web' and try again")) {
            try F.history(sets, deployment: F.deployment(paused: true)).rollback(toRevision: 1, resumeCommand: "drover rollout resume deployment/web")
        }
        // The Deployment runs busybox:2 already (null members and the hash label do not count).
        var same = sets[1]
        same.setValue(.null, at: ["spec", "template", "spec", "nodeName"])
        #expect(try F.history([sets[0], same]).rollback(toRevision: 2, resumeCommand: "")
            == .skipped("skipped rollback (current template already matches revision 2)"))
    }

    @Test(arguments: [
        (RolloutCommand.Action.pause, false, #"{"spec":{"paused":true}}"#, "paused"),
        (.resume, true, #"{"spec":{"paused":null}}"#, "resumed"),
        (.restart, false, #"{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-12-03T14:00:00Z"}}}}}"#, "restarted"),
    ])
    func pauseResumeAndRestartAreMergePatches(_ action: RolloutCommand.Action, _ paused: Bool, _ patch: String, _ done: String) throws {
        let now = try #require(Timestamp.parse("2026-12-03T14:00:00Z"))
        let change = try RolloutPatch.make(action, for: DeploymentView(RolloutFixtures.deployment(paused: paused)), now: now).get()
        let expected = try JSONValue.parse(Array(patch.utf8))
        #expect(change.patch == expected)
        #expect(change.done == done)
    }

    @Test(arguments: [
        (RolloutCommand.Action.pause, true, "is already paused"),
        (.resume, false, "is not paused"),
        (.restart, true, "can't restart paused deployment (run rollout resume first)"),
    ])
    func kubectlsRefusals(_ action: RolloutCommand.Action, _ paused: Bool, _ reason: String) {
        let result = RolloutPatch.make(action, for: DeploymentView(RolloutFixtures.deployment(paused: paused)), now: Date())
        #expect(throws: RolloutPatch.Refusal(reason: reason)) { try result.get() }
    }
}
