import Foundation
import Model

/// Builders and helpers shared by the admission tests.
enum Fixture {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)

    static func parse(_ text: String) -> JSONValue {
        (try? JSONValue.parse(text)) ?? .null
    }

    /// A valid pod as the API server hands it to admission (metadata already set).
    static var pod: JSONValue {
        parse("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default","uid":"u-1","creationTimestamp":"2026-01-01T00:00:00Z"},
         "spec":{"containers":[{"name":"main","image":"busybox:1.36","command":["sleep","10"]}]}}
        """)
    }

    static var job: JSONValue {
        parse("""
        {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"pi","namespace":"default","uid":"j-1","creationTimestamp":"2026-01-01T00:00:00Z"},
         "spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"pi","image":"perl","command":["perl","-e","1"]}]}}}}
        """)
    }

    static var cronJob: JSONValue {
        parse("""
        {"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"nightly","namespace":"default","uid":"c-1"},
         "spec":{"schedule":"*/5 * * * *","jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"OnFailure","containers":[{"name":"c","image":"busybox"}]}}}}}}
        """)
    }

    static var deployment: JSONValue {
        parse("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default","uid":"d-1"},
         "spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}}}
        """)
    }

    static var replicaSet: JSONValue {
        var rs = deployment
        rs["kind"] = "ReplicaSet"
        return rs
    }

    static var daemonSet: JSONValue {
        var ds = deployment
        ds["kind"] = "DaemonSet"
        return ds
    }

    /// Runs admission; returns the admitted object or the error.
    static func admit(_ object: JSONValue, _ resource: ResourceInfo, _ operation: AdmissionOperation = .create)
        -> Result<JSONValue, StatusError> {
        var copy = object
        do {
            try Admission.admit(&copy, resource: resource, operation: operation, now: now)
            return .success(copy)
        } catch {
            return .failure(error)
        }
    }

    /// The causes admission reports (empty when the object is accepted).
    static func causes(_ object: JSONValue, _ resource: ResourceInfo, _ operation: AdmissionOperation = .create) -> [StatusCause] {
        if case .failure(let error) = admit(object, resource, operation) { return error.causes }
        return []
    }

    /// A table row: change `path` to `value`, expect a cause with `field`, `reason` and `message`.
    typealias Change = (path: String, value: JSONValue?, field: String, reason: String, message: String)

    /// Whether admitting `base` with `change` applied reports the expected cause (among others).
    static func reports(_ change: Change, on base: JSONValue, _ resource: ResourceInfo) -> (Bool, [String]) {
        let found = causes(base.setting(change.path, change.value), resource)
        let expected = StatusCause(reason: change.reason, message: change.message, field: change.field)
        return (found.contains(expected), found.map(\.summary))
    }

    /// The admitted object, or `.null` when admission failed.
    static func defaulted(_ object: JSONValue, _ resource: ResourceInfo, _ operation: AdmissionOperation = .create) -> JSONValue {
        (try? admit(object, resource, operation).get()) ?? .null
    }
}

extension JSONValue {
    /// A copy with the value at a dotted path replaced (`nil` removes it); numeric components index arrays,
    /// e.g. `spec.containers.0.name`. Keys containing dots are not supported.
    func setting(_ path: String, _ value: JSONValue?) -> JSONValue {
        var copy = self
        copy.set(path.split(separator: ".").map(String.init)[...], value)
        return copy
    }

    private mutating func set(_ path: ArraySlice<String>, _ value: JSONValue?) {
        guard let first = path.first else {
            self = value ?? .null
            return
        }
        if let index = Int(first), case .array(var elements) = self, elements.indices.contains(index) {
            if path.count == 1, value == nil {
                elements.remove(at: index)
            } else {
                elements[index].set(path.dropFirst(), value)
            }
            self = .array(elements)
            return
        }
        if path.count == 1 {
            self[first] = value
            return
        }
        var child = self[first] ?? .emptyObject
        child.set(path.dropFirst(), value)
        self[first] = child
    }

    /// The value at a dotted path with numeric array indices.
    func at(_ path: String) -> JSONValue? {
        var current: JSONValue? = self
        for part in path.split(separator: ".") {
            if let index = Int(part), current?.array != nil { current = current?[index] } else { current = current?[String(part)] }
        }
        return current
    }
}

extension StatusCause {
    /// `field reason message`, for compact expectations.
    var summary: String { "\(field) \(reason) \(message)" }
}
