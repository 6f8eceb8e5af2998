import Foundation
import Model
import Testing

@Suite struct PriorityClassTests {
    static func priorityClass(_ name: String, value: Int64, policy: String? = nil) -> JSONValue {
        var object: JSONValue = ["apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": ["name": .string(name)],
                                 "value": .int(value)]
        if let policy { object["preemptionPolicy"] = .string(policy) }
        return object
    }

    static func admit(_ object: JSONValue, old: JSONValue? = nil) -> [String] {
        var object = object
        do {
            try Admission.admit(&object, resource: ResourceCatalog.priorityClasses, operation: old.map { .update(old: $0) } ?? .create, now: Date())
            return []
        } catch {
            return error.causes.map { "\($0.field): \($0.message)" }
        }
    }

    @Test(arguments: [
        (priorityClass("high", value: 1000), [String]()),
        (priorityClass("system-node-critical", value: 2_000_001_000), []),
        (priorityClass("system-mine", value: 10), ["metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only"]),
        (priorityClass("huge", value: 1_000_000_001), ["value: Forbidden: maximum allowed value of a user defined priority is 1000000000"]),
        (priorityClass("odd", value: 1, policy: "Sometimes"), ["preemptionPolicy: Unsupported value: \"Sometimes\": supported values: \"PreemptLowerPriority\", \"Never\""]),
    ] as [(JSONValue, [String])])
    func classesAreValidatedAsUpstream(object: JSONValue, causes: [String]) {
        #expect(Self.admit(object) == causes)
    }

    @Test func valueAndPreemptionPolicyCannotChange() {
        let old = Self.priorityClass("high", value: 1000, policy: "PreemptLowerPriority")
        #expect(Self.admit(Self.priorityClass("high", value: 1001, policy: "PreemptLowerPriority"), old: old)
                == ["value: Forbidden: may not be changed in an update."])
        #expect(Self.admit(Self.priorityClass("high", value: 1000, policy: "Never"), old: old)
                == ["preemptionPolicy: Invalid value: \"Never\": field is immutable"])
    }

    static let classes = ["high": PriorityClasses.Class(name: "high", value: 1000, preemptionPolicy: "Never")]
    static func pod(_ spec: JSONValue) -> JSONValue { ["metadata": ["name": "p"], "spec": spec] }
    static func resolved(_ spec: JSONValue, default globalDefault: PriorityClasses.Class? = nil) throws -> JSONValue {
        var pod = Self.pod(spec)
        try PriorityClasses.resolve(&pod, lookup: { classes[$0] }, globalDefault: globalDefault)
        return pod["spec"] ?? .null
    }

    @Test func aPodsClassBecomesItsPriorityAndPreemptionPolicy() throws {
        let spec = try Self.resolved(["priorityClassName": "high"])
        #expect(spec["priority"] == 1000 && spec["preemptionPolicy"] == "Never")
        #expect(try Self.resolved(["priorityClassName": "high", "priority": 1000])["priority"] == 1000)
        // No class named: the global default's, or 0.
        let defaulted = try Self.resolved([:], default: PriorityClasses.Class(name: "batch", value: 10, globalDefault: true))
        #expect(defaulted["priorityClassName"] == "batch" && defaulted["priority"] == 10)
        #expect(try Self.resolved([:])["priority"] == 0)
    }

    @Test(arguments: [
        (["priorityClassName": "nope"], "pods \"p\" is forbidden: no PriorityClass with name nope was found"),
        (["priorityClassName": "high", "priority": 5], "pods \"p\" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name"),
        (["priorityClassName": "high", "preemptionPolicy": "PreemptLowerPriority"], "pods \"p\" is forbidden: the string value of PreemptionPolicy (PreemptLowerPriority) must not be provided in pod spec; priority admission controller computed Never from the given PriorityClass name"),
    ] as [(JSONValue, String)])
    func podsThatContradictTheirClassAreForbidden(spec: JSONValue, message: String) {
        #expect(throws: StatusError.self) { try Self.resolved(spec) }
        do { _ = try Self.resolved(spec) } catch let error as StatusError {
            #expect(error.code == 403 && error.reason == "Forbidden" && error.message == message)
        } catch {}
    }
}
