import Model
import Store
import Testing
import TestSupport

/// The store contract for paged lists: limit, continue tokens, consistency across pages and expiry.
@Suite struct ContractListPagingTests {
    @Test(arguments: StoreFactory.all)
    func pagesConcatenateToTheFullList(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        for n in 0..<23 {
            let namespace = ["x", "y", "z"][n % 3]
            try store.create(ObjectBuilders.pod("p\(n)", namespace: namespace, labels: ["parity": n % 2 == 0 ? "even" : "odd"]))
        }
        let queries = [
            ListQuery(resource: "pods"),
            ListQuery(resource: "pods", namespace: "y"),
            ListQuery(resource: "pods", labelSelector: try LabelSelector.parse("parity=even")),
            ListQuery(resource: "pods", namespace: "z", fieldSelector: try FieldSelector.parse("metadata.name!=p2", for: ResourceCatalog.pods)),
        ]
        for query in queries {
            let full = try store.list(query)
            for limit in [1, 4, full.items.count, 50] {
                var paged = query
                paged.limit = limit
                let pages = try store.pages(paged)
                #expect(pages.flatMap(\.items).map(\.summary) == full.items.map(\.summary), "limit \(limit) of \(query)")
                #expect(pages.allSatisfy { $0.resourceVersion == full.resourceVersion })
                #expect(pages.allSatisfy { $0.items.count <= limit })
                var seen = 0
                for page in pages {
                    seen += page.items.count
                    if let remaining = page.remainingItemCount {
                        #expect(remaining == full.items.count - seen, "remainingItemCount counts the matches after the page")
                    }
                }
                #expect(pages.last?.continueToken == nil)
            }
        }
    }

    @Test(arguments: StoreFactory.all)
    func aLimitOfZeroListsEverything(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        for n in 0..<5 { try store.create(ObjectBuilders.pod("p\(n)")) }

        let page = try store.list(ListQuery(resource: "pods", limit: 0))
        #expect(page.items.count == 5)
        #expect(page.continueToken == nil)
    }

    @Test(arguments: StoreFactory.all)
    func aPagedListReturnsTheStateAtTheFirstPagesResourceVersion(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        for n in 0..<12 { try store.create(ObjectBuilders.pod(String(format: "p%02d", n))) }
        try store.create(ObjectBuilders.pod("q1", namespace: "other"))
        let snapshot = try store.list(ListQuery(resource: "pods"))

        let pages = try store.pages(ListQuery(resource: "pods", limit: 3)) { pagesSoFar in
            switch pagesSoFar {
            case 1:
                try store.delete(podKey("p05"))
                try store.delete(podKey("p01"))
                try self.modify(store, podKey("p07"))
                try store.create(ObjectBuilders.pod("p04a"))
                try store.create(ObjectBuilders.pod("a", namespace: "zz"))
            case 2:
                try self.modify(store, podKey("p10"))
                try self.modify(store, podKey("p10"))
                try store.delete(podKey("q1", "other"))
                try store.create(ObjectBuilders.pod("p11a"))
            case 3:
                try store.delete(podKey("p11"))
                try store.create(ObjectBuilders.pod("p05"))
            default:
                try store.create(ObjectBuilders.pod("p06a"))
                try store.delete(podKey("p06a"))
            }
        }

        #expect(pages[0].resourceVersion == snapshot.resourceVersion)
        #expect(pages.allSatisfy { $0.resourceVersion == snapshot.resourceVersion })
        #expect(pages.flatMap(\.items).map(\.summary) == snapshot.items.map(\.summary), "deleted-later objects stay, created-later ones are absent, modified-later ones keep their old body")
        let now = try store.names(ListQuery(resource: "pods"))
        #expect(now == ["default/p00", "default/p02", "default/p03", "default/p04", "default/p04a", "default/p05",
                        "default/p06", "default/p07", "default/p08", "default/p09", "default/p10", "default/p11a", "zz/a"])
    }

    @Test(arguments: StoreFactory.all)
    func aPagedSelectionKeepsObjectsThatStoppedMatchingLater(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        for n in 0..<8 { try store.create(ObjectBuilders.pod("p\(n)", labels: ["app": "web"])) }
        try store.create(ObjectBuilders.pod("p3a"))
        let query = ListQuery(resource: "pods", labelSelector: try LabelSelector.parse("app=web"), limit: 2)
        let snapshot = try store.list(ListQuery(resource: "pods", labelSelector: query.labelSelector))

        let pages = try store.pages(query) { pagesSoFar in
            guard pagesSoFar == 1 else { return }
            let p5 = try store.get(podKey("p5"))
            try store.update(ObjectBuilders.pod("p5"), ifResourceVersion: p5.resourceVersion)
            let p3a = try store.get(podKey("p3a"))
            try store.update(ObjectBuilders.pod("p3a", labels: ["app": "web"]), ifResourceVersion: p3a.resourceVersion)
        }

        #expect(pages.flatMap(\.items).map(\.summary) == snapshot.items.map(\.summary))
        #expect(pages.flatMap(\.items).map(\.key.name) == (0..<8).map { "p\($0)" })
    }

    @Test(arguments: StoreFactory.all)
    func anExactResourceVersionListsTheStateThenAndPagesFromIt(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        for n in 0..<6 { try store.create(ObjectBuilders.pod("p\(n)")) }
        try store.create(ObjectBuilders.pod("q", namespace: "other"))
        let snapshot = try store.list(ListQuery(resource: "pods"))
        try store.delete(podKey("p1"))
        try self.modify(store, podKey("p4"))
        try store.create(ObjectBuilders.pod("p2a"))

        var exact = ListQuery(resource: "pods").exactly(snapshot.resourceVersion)
        let then = try store.list(exact)
        #expect(then.resourceVersion == snapshot.resourceVersion)
        #expect(then.items.map(\.summary) == snapshot.items.map(\.summary))
        exact.limit = 2
        let pages = try store.pages(exact)
        #expect(pages.flatMap(\.items).map(\.summary) == snapshot.items.map(\.summary))
        #expect(pages.allSatisfy { $0.resourceVersion == snapshot.resourceVersion })
        #expect(try store.names(ListQuery(resource: "pods", namespace: "default").exactly(snapshot.resourceVersion)) == (0..<6).map { "default/p\($0)" })

        try store.compact(through: snapshot.resourceVersion + 1)
        #expect(throws: StoreError.self) { try store.list(ListQuery(resource: "pods").exactly(snapshot.resourceVersion)) }
    }

    @Test(arguments: StoreFactory.all)
    func aContinueTokenSurvivesCompactionThroughItsResourceVersion(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        for n in 0..<6 { try store.create(ObjectBuilders.pod("p\(n)")) }
        let snapshot = try store.list(ListQuery(resource: "pods"))

        let pages = try store.pages(ListQuery(resource: "pods", limit: 2)) { pagesSoFar in
            guard pagesSoFar == 1 else { return }
            try store.delete(podKey("p3"))
            try self.modify(store, podKey("p4"))
            try store.create(ObjectBuilders.pod("p2a"))
            try store.compact(through: snapshot.resourceVersion)
        }

        #expect(pages.flatMap(\.items).map(\.summary) == snapshot.items.map(\.summary))
    }

    @Test(arguments: StoreFactory.all)
    func aContinueTokenOlderThanTheCompactedHistoryIsExpired(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        for n in 0..<5 { try store.create(ObjectBuilders.pod("p\(n)")) }
        let first = try store.list(ListQuery(resource: "pods", limit: 2))
        let token = try #require(first.continueToken)
        let modified = try modify(store, podKey("p4"))
        try store.compact(through: modified.resourceVersion)

        #expect(throws: StoreError.expired(requested: first.resourceVersion, oldest: modified.resourceVersion)) {
            try store.list(ListQuery(resource: "pods", limit: 2, continueToken: token))
        }
    }

    @Test(arguments: StoreFactory.all, ["garbage!!", "bm90IGpzb24", "eyJmb28iOjF9", "%%%"])
    func aMalformedContinueTokenIsRejected(factory: StoreFactory, token: String) throws {
        let store = try factory.make()
        defer { store.close() }
        for n in 0..<3 { try store.create(ObjectBuilders.pod("p\(n)")) }

        #expect {
            try store.list(ListQuery(resource: "pods", limit: 1, continueToken: token))
        } throws: { error in
            if case StoreError.invalidContinueToken = error { return true }
            return false
        }
    }

    /// Updates the pod at `key` to a new body (a bumped `status.phase` counter).
    @discardableResult
    private func modify(_ store: any ObjectStore, _ key: ObjectKey) throws -> StoredObject {
        let current = try store.get(key)
        var body = try current.parsed()
        let count = (body.value(at: ["status", "observed"])?.int ?? 0) + 1
        body.setValue(.int(count), at: ["status", "observed"])
        return try store.update(key, json: body.serialized(), ifResourceVersion: current.resourceVersion)
    }
}
