@testable import Controllers
import Model
import Testing

@Suite struct PodClaimTests {
    static func job(selector: JSONValue?, deleting: Bool = false) -> JobView {
        var job: JSONValue = ["metadata": ["name": "pi", "namespace": "default", "uid": "job-uid"], "spec": [:]]
        if let selector { job.setValue(selector, at: ["spec", "selector"]) }
        if deleting { job.setValue("2026-01-01T00:00:00Z", at: ["metadata", "deletionTimestamp"]) }
        return JobView(job)
    }

    static func pod(_ name: String, labels: [String: String], controller: String? = nil, deleting: Bool = false) -> PodView {
        var metadata: JSONValue = ["name": .string(name), "namespace": "default", "uid": .string("uid-\(name)"), "labels": .stringMap(labels)]
        if let controller {
            metadata["ownerReferences"] = [OwnerReference.controlling(apiVersion: "batch/v1", kind: "Job", name: "x", uid: controller).json]
        }
        if deleting { metadata["deletionTimestamp"] = "2026-01-01T00:00:00Z" }
        return PodView(["metadata": metadata])
    }

    static let selector: JSONValue = ["matchLabels": ["app": "pi"]]

    @Test func matchingOrphansAreAdoptedAndNothingElse() {
        let candidates = [Self.pod("match", labels: ["app": "pi"]), Self.pod("other", labels: ["app": "web"]),
                          Self.pod("leaving", labels: ["app": "pi"], deleting: true),
                          Self.pod("owned-elsewhere", labels: ["app": "pi"], controller: "someone")]
        let claim = PodClaim.claim(job: Self.job(selector: Self.selector), owned: [], candidates: candidates)
        #expect(claim.adopt.map(\.name) == ["match"])
        #expect(claim.release.isEmpty)
    }

    @Test func aJobBeingDeletedOrWithoutASelectorAdoptsNothing() {
        let candidates = [Self.pod("match", labels: ["app": "pi"])]
        #expect(PodClaim.claim(job: Self.job(selector: Self.selector, deleting: true), owned: [], candidates: candidates).adopt.isEmpty)
        #expect(PodClaim.claim(job: Self.job(selector: nil), owned: [], candidates: candidates).adopt.isEmpty)
        #expect(PodClaim.claim(job: Self.job(selector: [:]), owned: [], candidates: candidates).adopt.isEmpty)
    }

    @Test func ownedPodsThatNoLongerMatchAreReleased() {
        let owned = [Self.pod("kept", labels: ["app": "pi"], controller: "job-uid"),
                     Self.pod("relabelled", labels: ["app": "debug"], controller: "job-uid"),
                     Self.pod("relabelled-leaving", labels: ["app": "debug"], controller: "job-uid", deleting: true)]
        let claim = PodClaim.claim(job: Self.job(selector: Self.selector), owned: owned, candidates: [])
        #expect(claim.release.map(\.name) == ["relabelled"])
    }
}
