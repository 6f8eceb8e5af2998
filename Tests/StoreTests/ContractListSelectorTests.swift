import Model
import Store
import Testing
import TestSupport

/// One selector and the `namespace/name`s it should list, in order.
struct SelectorCase: Sendable, CustomStringConvertible {
    var selector: String
    var expected: [String]
    var description: String { "\"\(selector)\"" }
}

/// The store contract for list filters: namespace, label selector, field selector and ordering.
@Suite struct ContractListSelectorTests {
    static let labelCases: [SelectorCase] = [
        SelectorCase(selector: "", expected: ["default/a", "default/b", "default/c", "default/d", "default/e"]),
        SelectorCase(selector: "app=web", expected: ["default/a", "default/b"]),
        SelectorCase(selector: "app==web", expected: ["default/a", "default/b"]),
        SelectorCase(selector: "app!=web", expected: ["default/c", "default/d", "default/e"]),
        SelectorCase(selector: "app in (web,db)", expected: ["default/a", "default/b", "default/c"]),
        SelectorCase(selector: "app notin (web)", expected: ["default/c", "default/d", "default/e"]),
        SelectorCase(selector: "tier notin (a,b)", expected: ["default/d", "default/e"]),
        SelectorCase(selector: "app", expected: ["default/a", "default/b", "default/c"]),
        SelectorCase(selector: "!app", expected: ["default/d", "default/e"]),
        SelectorCase(selector: "app=web,tier=b", expected: ["default/b"]),
        SelectorCase(selector: "app=nothing", expected: []),
    ]

    @Test(arguments: StoreFactory.all, labelCases)
    func labelSelectorsSelectByEveryOperator(factory: StoreFactory, selectorCase: SelectorCase) throws {
        let store = try factory.make()
        defer { store.close() }
        // Created out of order so the result order comes from the store.
        try store.create(ObjectBuilders.pod("e", labels: ["tier": "c"]))
        try store.create(ObjectBuilders.pod("a", labels: ["app": "web", "tier": "a"]))
        try store.create(ObjectBuilders.pod("c", labels: ["app": "db", "tier": "a"]))
        try store.create(ObjectBuilders.pod("b", labels: ["app": "web", "tier": "b"]))
        try store.create(ObjectBuilders.pod("d"))
        try store.create(ObjectBuilders.job("a", labels: ["app": "web"]), resource: "jobs.batch")

        let selector = try LabelSelector.parse(selectorCase.selector)
        #expect(try store.names(ListQuery(resource: "pods", labelSelector: selector)) == selectorCase.expected)
    }

    static let podFieldCases: [SelectorCase] = [
        SelectorCase(selector: "metadata.name=p1", expected: ["x/p1", "y/p1"]),
        SelectorCase(selector: "metadata.name!=p1", expected: ["x/p2", "y/p4"]),
        SelectorCase(selector: "metadata.namespace=y", expected: ["y/p1", "y/p4"]),
        SelectorCase(selector: "spec.nodeName=n1", expected: ["x/p1"]),
        SelectorCase(selector: "spec.nodeName=", expected: ["y/p1", "y/p4"]),
        SelectorCase(selector: "spec.nodeName!=", expected: ["x/p1", "x/p2"]),
        SelectorCase(selector: "status.phase=Pending", expected: ["x/p2", "y/p1"]),
        SelectorCase(selector: "status.phase!=Running", expected: ["x/p2", "y/p1", "y/p4"]),
        SelectorCase(selector: "spec.nodeName=,status.phase==Pending", expected: ["y/p1"]),
        SelectorCase(selector: "metadata.name=p1,metadata.namespace=y", expected: ["y/p1"]),
    ]

    @Test(arguments: StoreFactory.all, podFieldCases)
    func podFieldSelectorsSelectAcrossNamespaces(factory: StoreFactory, selectorCase: SelectorCase) throws {
        let store = try factory.make()
        defer { store.close() }
        try store.create(ObjectBuilders.pod("p4", namespace: "y"))
        try store.create(ObjectBuilders.pod("p2", namespace: "x", nodeName: "n2", phase: "Pending"))
        try store.create(ObjectBuilders.pod("p1", namespace: "y", phase: "Pending"))
        try store.create(ObjectBuilders.pod("p1", namespace: "x", nodeName: "n1", phase: "Running"))

        let selector = try FieldSelector.parse(selectorCase.selector, for: ResourceCatalog.pods)
        #expect(try store.names(ListQuery(resource: "pods", fieldSelector: selector)) == selectorCase.expected)
    }

    static let eventFieldCases: [SelectorCase] = [
        SelectorCase(selector: "involvedObject.kind=Pod", expected: ["x/e1", "y/e3"]),
        SelectorCase(selector: "involvedObject.name=j1", expected: ["x/e2"]),
        SelectorCase(selector: "involvedObject.kind=Pod,involvedObject.namespace=y", expected: ["y/e3"]),
        SelectorCase(selector: "type=Warning", expected: ["y/e3"]),
        SelectorCase(selector: "reason!=Scheduled", expected: ["x/e2", "y/e3"]),
    ]

    @Test(arguments: StoreFactory.all, eventFieldCases)
    func eventFieldSelectorsSelectByInvolvedObject(factory: StoreFactory, selectorCase: SelectorCase) throws {
        let store = try factory.make()
        defer { store.close() }
        try store.create(ObjectBuilders.event("e3", namespace: "y", involvedKind: "Pod", involvedName: "p3",
                                              reason: "Failed", type: "Warning"), resource: "events")
        try store.create(ObjectBuilders.event("e1", namespace: "x", involvedKind: "Pod", involvedName: "p1"), resource: "events")
        try store.create(ObjectBuilders.event("e2", namespace: "x", involvedKind: "Job", involvedName: "j1",
                                              reason: "Completed"), resource: "events")

        let selector = try FieldSelector.parse(selectorCase.selector, for: ResourceCatalog.events)
        #expect(try store.names(ListQuery(resource: "events", fieldSelector: selector)) == selectorCase.expected)
    }

    @Test(arguments: StoreFactory.all)
    func labelAndFieldSelectorsCombineWithTheNamespace(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        try store.create(ObjectBuilders.pod("a", namespace: "x", labels: ["app": "web"], nodeName: "n1"))
        try store.create(ObjectBuilders.pod("b", namespace: "x", labels: ["app": "web"]))
        try store.create(ObjectBuilders.pod("c", namespace: "y", labels: ["app": "web"], nodeName: "n1"))

        let query = ListQuery(resource: "pods", namespace: "x", labelSelector: try LabelSelector.parse("app=web"),
                              fieldSelector: try FieldSelector.parse("spec.nodeName=n1", for: ResourceCatalog.pods))
        #expect(try store.names(query) == ["x/a"])
    }

    @Test(arguments: StoreFactory.all)
    func listsOrderByNamespaceThenNameAndFilterByNamespace(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        for (namespace, name) in [("b", "z"), ("a", "y"), ("b", "a"), ("a-b", "m"), ("a", "b"), ("c", "a"), ("b", "a-1")] {
            try store.create(ObjectBuilders.pod(name, namespace: namespace))
        }
        try store.create(ObjectBuilders.job("j", namespace: "b"), resource: "jobs.batch")

        #expect(try store.names(ListQuery(resource: "pods")) == ["a/b", "a/y", "a-b/m", "b/a", "b/a-1", "b/z", "c/a"])
        #expect(try store.names(ListQuery(resource: "pods", namespace: "b")) == ["b/a", "b/a-1", "b/z"])
        #expect(try store.names(ListQuery(resource: "pods", namespace: "a")) == ["a/b", "a/y"])
        #expect(try store.names(ListQuery(resource: "pods", namespace: "nothing")) == [])
        #expect(try store.names(ListQuery(resource: "jobs.batch")) == ["b/j"])
    }

    @Test(arguments: StoreFactory.all)
    func aListIsConsistentAtTheCurrentResourceVersion(factory: StoreFactory) throws {
        let store = try factory.make()
        defer { store.close() }
        try store.create(ObjectBuilders.pod("a"))
        try store.create(ObjectBuilders.job("j"), resource: "jobs.batch")
        let current = try store.currentResourceVersion()

        let pods = try store.list(ListQuery(resource: "pods"))
        #expect(pods.resourceVersion == current)
        #expect(pods.continueToken == nil)
        let empty = try store.list(ListQuery(resource: "cronjobs.batch"))
        #expect(empty.items.isEmpty)
        #expect(empty.resourceVersion == current)
    }
}
