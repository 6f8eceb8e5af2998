import Foundation

/// The write an object is being admitted for.
public enum AdmissionOperation: Sendable, Equatable {
    /// A new object (POST, or an apply that creates).
    case create
    /// A change to the main resource (PUT, PATCH); `old` is the stored object.
    case update(old: JSONValue)
    /// A write to the `status` subresource; `old` is the stored object. The API server keeps the
    /// spec from `old`; only metadata and status are validated.
    case updateStatus(old: JSONValue)

    /// The stored object an update replaces; nil on create.
    var old: JSONValue? {
        switch self {
        case .create: return nil
        case .update(let old), .updateStatus(let old): return old
        }
    }
}

/// Defaulting and validation for the kinds Drover serves, with Kubernetes' semantics and wording.
///
/// The API server calls `admit` after it has set server-owned metadata (name from generateName,
/// namespace, uid, creationTimestamp, generation) and before it stores the object.
public enum Admission {
    /// Fills in defaults, then validates, collecting every problem. Throws a 422 `Invalid` Status
    /// whose causes carry field paths and upstream reasons (`FieldValueRequired`, ...).
    /// `now` is accepted for time-dependent defaults; none of the current kinds needs it.
    ///
    /// `mayContainNUL` says whether a string of the object (keys included) may hold U+0000: the
    /// API server passes what its parser noted (`JSONValue.parse(_:containsNUL:)`), so the common
    /// body is never walked for them; when set, every NUL is a 422 cause and nothing else is checked.
    /// 422 Invalid rather than 400 BadRequest because the body decoded fine (RFC 8259 allows
    /// `\u0000`, and kube-apiserver's decoder would accept it): it is a value the server cannot
    /// accept, which kube-apiserver answers with Invalid and a field path; 400 stays for bodies
    /// that cannot be decoded at all (a raw NUL byte is one: the parser refuses it).
    public static func admit(_ object: inout JSONValue, resource: ResourceInfo, operation: AdmissionOperation,
                             now: Date, mayContainNUL: Bool = true) throws(StatusError) {
        guard object.object != nil else {
            throw .badRequest("the body of the request must be a JSON object, not \(object.typeName)")
        }
        if mayContainNUL {
            let nuls = NULCharacters.find(in: object, redactValues: resource.kind == "Secret")
            if !nuls.isEmpty {
                let name = object["metadata"]?["name"]?.string ?? ""
                throw StatusError.invalid(kind: resource.kind, group: resource.group, name: name, causes: nuls.causes)
            }
        }
        let rules = kindRules(for: resource.kind)
        let creating = operation == .create
        rules.applyDefaults(to: &object, creating: creating)

        var errors = FieldErrors()
        MetadataValidation.validate(object["metadata"], namespaced: resource.namespaced, nameRule: rules.nameRule,
                                    old: operation.old?["metadata"], into: &errors)
        switch operation {
        case .create:
            rules.validate(object, creating: true, into: &errors)
        case .update(let old):
            MetadataValidation.validateUpdate(object["metadata"], old: old["metadata"], into: &errors)
            // What did not change was validated when it was written: validating it again can only
            // repeat that verdict (or refuse, after a rule tightened, an object for a field nobody
            // touched, which upstream's ratcheting lets through too). A finalizer removed or an
            // owner reference added is such an update.
            if !bodyUnchanged(object, old) { rules.validate(object, creating: false, into: &errors) }
            rules.validateUpdate(object, old: old, into: &errors)
        case .updateStatus(let old):
            MetadataValidation.validateUpdate(object["metadata"], old: old["metadata"], into: &errors)
            if let status = errors.object(object["status"], FieldPath("status")) {
                rules.validateStatus(status, into: &errors)
            }
        }
        if !errors.isEmpty {
            let name = object["metadata"]?["name"]?.string ?? ""
            throw StatusError.invalid(kind: resource.kind, group: resource.group, name: name, causes: errors.causes)
        }
    }

    /// Everything but metadata and status is as in `old`, and so are the labels and annotations
    /// (which some kinds' rules read beside the spec).
    static func bodyUnchanged(_ object: JSONValue, _ old: JSONValue) -> Bool {
        guard let new = object.object, let before = old.object, new.count == before.count else { return false }
        for (key, value) in new.pairs where key != "metadata" && key != "status" {
            guard before[key] == value else { return false }
        }
        return object["metadata"]?["labels"] == old["metadata"]?["labels"]
            && object["metadata"]?["annotations"] == old["metadata"]?["annotations"]
    }

    static func kindRules(for kind: String) -> any KindAdmission.Type {
        switch kind {
        case "Pod": return PodAdmission.self
        case "Job": return JobAdmission.self
        case "CronJob": return CronJobAdmission.self
        case "Deployment": return DeploymentAdmission.self
        case "ReplicaSet": return ReplicaSetAdmission.self
        case "DaemonSet": return DaemonSetAdmission.self
        case "ControllerRevision": return ControllerRevisionAdmission.self
        case "Namespace": return NamespaceAdmission.self
        case "Node": return NodeAdmission.self
        case "Event": return EventAdmission.self
        case "Secret": return SecretAdmission.self
        case "ConfigMap": return ConfigMapAdmission.self
        case "PriorityClass": return PriorityClassAdmission.self
        case "Lease": return LeaseAdmission.self
        case "PodGroup": return PodGroupAdmission.self
        case "PodDisruptionBudget": return PodDisruptionBudgetAdmission.self
        case "HorizontalPodAutoscaler": return HorizontalPodAutoscalerAdmission.self
        case "ResourceFlavor": return ResourceFlavorAdmission.self
        case "ClusterQueue": return ClusterQueueAdmission.self
        case "LocalQueue": return LocalQueueAdmission.self
        case "Workload": return KueueWorkloadAdmission.self
        case "WorkloadPriorityClass": return WorkloadPriorityClassAdmission.self
        default: return GenericAdmission.self
        }
    }
}

/// The defaulting and validation rules of one kind.
protocol KindAdmission {
    /// How `metadata.name` is checked.
    static var nameRule: NameRule { get }
    /// Fills in defaults; `creating` is true on create (selector generation and similar happen then).
    static func applyDefaults(to object: inout JSONValue, creating: Bool)
    /// Validates everything but metadata; runs on create and update.
    static func validate(_ object: JSONValue, creating: Bool, into errors: inout FieldErrors)
    /// Update-only rules (immutable fields).
    static func validateUpdate(_ object: JSONValue, old: JSONValue, into errors: inout FieldErrors)
    /// Validates `status` on a status-subresource write.
    static func validateStatus(_ status: JSONValue, into errors: inout FieldErrors)
}

extension KindAdmission {
    static var nameRule: NameRule { .dnsSubdomain }
    static func applyDefaults(to object: inout JSONValue, creating: Bool) {}
    static func validate(_ object: JSONValue, creating: Bool, into errors: inout FieldErrors) {}
    static func validateUpdate(_ object: JSONValue, old: JSONValue, into errors: inout FieldErrors) {}
    static func validateStatus(_ status: JSONValue, into errors: inout FieldErrors) {}
}

/// Kinds without rules of their own get metadata validation only.
enum GenericAdmission: KindAdmission {}
