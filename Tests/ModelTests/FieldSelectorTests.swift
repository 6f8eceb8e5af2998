import Model
import Testing

/// A field selector on one resource, an object and whether the object matches.
struct FieldMatchCase: Sendable, CustomStringConvertible {
    var resource: ResourceInfo
    var selector: String
    var object: JSONValue
    var matches: Bool
    var description: String { "\(resource.plural) \"\(selector)\" on \(object.jsonString())" }
}

@Suite struct FieldSelectorTests {
    typealias R = FieldSelector.Requirement

    @Test func parsesEveryOperator() throws {
        let selector = try FieldSelector.parse("metadata.name=a, status.phase==Running ,spec.nodeName!=n1", for: ResourceCatalog.pods)
        #expect(selector.requirements == [
            R(field: "metadata.name", value: "a"),
            R(field: "status.phase", value: "Running"),
            R(field: "spec.nodeName", value: "n1", negated: true),
        ])
    }

    @Test func anEmptyValueSelectsTheMissingField() throws {
        let selector = try FieldSelector.parse("spec.nodeName=", for: ResourceCatalog.pods)
        #expect(selector.requirements == [R(field: "spec.nodeName", value: "")])
    }

    @Test func anEmptyTextSelectsEverything() throws {
        #expect(try FieldSelector.parse("", for: ResourceCatalog.pods).isEmpty)
        #expect(FieldSelector().matches(.emptyObject))
    }

    @Test(arguments: [
        ("spec.nodeName=n1", ResourceCatalog.jobs),
        ("status.phase=Running", ResourceCatalog.jobs),
        ("metadata.namespace=x", ResourceCatalog.nodes),
        ("metadata.labels=x", ResourceCatalog.pods),
        ("=x", ResourceCatalog.pods),
        ("spec.unschedulable=true", ResourceCatalog.pods),
    ])
    func rejectsUnsupportedFields(text: String, resource: ResourceInfo) {
        #expect(throws: SelectorError.self) { try FieldSelector.parse(text, for: resource) }
    }

    @Test func errorsNameTheProblem() {
        #expect(throws: SelectorError("field label not supported: spec.foo")) {
            try FieldSelector.parse("spec.foo=x", for: ResourceCatalog.pods)
        }
        #expect(throws: SelectorError("invalid field selector: \"metadata.name\": expected field=value")) {
            try FieldSelector.parse("metadata.name", for: ResourceCatalog.pods)
        }
    }

    @Test func supportsTheUpstreamFieldsOfEachResource() {
        let pods = FieldSelector.supportedFields(for: ResourceCatalog.pods)
        #expect(pods.isSuperset(of: ["metadata.name", "metadata.namespace", "spec.nodeName", "status.phase"]))
        let events = FieldSelector.supportedFields(for: ResourceCatalog.events)
        #expect(events.isSuperset(of: ["involvedObject.kind", "involvedObject.name", "involvedObject.uid", "reason", "type"]))
        #expect(FieldSelector.supportedFields(for: ResourceCatalog.nodes) == ["metadata.name", "spec.unschedulable"])
        #expect(FieldSelector.supportedFields(for: ResourceCatalog.namespaces) == ["metadata.name", "status.phase"])
        #expect(FieldSelector.supportedFields(for: ResourceCatalog.jobs) == ["metadata.name", "metadata.namespace", "status.successful"])
        #expect(FieldSelector.supportedFields(for: ResourceCatalog.deployments) == ["metadata.name", "metadata.namespace"])
    }

    static let boundPod: JSONValue = ["metadata": ["name": "a", "namespace": "x"], "spec": ["nodeName": "n1"],
                                      "status": ["phase": "Running"]]
    static let newPod: JSONValue = ["metadata": ["name": "b", "namespace": "x"], "spec": ["containers": []]]
    static let event: JSONValue = ["metadata": ["name": "e", "namespace": "x"], "reason": "Scheduled", "type": "Normal",
                                   "involvedObject": ["kind": "Pod", "name": "a", "namespace": "x"],
                                   "source": ["component": "scheduler"]]
    static let newEvent: JSONValue = ["metadata": ["name": "f", "namespace": "x"], "reportingComponent": "kubelet"]
    static let cordoned: JSONValue = ["metadata": ["name": "n1"], "spec": ["unschedulable": true]]
    static let node: JSONValue = ["metadata": ["name": "n2"], "spec": [:]]
    static let finishedJob: JSONValue = ["metadata": ["name": "j", "namespace": "x"], "status": ["succeeded": 1]]
    static let newJob: JSONValue = ["metadata": ["name": "k", "namespace": "x"], "spec": [:]]

    static let matchCases: [FieldMatchCase] = [
        FieldMatchCase(resource: ResourceCatalog.pods, selector: "metadata.name=a", object: boundPod, matches: true),
        FieldMatchCase(resource: ResourceCatalog.pods, selector: "metadata.name!=a", object: boundPod, matches: false),
        FieldMatchCase(resource: ResourceCatalog.pods, selector: "metadata.namespace=x", object: boundPod, matches: true),
        FieldMatchCase(resource: ResourceCatalog.pods, selector: "metadata.namespace=y", object: boundPod, matches: false),
        FieldMatchCase(resource: ResourceCatalog.pods, selector: "spec.nodeName=n1", object: boundPod, matches: true),
        FieldMatchCase(resource: ResourceCatalog.pods, selector: "spec.nodeName=", object: boundPod, matches: false),
        FieldMatchCase(resource: ResourceCatalog.pods, selector: "spec.nodeName=", object: newPod, matches: true),
        FieldMatchCase(resource: ResourceCatalog.pods, selector: "spec.nodeName!=", object: newPod, matches: false),
        FieldMatchCase(resource: ResourceCatalog.pods, selector: "status.phase=Running", object: boundPod, matches: true),
        FieldMatchCase(resource: ResourceCatalog.pods, selector: "status.phase!=Running", object: newPod, matches: true),
        FieldMatchCase(resource: ResourceCatalog.pods, selector: "spec.nodeName=n1,status.phase=Pending", object: boundPod, matches: false),
        FieldMatchCase(resource: ResourceCatalog.events, selector: "involvedObject.kind=Pod,involvedObject.name=a", object: event, matches: true),
        FieldMatchCase(resource: ResourceCatalog.events, selector: "involvedObject.namespace=y", object: event, matches: false),
        FieldMatchCase(resource: ResourceCatalog.events, selector: "reason=Scheduled,type=Normal", object: event, matches: true),
        FieldMatchCase(resource: ResourceCatalog.events, selector: "source=scheduler", object: event, matches: true),
        FieldMatchCase(resource: ResourceCatalog.events, selector: "source=kubelet", object: newEvent, matches: true),
        FieldMatchCase(resource: ResourceCatalog.events, selector: "reportingComponent=kubelet", object: newEvent, matches: true),
        FieldMatchCase(resource: ResourceCatalog.nodes, selector: "spec.unschedulable=true", object: cordoned, matches: true),
        FieldMatchCase(resource: ResourceCatalog.nodes, selector: "spec.unschedulable=false", object: node, matches: true),
        FieldMatchCase(resource: ResourceCatalog.nodes, selector: "spec.unschedulable!=true", object: cordoned, matches: false),
        FieldMatchCase(resource: ResourceCatalog.jobs, selector: "status.successful=1", object: finishedJob, matches: true),
        FieldMatchCase(resource: ResourceCatalog.jobs, selector: "status.successful=0", object: newJob, matches: true),
        FieldMatchCase(resource: ResourceCatalog.jobs, selector: "status.successful!=0", object: newJob, matches: false),
    ]

    @Test(arguments: matchCases)
    func matchesObjects(_ matchCase: FieldMatchCase) throws {
        let selector = try FieldSelector.parse(matchCase.selector, for: matchCase.resource)
        #expect(selector.matches(matchCase.object) == matchCase.matches)
    }
}
