import Client
import Controllers
import Model
import Testing

@Suite struct CollectionDecisionTests {
    static func ref(_ uid: String, block: Bool = false) -> OwnerReference {
        OwnerReference(apiVersion: "batch/v1", kind: "Job", name: "j-\(uid)", uid: uid, controller: true, blockOwnerDeletion: block)
    }

    struct Row: CustomTestStringConvertible, Sendable {
        var name: String
        var owners: [OwnerState]
        var hasDependents = false
        var finalizers: [String] = []
        var expected: CollectionDecision.DependentAction
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "no owners: keep", owners: [], expected: .keep),
        Row(name: "one solid owner: keep", owners: [.solid], expected: .keep),
        Row(name: "an unknown kind never causes a delete", owners: [.unresolvable], expected: .keep),
        Row(name: "only dangling owners: background delete", owners: [.dangling, .dangling], expected: .delete(.background)),
        Row(name: "solid + dangling: drop the dangling reference", owners: [.solid, .dangling], expected: .removeReferences(["u1"])),
        Row(name: "solid + waiting: drop the waiting reference so the owner does not wait forever",
            owners: [.solid, .waitingForDependents], expected: .removeReferences(["u1"])),
        Row(name: "waiting owner, dependents of its own: foreground delete", owners: [.waitingForDependents],
            hasDependents: true, expected: .delete(.foreground)),
        Row(name: "waiting owner, no dependents: background delete", owners: [.waitingForDependents], expected: .delete(.background)),
        Row(name: "an orphan finalizer already there is honoured", owners: [.dangling], finalizers: ["orphan"],
            expected: .delete(.orphan)),
        Row(name: "a foreground finalizer already there is honoured", owners: [.dangling], finalizers: ["foregroundDeletion"],
            expected: .delete(.foreground)),
    ]

    @Test(arguments: rows) func dependentDecisions(_ row: Row) {
        let owners = row.owners.enumerated().map { (Self.ref("u\($0.offset)"), $0.element) }
        #expect(CollectionDecision.forDependent(owners: owners, hasDependents: row.hasDependents, finalizers: row.finalizers)
                == row.expected)
    }

    @Test func aForegroundOwnerDeletesWhatIsNotDeletingAndWaitsForBlockers() {
        typealias D = CollectionDecision.Dependent
        let plan = CollectionDecision.forForegroundOwner(dependents: [
            D(key: "ns/a", uid: "a", blocksOwner: true, isDeleting: false, hasDependents: false),
            D(key: "ns/b", uid: "b", blocksOwner: true, isDeleting: true, hasDependents: false),
            D(key: "ns/c", uid: "c", blocksOwner: false, isDeleting: false, hasDependents: true),
        ])
        #expect(plan.delete.map(\.key) == ["ns/a", "ns/c"])
        #expect(plan.delete.map(\.policy) == [.background, .foreground], "a dependent with dependents waits for them too")
        #expect(!plan.removeFinalizer)
        // Only a non-blocking dependent left: the owner may go.
        let done = CollectionDecision.forForegroundOwner(dependents: [
            D(key: "ns/c", uid: "c", blocksOwner: false, isDeleting: true, hasDependents: false),
        ])
        #expect(done.delete.isEmpty && done.removeFinalizer)
        #expect(CollectionDecision.forForegroundOwner(dependents: []).removeFinalizer)
    }
}
