import Foundation

/// Validation of one container (upstream `validateContainers` and its helpers).
enum ContainerValidation {
    static let fieldRefPaths = ["metadata.name", "metadata.namespace", "metadata.uid", "metadata.labels",
                                "metadata.annotations", "spec.nodeName", "spec.serviceAccountName",
                                "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"]
    static let resourceFieldRefs = ["limits.cpu", "limits.memory", "limits.ephemeral-storage",
                                    "requests.cpu", "requests.memory", "requests.ephemeral-storage"]

    /// Validates `container` at `path`; `volumes` are the pod's volume names, `isInit` marks initContainers.
    static func validate(_ container: JSONValue, _ path: FieldPath, volumes: Set<String>, isInit: Bool,
                         into errors: inout FieldErrors) {
        let name = errors.string(container["name"], path.child("name")) ?? ""
        if name.isEmpty {
            errors.required(path.child("name"))
        } else {
            errors.invalid(path.child("name"), name, messages: NameRules.dns1123Label(name))
        }
        // Drover runs processes, so `image` is optional (upstream requires it); when sent it must be
        // a non-empty string without surrounding whitespace, as upstream checks.
        if let image = errors.string(container["image"], path.child("image")) {
            if image.isEmpty {
                errors.required(path.child("image"))
            } else if image.first.map(\.isWhitespace) == true || image.last.map(\.isWhitespace) == true {
                errors.invalid(path.child("image"), .string(image), "must not have leading or trailing whitespace")
            }
        }
        _ = errors.stringArray(container["command"], path.child("command"))
        _ = errors.stringArray(container["args"], path.child("args"))
        _ = errors.string(container["workingDir"], path.child("workingDir"))
        errors.oneOf(container["imagePullPolicy"], path.child("imagePullPolicy"), ["Always", "IfNotPresent", "Never"], required: true)
        errors.oneOf(container["terminationMessagePolicy"], path.child("terminationMessagePolicy"), ["File", "FallbackToLogsOnError"], required: true)
        // An init container with restartPolicy Always is a sidecar (KEP-753); no other value exists.
        var isSidecar = false
        if let policy = container["restartPolicy"], !policy.isNull {
            if isInit {
                errors.oneOf(policy, path.child("restartPolicy"), ["Always"])
                isSidecar = policy.string == "Always"
            } else {
                errors.forbidden(path.child("restartPolicy"), "may not be set for non-init containers")
            }
        }
        // A regular init container runs to completion: probes and lifecycle hooks are a sidecar's.
        if isInit, !isSidecar {
            for key in ["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"] {
                if let value = container[key], !value.isNull {
                    errors.forbidden(path.child(key), "may not be set for init containers without restartPolicy=Always")
                }
            }
        }
        validateEnv(container["env"], path.child("env"), into: &errors)
        ConfigSourceValidation.validateEnvFrom(container["envFrom"], path.child("envFrom"), into: &errors)
        validatePorts(container["ports"], path.child("ports"), into: &errors)
        validateResources(container["resources"], path.child("resources"), into: &errors)
        validateVolumeMounts(container["volumeMounts"], path.child("volumeMounts"), volumes: volumes, into: &errors)
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
            if let value = errors.object(container[probe], path.child(probe)) {
                validateProbe(value, path.child(probe), mustSucceedOnce: probe != "readinessProbe", into: &errors)
            }
        }
    }

    static func validateEnv(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) {
        for (i, element) in (errors.array(value, path) ?? []).enumerated() {
            let itemPath = path.index(i)
            guard let env = errors.object(element, itemPath) else { continue }
            let name = errors.string(env["name"], itemPath.child("name")) ?? ""
            if name.isEmpty {
                errors.required(itemPath.child("name"))
            } else {
                errors.invalid(itemPath.child("name"), name, messages: NameRules.envVarName(name))
            }
            let text = errors.string(env["value"], itemPath.child("value")) ?? ""
            guard let source = errors.object(env["valueFrom"], itemPath.child("valueFrom")) else { continue }
            let sourcePath = itemPath.child("valueFrom")
            let kinds = ["fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef"].filter { source[$0] != nil }
            if kinds.isEmpty {
                errors.invalid(sourcePath, .string(""), "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`")
            } else if kinds.count > 1 {
                errors.invalid(sourcePath, .string(""), "may not have more than one field specified at a time")
            }
            if !text.isEmpty {
                errors.invalid(sourcePath, .string(""), "may not be specified when `value` is not empty")
            }
            if let ref = errors.object(source["fieldRef"], sourcePath.child("fieldRef")) {
                let fieldPath = errors.string(ref["fieldPath"], sourcePath.child("fieldRef", "fieldPath")) ?? ""
                if fieldPath.isEmpty {
                    errors.required(sourcePath.child("fieldRef", "fieldPath"))
                } else if !isSupportedFieldRef(fieldPath) {
                    errors.notSupported(sourcePath.child("fieldRef", "fieldPath"), .string(fieldPath), fieldRefPaths)
                }
            }
            if let ref = errors.object(source["resourceFieldRef"], sourcePath.child("resourceFieldRef")) {
                errors.oneOf(ref["resource"], sourcePath.child("resourceFieldRef", "resource"), resourceFieldRefs, required: true)
            }
            for selector in ["configMapKeyRef", "secretKeyRef"] {
                if let ref = errors.object(source[selector], sourcePath.child(selector)) {
                    ConfigSourceValidation.validateKeySelector(ref, sourcePath.child(selector), into: &errors)
                }
            }
        }
    }

    /// `metadata.labels['key']` and `metadata.annotations['key']` select one entry.
    private static func isSupportedFieldRef(_ path: String) -> Bool {
        if fieldRefPaths.contains(path) { return true }
        return ["metadata.labels['", "metadata.annotations['"].contains { path.hasPrefix($0) } && path.hasSuffix("']")
    }

    static func validatePorts(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) {
        var names = Set<String>()
        for (i, element) in (errors.array(value, path) ?? []).enumerated() {
            let itemPath = path.index(i)
            guard let port = errors.object(element, itemPath) else { continue }
            if let name = errors.string(port["name"], itemPath.child("name")), !name.isEmpty {
                errors.invalid(itemPath.child("name"), name, messages: NameRules.portName(name))
                if !names.insert(name).inserted { errors.duplicate(itemPath.child("name"), .string(name)) }
            }
            let containerPort = errors.int(port["containerPort"], itemPath.child("containerPort")) ?? 0
            if containerPort == 0 {
                errors.required(itemPath.child("containerPort"))
            } else {
                checkPortRange(containerPort, itemPath.child("containerPort"), into: &errors)
            }
            if let hostPort = errors.int(port["hostPort"], itemPath.child("hostPort")), hostPort != 0 {
                checkPortRange(hostPort, itemPath.child("hostPort"), into: &errors)
            }
            errors.oneOf(port["protocol"], itemPath.child("protocol"), ["SCTP", "TCP", "UDP"], required: true)
        }
    }

    static func checkPortRange(_ port: Int64, _ path: FieldPath, into errors: inout FieldErrors) {
        if port < 1 || port > 65535 { errors.invalid(path, .int(port), "must be between 1 and 65535, inclusive") }
    }

    static func validateResources(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) {
        guard let resources = errors.object(value, path) else { return }
        let limits = quantities(resources["limits"], path.child("limits"), into: &errors)
        let requests = quantities(resources["requests"], path.child("requests"), into: &errors)
        for (name, request) in requests {
            guard let limit = limits.first(where: { $0.name == name }) else { continue }
            if request.value > limit.value.value {
                errors.invalid(path.child("requests").key(name), .string(request.text),
                               "must be less than or equal to \(name) limit of \(limit.value.text)")
            }
        }
    }

    /// Checks a resource list (`requests`, a PodGroup's `minResources`): names and quantities.
    static func resourceList(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) {
        guard value != nil else { return }
        _ = quantities(value, path, into: &errors)
    }

    /// Reads a resource list, checking names and quantities; returns the valid entries.
    private static func quantities(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors)
        -> [(name: String, value: (text: String, value: Double))] {
        guard let list = errors.object(value, path)?.object else { return [] }
        var out: [(name: String, value: (text: String, value: Double))] = []
        for (name, raw) in list.pairs {
            let entryPath = path.key(name)
            if !isStandardResourceName(name) {
                errors.invalid(entryPath, .string(name), "must be a standard resource type or fully qualified")
            }
            let text: String
            switch raw {
            case .string(let s): text = s
            case .int, .double: text = FieldErrors.render(raw)
            default:
                errors.typeInvalid(entryPath, raw, expected: "string")
                continue
            }
            guard let amount = QuantitySyntax.value(of: text) else {
                errors.invalid(entryPath, .string(text), QuantitySyntax.format)
                continue
            }
            if amount < 0 {
                errors.invalid(entryPath, .string(text), "must be greater than or equal to 0")
                continue
            }
            out.append((name, (text, amount)))
        }
        return out
    }

    /// `cpu`, `memory`, `ephemeral-storage`, `hugepages-*`, or a domain-prefixed extended resource.
    static func isStandardResourceName(_ name: String) -> Bool {
        if ["cpu", "memory", "ephemeral-storage", "pods"].contains(name) || name.hasPrefix("hugepages-") { return true }
        return name.contains("/") && NameRules.qualifiedName(name).isEmpty
    }

    static func validateVolumeMounts(_ value: JSONValue?, _ path: FieldPath, volumes: Set<String>, into errors: inout FieldErrors) {
        var mountPaths = Set<String>()
        for (i, element) in (errors.array(value, path) ?? []).enumerated() {
            let itemPath = path.index(i)
            guard let mount = errors.object(element, itemPath) else { continue }
            let name = errors.string(mount["name"], itemPath.child("name")) ?? ""
            if name.isEmpty {
                errors.required(itemPath.child("name"))
            } else if !volumes.contains(name) {
                errors.notFound(itemPath.child("name"), .string(name))
            }
            let mountPath = errors.string(mount["mountPath"], itemPath.child("mountPath")) ?? ""
            if mountPath.isEmpty {
                errors.required(itemPath.child("mountPath"))
            } else if !mountPaths.insert(mountPath).inserted {
                errors.invalid(itemPath.child("mountPath"), .string(mountPath), "must be unique")
            }
            _ = errors.bool(mount["readOnly"], itemPath.child("readOnly"))
        }
    }

    static func validateProbe(_ probe: JSONValue, _ path: FieldPath, mustSucceedOnce: Bool, into errors: inout FieldErrors) {
        let handlers = ["exec", "httpGet", "tcpSocket", "grpc"].filter { probe[$0] != nil && probe[$0] != .null }
        if handlers.isEmpty {
            errors.required(path, "must specify a handler type")
        }
        for extra in handlers.dropFirst() {
            errors.forbidden(path.child(extra), "may not specify more than 1 handler type")
        }
        for key in ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"] {
            errors.nonNegativeInt(probe[key], path.child(key))
        }
        if mustSucceedOnce, let threshold = probe["successThreshold"]?.int, threshold != 1 {
            errors.invalid(path.child("successThreshold"), .int(threshold), "must be 1")
        }
        if let exec = errors.object(probe["exec"], path.child("exec")),
           (errors.stringArray(exec["command"], path.child("exec", "command")) ?? []).isEmpty {
            errors.required(path.child("exec", "command"))
        }
        if let http = errors.object(probe["httpGet"], path.child("httpGet")) {
            validatePortNumOrName(http["port"], path.child("httpGet", "port"), into: &errors)
            _ = errors.string(http["path"], path.child("httpGet", "path"))
            errors.oneOf(http["scheme"], path.child("httpGet", "scheme"), ["HTTP", "HTTPS"])
        }
        if let tcp = errors.object(probe["tcpSocket"], path.child("tcpSocket")) {
            validatePortNumOrName(tcp["port"], path.child("tcpSocket", "port"), into: &errors)
        }
        if let grpc = errors.object(probe["grpc"], path.child("grpc")) {
            if let port = errors.int(grpc["port"], path.child("grpc", "port")) {
                checkPortRange(port, path.child("grpc", "port"), into: &errors)
            } else {
                errors.required(path.child("grpc", "port"))
            }
        }
    }

    /// An IntOrString port: a number in 1–65535 or a valid port name.
    static func validatePortNumOrName(_ value: JSONValue?, _ path: FieldPath, into errors: inout FieldErrors) {
        switch value {
        case nil, .null?: errors.required(path)
        case .string(let name)?:
            if name.isEmpty { errors.required(path) } else { errors.invalid(path, name, messages: NameRules.portName(name)) }
        case let number? where number.int != nil:
            checkPortRange(number.int ?? 0, path, into: &errors)
        case let other?:
            errors.typeInvalid(path, other, expected: "integer or string")
        }
    }
}
