import Foundation
import Model
import Testing

/// policy/v1 PodDisruptionBudget: admission as upstream's pkg/apis/policy/validation, the
/// `kubectl get pdb` row, and the view the controller, eviction and preemption share.
@Suite struct PodDisruptionBudgetTests {
    static func pdb(_ spec: JSONValue) -> JSONValue {
        ["apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": ["name": "web", "namespace": "default"], "spec": spec]
    }

    static func admit(_ object: JSONValue, status: Bool = false) -> [String] {
        var object = object
        do {
            try Admission.admit(&object, resource: ResourceCatalog.podDisruptionBudgets,
                                operation: status ? .updateStatus(old: object) : .create, now: Date())
            return []
        } catch {
            return error.causes.map { "\($0.field): \($0.message)" }
        }
    }

    static let selector: JSONValue = ["matchLabels": ["app": "web"]]

    @Test(arguments: [
        (pdb(["minAvailable": 2, "selector": selector]), [String]()),
        (pdb(["maxUnavailable": "25%", "selector": selector, "unhealthyPodEvictionPolicy": "AlwaysAllow"]), []),
        // Neither budget is allowed, as upstream (it expects nothing and allows nothing).
        (pdb(["selector": selector]), []),
        (pdb(["minAvailable": 1, "maxUnavailable": 1, "selector": selector]),
         [#"spec: Invalid value: {"minAvailable":1,"maxUnavailable":1,"selector":{"matchLabels":{"app":"web"}}}: minAvailable and maxUnavailable cannot be both set"#]),
        (pdb(["minAvailable": -1]), ["spec.minAvailable: Invalid value: -1: must be greater than or equal to 0"]),
        (pdb(["maxUnavailable": "half"]),
         [#"spec.maxUnavailable: Invalid value: "half": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"#]),
        (pdb(["minAvailable": "150%"]), [#"spec.minAvailable: Invalid value: "150%": must not be greater than 100%"#]),
        (pdb(["minAvailable": true]), ["spec.minAvailable: Invalid value: true: must be of type integer or string"]),
        (pdb(["minAvailable": 1, "selector": ["matchExpressions": [["key": "app", "operator": "Near"]]]]),
         [#"spec.selector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator"#]),
        (pdb(["minAvailable": 1, "unhealthyPodEvictionPolicy": "Sometimes"]),
         [#"spec.unhealthyPodEvictionPolicy: Unsupported value: "Sometimes": supported values: "AlwaysAllow", "IfHealthyBudget""#]),
    ] as [(JSONValue, [String])])
    func budgetsAreValidatedAsUpstream(object: JSONValue, causes: [String]) {
        #expect(Self.admit(object) == causes)
    }

    @Test func statusCountersMayNotBeNegative() {
        var object = Self.pdb(["minAvailable": 1, "selector": Self.selector])
        object["status"] = ["disruptionsAllowed": -1, "currentHealthy": 2, "desiredHealthy": 1, "expectedPods": 2]
        #expect(Self.admit(object, status: true) == ["status.disruptionsAllowed: Invalid value: -1: must be greater than or equal to 0"])
    }

    @Test(arguments: [
        (#"{"metadata":{"name":"web","creationTimestamp":"2024-05-01T11:59:00Z"},"spec":{"minAvailable":2},"status":{"disruptionsAllowed":1}}"#,
         #"["web","2","N/A",1,"60s"]"#),
        (#"{"metadata":{"name":"pct"},"spec":{"maxUnavailable":"25%"}}"#, #"["pct","N/A","25%",0,"<unknown>"]"#),
    ])
    func printsTheColumnsKubectlShows(_ object: String, _ expected: String) throws {
        let renderer = TableRenderer(now: Date(timeIntervalSince1970: 1_714_564_800))   // 2024-05-01T12:00:00Z
        #expect(.array(renderer.cells(for: try JSONValue.parse(object), resource: ResourceCatalog.podDisruptionBudgets))
                == (try JSONValue.parse(expected)))
        #expect(TableRenderer.columns(for: ResourceCatalog.podDisruptionBudgets).map(\.name)
                == ["Name", "Min Available", "Max Unavailable", "Allowed Disruptions", "Age"])
    }

    @Test func aBudgetGuardsOnlyPodsItsNonEmptySelectorPicks() {
        let guarding = PodDisruptionBudgetView(Self.pdb(["minAvailable": 1, "selector": Self.selector]))
        #expect(guarding.guards(namespace: "default", labels: ["app": "web", "tier": "x"]))
        #expect(!guarding.guards(namespace: "other", labels: ["app": "web"]))
        #expect(!guarding.guards(namespace: "default", labels: ["app": "db"]))
        // An empty or null selector guards nothing at eviction (upstream), though the controller
        // counts every pod of the namespace for an empty one (policy/v1).
        let empty = PodDisruptionBudgetView(Self.pdb(["minAvailable": 1, "selector": .emptyObject]))
        #expect(!empty.guards(namespace: "default", labels: ["app": "web"]))
        #expect((try? empty.podSelector())??.matches(["any": "thing"]) == true)
        #expect((try? PodDisruptionBudgetView(Self.pdb(["minAvailable": 1])).podSelector()) == .some(nil))
    }

    @Test func theDisruptionAllowedConditionFollowsTheCountAndKeepsItsTransitionTime() {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        var status: JSONValue = ["observedGeneration": 2, "disruptionsAllowed": 1]
        PodDisruptionBudgetView.updateDisruptionAllowedCondition(&status, now: t0)
        #expect(status["conditions"] == [["type": "DisruptionAllowed", "status": "True", "observedGeneration": 2,
                                          "lastTransitionTime": "2027-01-15T08:00:00Z", "reason": "SufficientPods", "message": ""]])
        status["disruptionsAllowed"] = 2
        PodDisruptionBudgetView.updateDisruptionAllowedCondition(&status, now: t0.addingTimeInterval(60))
        #expect(status["conditions"]?[0]?["lastTransitionTime"] == "2027-01-15T08:00:00Z")
        status["disruptionsAllowed"] = 0
        PodDisruptionBudgetView.updateDisruptionAllowedCondition(&status, now: t0.addingTimeInterval(60))
        #expect(status["conditions"]?[0]?["reason"] == "InsufficientPods" && status["conditions"]?[0]?["status"] == "False")
        #expect(status["conditions"]?[0]?["lastTransitionTime"] == "2027-01-15T08:01:00Z")
    }
}
