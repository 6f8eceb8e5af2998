import Foundation
import Model
import Testing
@testable import Controllers

/// maxSurge / maxUnavailable arithmetic, the template hash and revisions.
@Suite struct DeploymentArithmeticTests {
    @Test(arguments: [
        // (maxSurge, maxUnavailable, replicas) → (surge, unavailable)
        ("25%", "25%", 4, 1, 1),
        ("25%", "25%", 3, 1, 0),    // surge ceil(0.75) = 1, unavailable floor(0.75) = 0
        ("25%", "25%", 10, 3, 2),   // ceil(2.5) = 3, floor(2.5) = 2
        ("0", "0", 3, 0, 1),        // both 0 would never progress: unavailable 1
        ("0%", "0%", 10, 0, 1),
        ("1", "0", 3, 1, 0),
        ("50%", "100%", 5, 3, 5),
        ("33%", "1", 1, 1, 1),      // ceil(0.33) = 1
    ] as [(String, String, Int, Int, Int)])
    func fenceposts(_ surge: String, _ unavailable: String, _ replicas: Int, _ wantSurge: Int, _ wantUnavailable: Int) {
        func value(_ text: String) -> JSONValue { Int64(text).map(JSONValue.int) ?? .string(text) }
        let result = RolloutBounds.fenceposts(maxSurge: value(surge), maxUnavailable: value(unavailable), desired: replicas)
        #expect(result.surge == wantSurge && result.unavailable == wantUnavailable)
    }

    @Test func maxUnavailableIsCappedAtReplicasAndZeroForRecreate() {
        let strategy: JSONValue = ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": 0, "maxUnavailable": 5]]
        #expect(RolloutBounds.maxUnavailable(DeploymentView(DeploymentFixtures.deployment(replicas: 2, strategy: strategy))) == 2)
        let recreate = DeploymentView(DeploymentFixtures.deployment(strategy: ["type": "Recreate"]))
        #expect(RolloutBounds.maxUnavailable(recreate) == 0 && RolloutBounds.maxSurge(recreate) == 0)
    }

    @Test func hashIsStableAcrossKeyOrderAndChangesWithTemplateAndCollisionCount() {
        let a: JSONValue = ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "main", "image": "x"]]]]
        let b: JSONValue = ["spec": ["containers": [["image": "x", "name": "main"]]], "metadata": ["labels": ["app": "web"]]]
        let hash = TemplateHash.compute(a, collisionCount: nil)
        #expect(hash == TemplateHash.compute(b, collisionCount: nil))
        #expect(hash.allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
        #expect(hash != TemplateHash.compute(a, collisionCount: 1))
        #expect(hash != TemplateHash.compute(DeploymentFixtures.template("700"), collisionCount: nil))
    }

    @Test func templatesCompareWithoutTheHashLabel() {
        var labelled = DeploymentFixtures.template()
        labelled.setValue("abc", at: ["metadata", "labels", DeploymentView.podTemplateHashLabel])
        #expect(TemplateHash.equalIgnoringHash(labelled, DeploymentFixtures.template()))
        #expect(!TemplateHash.equalIgnoringHash(labelled, DeploymentFixtures.template("700")))
        // kubectl rollout undo sends the template with "creationTimestamp": null.
        labelled.setValue(.null, at: ["metadata", "creationTimestamp"])
        #expect(TemplateHash.equalIgnoringHash(labelled, DeploymentFixtures.template()))
    }

    @Test func aReusedReplicaSetTakesTheNextRevisionAndRemembersItsOldOne() {
        let d = DeploymentView(DeploymentFixtures.deployment(annotations: ["kubernetes.io/change-cause": "undo",
                                                                         DeploymentView.revisionAnnotation: "2"]))
        let current = [DeploymentView.revisionAnnotation: "1"]
        let next = DeploymentRevisions.newReplicaSetAnnotations(current, deployment: d, newRevision: 3, creating: false)
        #expect(next[DeploymentView.revisionAnnotation] == "3")
        #expect(next[DeploymentView.revisionHistoryAnnotation] == "1")
        #expect(next["kubernetes.io/change-cause"] == "undo")
        // Already at (or above) the revision: unchanged.
        #expect(DeploymentRevisions.newReplicaSetAnnotations(next, deployment: d, newRevision: 3, creating: false) == next)
        let created = DeploymentRevisions.newReplicaSetAnnotations([:], deployment: d, newRevision: 1, creating: true)
        #expect(created[DeploymentView.desiredReplicasAnnotation] == "3" && created[DeploymentView.maxReplicasAnnotation] == "4")
    }
}
