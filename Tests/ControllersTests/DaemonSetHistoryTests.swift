import Foundation
import Model
import Testing
@testable import Controllers

/// DaemonSet history as ControllerRevisions (upstream's constructHistory and cleanupHistory).
@Suite struct DaemonSetHistoryTests {
    typealias F = DaemonSetFixtures

    func stored(_ revision: JSONValue, uid: String) -> JSONValue {
        var copy = revision
        copy.setValue(.string(uid), at: ["metadata", "uid"])
        return copy
    }

    @Test func theFirstSyncSnapshotsTheTemplateAsRevisionOne() {
        let ds = DaemonSetView(F.daemonSet())
        let plan = DaemonSetHistory.plan(ds, revisions: [])
        #expect(plan.create)
        #expect(DaemonSetHistory.revisionNumber(plan.current) == 1)
        let meta = ObjectMetaView(plan.current["metadata"])
        #expect(meta.name == "agent-" + plan.hash)
        #expect(meta.labels == ["app": "agent", "controller-revision-hash": plan.hash])
        #expect(meta.controllerReference?.uid == "ds-uid")
        #expect(plan.current.value(at: ["data", "spec", "template", "$patch"]) == "replace")
        #expect(DaemonSetHistory.template(of: plan.current) == ds.template)
        #expect(DaemonSetHistory.matches(ds, plan.current))
    }

    @Test func aNewTemplateGetsTheNextNumberAndARollbackRenumbersTheOldRevision() {
        let v1 = DaemonSetView(F.daemonSet(image: "v1"))
        let r1 = stored(DaemonSetHistory.plan(v1, revisions: []).current, uid: "r1")
        let v2 = DaemonSetView(F.daemonSet(image: "v2"))
        let second = DaemonSetHistory.plan(v2, revisions: [r1])
        #expect(second.create)
        #expect(DaemonSetHistory.revisionNumber(second.current) == 2)
        #expect(second.hash != DaemonSetHistory.hash(of: r1))
        let r2 = stored(second.current, uid: "r2")
        let back = DaemonSetHistory.plan(v1, revisions: [r1, r2])
        #expect(!back.create)
        #expect(back.renumber == 3)
        #expect(back.hash == DaemonSetHistory.hash(of: r1))
        #expect(back.old.map { ObjectMetaView($0["metadata"]).uid } == ["r2"])
        // A template written back by kubectl with null members still matches.
        var withNulls = F.daemonSet(image: "v1")
        withNulls.setValue(.null, at: ["spec", "template", "metadata", "creationTimestamp"])
        #expect(DaemonSetHistory.plan(DaemonSetView(withNulls), revisions: [r1, r2]).renumber == 3)
    }

    @Test func duplicatesOfTheCurrentTemplateAreDroppedKeepingTheNewest() {
        let ds = DaemonSetView(F.daemonSet())
        var older = stored(DaemonSetHistory.snapshot(ds, revision: 1), uid: "a")
        older.setValue("agent-older", at: ["metadata", "name"])
        let newer = stored(DaemonSetHistory.snapshot(ds, revision: 4), uid: "b")
        let plan = DaemonSetHistory.plan(ds, revisions: [older, newer])
        #expect(ObjectMetaView(plan.current["metadata"]).uid == "b")
        #expect(plan.renumber == nil)
        #expect(plan.duplicates.map { ObjectMetaView($0["metadata"]).uid } == ["a"])
    }

    @Test func oldRevisionsBeyondTheLimitArePrunedOldestFirstSparingLiveHashes() {
        let old = (1...5).map { n -> JSONValue in
            var r = DaemonSetHistory.snapshot(DaemonSetView(F.daemonSet(image: "v\(n)")), revision: Int64(n))
            r.setValue(.string("h\(n)"), at: ["metadata", "labels", "controller-revision-hash"])
            return r
        }
        let numbers = { (rs: [JSONValue]) in rs.map(DaemonSetHistory.revisionNumber) }
        #expect(numbers(DaemonSetHistory.prunable(old.reversed(), limit: 2, liveHashes: [])) == [1, 2, 3])
        #expect(numbers(DaemonSetHistory.prunable(old, limit: 2, liveHashes: ["h1"])) == [2, 3, 4])
        #expect(DaemonSetHistory.prunable(old, limit: 10, liveHashes: []).isEmpty)
        #expect(numbers(DaemonSetHistory.prunable(old, limit: 0, liveHashes: []))  == [1, 2, 3, 4, 5])
    }
}
