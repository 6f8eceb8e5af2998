import Foundation
import Model
import Testing

/// An update validates what it changes: parts equal to the stored object were validated when they
/// were written (a finalizer removed does not walk the pod spec again), changed parts still are.
@Suite struct AdmissionUnchangedTests {
    let pods = ResourceCatalog.pods

    /// A stored pod (defaults applied when it was created) whose container name and label key a
    /// newer rule would refuse, as an object written before that rule existed would be.
    var stored: JSONValue {
        let created = (try? Fixture.admit(Fixture.pod, pods).get()) ?? .null
        return created.setting("spec.containers.0.name", "Bad_Name")
            .setting("metadata.labels", ["bad key": "v"]).setting("metadata.finalizers", ["example.com/hold"])
    }

    @Test func anUpdateTouchingOnlyFinalizersOrOwnersIsNotRefusedForUnchangedParts() {
        let released = stored.setting("metadata.finalizers", [])
        #expect(Fixture.causes(released, pods, .update(old: stored)).isEmpty)
        let owned = stored.setting("metadata.ownerReferences", [["apiVersion": "batch/v1", "kind": "Job", "name": "j", "uid": "u"]])
        #expect(Fixture.causes(owned, pods, .update(old: stored)).isEmpty)
    }

    @Test func changedPartsAreStillValidated() {
        // A new bad label, a new bad owner reference, a changed spec: each is refused.
        let relabelled = stored.setting("metadata.labels", ["bad key": "v", "also bad": "v"])
        #expect(Fixture.causes(relabelled, pods, .update(old: stored)).map(\.field).contains("metadata.labels"))
        let badOwner = stored.setting("metadata.ownerReferences", [["apiVersion": "batch/v1", "kind": "Job", "name": "j"]])
        #expect(Fixture.causes(badOwner, pods, .update(old: stored)).map(\.field).contains("metadata.ownerReferences.uid"))
        let respec = stored.setting("spec.activeDeadlineSeconds", 30)
        #expect(Fixture.causes(respec, pods, .update(old: stored)).map(\.field).contains("spec.containers[0].name"))
        // And a create validates everything.
        #expect(!Fixture.causes(stored, pods).isEmpty)
    }
}
