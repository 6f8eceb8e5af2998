import Model
import Store
import Testing
import TestSupport

/// The store contract for single objects: create, get, update and delete.
@Suite struct ContractObjectTests {
    @Test(arguments: StoreFactory.all)
    func createThenGetReturnsTheStoredObject(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        let pod = ObjectBuilders.pod("a", labels: ["app": "web"], nodeName: "n1", phase: "Running")
        let created = try store.create(podKey("a"), uid: "uid-a", json: pod.serialized())

        #expect(created.key == podKey("a"))
        #expect(created.uid == "uid-a")
        #expect(try store.get(podKey("a")) == created)
        var expected = pod
        expected.setValue(.string(String(created.resourceVersion)), at: ["metadata", "resourceVersion"])
        #expect(try created.parsed() == expected)
        #expect(created.json == (try created.parsed()).serialized(), "bodies are compact JSON")
    }

    @Test(arguments: StoreFactory.all)
    func createOfATakenKeyIsAlreadyExists(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        try store.create(ObjectBuilders.pod("a"))

        #expect(throws: StoreError.alreadyExists(podKey("a"))) { try store.create(ObjectBuilders.pod("a")) }
    }

    @Test(arguments: StoreFactory.all)
    func getOfAMissingKeyIsNotFound(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        try store.create(ObjectBuilders.pod("a"))

        #expect(throws: StoreError.notFound(podKey("b"))) { try store.get(podKey("b")) }
        #expect(throws: StoreError.notFound(podKey("a", "other"))) { try store.get(podKey("a", "other")) }
        let jobKey = ObjectKey(resource: "jobs.batch", namespace: "default", name: "a")
        #expect(throws: StoreError.notFound(jobKey)) { try store.get(jobKey) }
    }

    @Test(arguments: StoreFactory.all)
    func resourceVersionsStrictlyIncreaseAcrossResourcesAndAreWrittenIntoTheBody(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        var pod = ObjectBuilders.pod("a")
        let a1 = try store.create(pod)
        let job = try store.create(ObjectBuilders.job("j"), resource: "jobs.batch")
        pod["spec"]?["nodeName"] = "n1"
        let a2 = try store.update(pod, ifResourceVersion: a1.resourceVersion)
        let event = try store.create(ObjectBuilders.event("e", involvedKind: "Pod", involvedName: "a"), resource: "events")
        let gone = try store.delete(job.key, ifResourceVersion: nil)

        let writes = [a1, job, a2, event, gone]
        for (earlier, later) in zip(writes, writes.dropFirst()) {
            #expect(earlier.resourceVersion < later.resourceVersion)
        }
        for object in writes {
            #expect(try object.bodyResourceVersion() == String(object.resourceVersion))
        }
        #expect(try store.currentResourceVersion() == gone.resourceVersion)
    }

    @Test(arguments: StoreFactory.all)
    func createOverwritesAResourceVersionInTheGivenBody(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        var pod = ObjectBuilders.pod("a")
        pod.setValue("999999", at: ["metadata", "resourceVersion"])
        let created = try store.create(pod)

        #expect(try created.bodyResourceVersion() == String(created.resourceVersion))
        #expect(try store.get(podKey("a")).bodyResourceVersion() == String(created.resourceVersion))
    }

    @Test(arguments: StoreFactory.all)
    func updateReplacesTheBodyAndKeepsTheUid(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        let created = try store.create(podKey("a"), uid: "uid-a", json: ObjectBuilders.pod("a").serialized())
        let bound = ObjectBuilders.pod("a", nodeName: "n1", phase: "Pending")
        let updated = try store.update(bound, ifResourceVersion: created.resourceVersion)

        #expect(updated.uid == "uid-a")
        #expect(updated.resourceVersion > created.resourceVersion)
        #expect(try updated.bodyWithoutResourceVersion() == bound)
        #expect(try updated.bodyResourceVersion() == String(updated.resourceVersion))
        #expect(try store.get(podKey("a")) == updated)
    }

    @Test(arguments: StoreFactory.all)
    func updateAtAStaleResourceVersionConflictsNamingTheCurrentOne(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        let created = try store.create(ObjectBuilders.pod("a"))
        let updated = try store.update(ObjectBuilders.pod("a", phase: "Pending"), ifResourceVersion: created.resourceVersion)

        #expect(throws: StoreError.conflict(podKey("a"), current: updated.resourceVersion)) {
            try store.update(ObjectBuilders.pod("a", phase: "Running"), ifResourceVersion: created.resourceVersion)
        }
        #expect(try store.get(podKey("a")) == updated, "a failed compare-and-swap changes nothing")
    }

    @Test(arguments: StoreFactory.all)
    func updateOfAMissingOrDeletedObjectIsNotFound(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        #expect(throws: StoreError.notFound(podKey("a"))) {
            try store.update(ObjectBuilders.pod("a"), ifResourceVersion: 1)
        }
        let created = try store.create(ObjectBuilders.pod("b"))
        try store.delete(podKey("b"))
        #expect(throws: StoreError.notFound(podKey("b"))) {
            try store.update(ObjectBuilders.pod("b"), ifResourceVersion: created.resourceVersion)
        }
    }

    @Test(arguments: StoreFactory.all)
    func deleteReturnsTheLastStateStampedWithANewResourceVersion(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        let created = try store.create(podKey("a"), uid: "uid-a", json: ObjectBuilders.pod("a", phase: "Running").serialized())
        let deleted = try store.delete(podKey("a"), ifResourceVersion: nil)

        #expect(deleted.key == podKey("a"))
        #expect(deleted.uid == "uid-a")
        #expect(deleted.resourceVersion > created.resourceVersion)
        #expect(try deleted.bodyResourceVersion() == String(deleted.resourceVersion))
        #expect(try deleted.bodyWithoutResourceVersion() == created.bodyWithoutResourceVersion())
        #expect(try store.currentResourceVersion() == deleted.resourceVersion)
        #expect(throws: StoreError.notFound(podKey("a"))) { try store.get(podKey("a")) }
        #expect(throws: StoreError.notFound(podKey("a"))) { try store.delete(podKey("a"), ifResourceVersion: nil) }
    }

    @Test(arguments: StoreFactory.all)
    func deleteAtAStaleResourceVersionConflictsAndAtTheCurrentOneSucceeds(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        let created = try store.create(ObjectBuilders.pod("a"))
        let updated = try store.update(ObjectBuilders.pod("a", phase: "Running"), ifResourceVersion: created.resourceVersion)

        #expect(throws: StoreError.conflict(podKey("a"), current: updated.resourceVersion)) {
            try store.delete(podKey("a"), ifResourceVersion: created.resourceVersion)
        }
        #expect(try store.get(podKey("a")) == updated)
        let deleted = try store.delete(podKey("a"), ifResourceVersion: updated.resourceVersion)
        #expect(deleted.resourceVersion > updated.resourceVersion)
    }

    @Test(arguments: StoreFactory.all)
    func aDeletedKeyCanBeCreatedAgainWithANewUid(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        _ = try store.create(podKey("a"), uid: "first", json: ObjectBuilders.pod("a").serialized())
        try store.delete(podKey("a"))
        let again = try store.create(podKey("a"), uid: "second", json: ObjectBuilders.pod("a").serialized())

        #expect(try store.get(podKey("a")) == again)
        #expect(again.uid == "second")
    }

    @Test(arguments: StoreFactory.all)
    func theSameNameInAnotherNamespaceOrResourceIsAnotherObject(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        let inDefault = try store.create(ObjectBuilders.pod("a"))
        let inOther = try store.create(ObjectBuilders.pod("a", namespace: "other"))
        let job = try store.create(ObjectBuilders.job("a"), resource: "jobs.batch")

        #expect(try store.get(podKey("a")) == inDefault)
        #expect(try store.get(podKey("a", "other")) == inOther)
        #expect(try store.get(job.key) == job)
        try store.delete(podKey("a"))
        #expect(try store.get(podKey("a", "other")) == inOther)
        #expect(try store.get(job.key) == job)
    }
}
