@testable import APIServer
import Foundation
import Model
import Store
import Testing
import TestSupport

@Suite struct EventExpiryTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// An event whose timestamps are `ago` seconds before `now` (nil leaves the field out).
    static func event(_ name: String, created: Double?, last: Double? = nil, eventTime: Double? = nil,
                      seriesObserved: Double? = nil) -> JSONValue {
        func stamp(_ ago: Double?) -> JSONValue? { ago.map { .string(Timestamp.format(now.addingTimeInterval(-$0))) } }
        var e: JSONValue = ["apiVersion": "v1", "kind": "Event", "metadata": ["name": .string(name), "namespace": "default"],
                            "reason": "Started", "involvedObject": ["kind": "Pod", "name": "p"]]
        e.setValue(stamp(created), at: ["metadata", "creationTimestamp"])
        e["lastTimestamp"] = stamp(last)
        e["eventTime"] = stamp(eventTime)
        if let observed = stamp(seriesObserved) { e["series"] = ["count": 3, "lastObservedTime": observed] }
        return e
    }

    // (created, lastTimestamp, eventTime, series.lastObservedTime seconds ago) → seconds ago of the last activity
    @Test(arguments: [
        (7200.0, nil, nil, nil, 7200.0),          // only the creation
        (7200, 60, nil, nil, 60),                 // repeated a minute ago (core/v1 count bump)
        (7200, 5000, 30, nil, 30),                // events.k8s.io eventTime
        (7200, 5000, nil, 10, 10),                // a series observed 10 s ago
    ] as [(Double?, Double?, Double?, Double?, Double)])
    func lastActivityIsTheNewestTimestamp(_ created: Double?, _ last: Double?, _ eventTime: Double?, _ observed: Double?,
                                          _ expected: Double) {
        let e = Self.event("e", created: created, last: last, eventTime: eventTime, seriesObserved: observed)
        #expect(EventExpiry.lastActivity(of: e) == Self.now.addingTimeInterval(-expected))
    }

    @Test(arguments: StoreFactory.all)
    func sweepDeletesOnlyEventsIdleLongerThanTheTTL(_ factory: StoreFactory) throws {
        let store = try factory.make()
        let expiry = EventExpiry(store: store, ttlSeconds: 3600, clock: { Self.now })
        defer { expiry.stop() }
        let events = [Self.event("old", created: 7200), Self.event("recent", created: 600),
                      Self.event("old-but-repeated", created: 7200, last: 60), Self.event("undated", created: nil),
                      Self.event("other-kind-untouched", created: 7200)]
        for e in events {
            let name = e.value(at: ["metadata", "name"])?.string ?? ""
            let resource = name == "other-kind-untouched" ? ResourceCatalog.pods.storageName : ResourceCatalog.events.storageName
            _ = try store.create(ObjectKey(resource: resource, namespace: "default", name: name), uid: name, json: e.serialized())
        }
        #expect(expiry.sweep(now: Self.now) == 1)
        let left = try store.list(ListQuery(resource: ResourceCatalog.events.storageName)).items.map(\.key.name)
        #expect(left == ["old-but-repeated", "recent", "undated"])
        #expect((try? store.get(ObjectKey(resource: ResourceCatalog.pods.storageName, namespace: "default",
                                          name: "other-kind-untouched"))) != nil)
    }

    @Test func sweepFollowsContinueTokensPastOnePage() throws {
        let store = MemoryStore()
        let expiry = EventExpiry(store: store, ttlSeconds: 3600, clock: { Self.now })
        defer { expiry.stop() }
        for i in 0..<1203 {
            let name = String(format: "e-%04d", i)
            _ = try store.create(ObjectKey(resource: ResourceCatalog.events.storageName, namespace: "default", name: name),
                                 uid: name, json: Self.event(name, created: i % 2 == 0 ? 7200 : 60).serialized())
        }
        #expect(expiry.sweep(now: Self.now) == 602)
        #expect(try store.list(ListQuery(resource: ResourceCatalog.events.storageName)).items.count == 601)
    }
}
