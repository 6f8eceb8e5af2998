import Foundation
import Model

/// A container that cannot be started as specified (reported as CreateContainerConfigError).
struct ContainerConfigError: Error, Equatable {
    var message: String
    /// A referenced Secret or ConfigMap (or one of its keys) is missing: retried (with back-off)
    /// whatever the restart policy, as the kubelet does, and at once when the object changes.
    var retryable = false
    /// A referenced object has not been fetched yet: the container waits, without an error.
    var pending = false
}

/// Turns a container of a pod into the `ProcessSpec` the runtime starts: argv, environment (the
/// pod's identity, `env` with `value` and `valueFrom.fieldRef`, emptyDir paths), working
/// directory, limits, log file and, when the runtime can mount, the emptyDir volume mounts.
struct ProcessSpecBuilder {
    var pod: JSONValue
    var nodeName: String
    var podIP: String
    var paths: AgentPaths
    var pidsLimit: Int64?
    /// Whether the runtime bind-mounts volumes at their mountPath (else only the environment names them).
    var mountVolumes = false
    /// The Secrets and ConfigMaps the pod names (`ConfigObjectCache.lookup` in the agent).
    var lookup: (ConfigObjectRef) -> ConfigLookup = { _ in .missing }
    /// Told the keys of `envFrom` sources skipped as invalid variable names (for an event).
    var skippedKeysSink: (([EnvironmentSources.SkippedKeys]) -> Void)?

    var uid: String { pod.value(at: ["metadata", "uid"])?.string ?? "" }

    func build(_ container: JSONValue, restart: Int) throws(ContainerConfigError) -> ProcessSpec {
        let name = container["name"]?.string ?? ""
        let environment = try self.environment(for: container)
        let argv = ((container["command"]?.array ?? []) + (container["args"]?.array ?? []))
            .compactMap(\.string).map { Self.expand($0, environment) }
        guard !argv.isEmpty else {
            throw ContainerConfigError(message: "container \"\(name)\" has no command: Drover runs programs, not images, so command is required")
        }
        let limits = container.value(at: ["resources", "limits"])
        let memory = try quantity(limits?["memory"], "limits.memory", name)?.value
        let cpu = try quantity(limits?["cpu"], "limits.cpu", name)?.milliValue
        // A limit without a request requests the limit (the API's defaulting).
        let cpuRequest = try quantity(container.value(at: ["resources", "requests", "cpu"]), "requests.cpu", name)?.milliValue ?? cpu
        return ProcessSpec(id: "\(uid)/\(name)/\(restart)", argv: argv, environment: environment,
                           workingDirectory: container["workingDir"]?.string ?? paths.scratch(uid),
                           memoryLimit: memory, cpuLimitMillis: cpu, cpuRequestMillis: cpuRequest, pidsLimit: pidsLimit,
                           logPath: paths.log(uid, container: name, restart: restart),
                           mounts: mountVolumes ? try volumeMounts(of: container, name) : [])
    }

    /// The names of the volumes the agent provides: emptyDir, and the secret, configMap,
    /// downwardAPI and projected volumes it writes from the API.
    var emptyDirNames: Set<String> {
        Set((pod.value(at: ["spec", "volumes"])?.array ?? []).filter { $0["emptyDir"] != nil || VolumeContents.isProjected($0) }
            .compactMap { $0["name"]?.string })
    }

    /// The names of the volumes written from API objects: always mounted read-only, as the kubelet does.
    var projectedNames: Set<String> {
        Set((pod.value(at: ["spec", "volumes"])?.array ?? []).filter(VolumeContents.isProjected).compactMap { $0["name"]?.string })
    }

    /// The container's volumeMounts of emptyDir volumes: the volume directory (or its subPath) at
    /// the mountPath, normalized (no `.`, empty or trailing components).
    func volumeMounts(of container: JSONValue, _ name: String) throws(ContainerConfigError) -> [VolumeMount] {
        let emptyDirs = emptyDirNames, projected = projectedNames
        var mounts: [VolumeMount] = []
        for mount in container["volumeMounts"]?.array ?? [] {
            guard let volume = mount["name"]?.string, emptyDirs.contains(volume) else { continue }
            func invalid(_ problem: String) -> ContainerConfigError {
                ContainerConfigError(message: "container \"\(name)\": volumeMount \(volume): \(problem)")
            }
            let mountPath = mount["mountPath"]?.string ?? ""
            guard mountPath.hasPrefix("/") else { throw invalid("mountPath \"\(mountPath)\" must be an absolute path") }
            guard let components = Self.components(mountPath) else {
                throw invalid("mountPath \"\(mountPath)\" must not contain '..', a newline or a NUL")
            }
            guard !components.isEmpty else {
                throw invalid("mountPath \"/\" would hide the host's whole filesystem from the container, its programs included")
            }
            var source = paths.volume(uid, volume)
            if let subPath = mount["subPath"]?.string, !subPath.isEmpty {
                guard !subPath.hasPrefix("/"), let parts = Self.components(subPath) else {
                    throw invalid("subPath \"\(subPath)\" must be a relative path without '..'")
                }
                source += parts.map { "/" + $0 }.joined()
            }
            mounts.append(VolumeMount(volume: volume, source: source, mountPath: "/" + components.joined(separator: "/"),
                                      readOnly: mount["readOnly"]?.bool ?? false || projected.contains(volume)))
        }
        return mounts
    }

    /// A path's components without empty and `.` ones; nil when one is `..` or it has a newline or NUL.
    private static func components(_ path: String) -> [String]? {
        if path.contains("\n") || path.contains("\0") { return nil }
        let parts = path.split(separator: "/").map(String.init).filter { $0 != "." }
        return parts.contains("..") ? nil : parts
    }

    /// The environment variable through which a container finds an emptyDir volume (also when it is
    /// mounted at its mountPath): `DROVER_VOLUME_<NAME>`, upper-cased, `-`/`.` → `_`.
    static func volumeVariable(_ volume: String) -> String {
        "DROVER_VOLUME_" + String(volume.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    func environment(for container: JSONValue) throws(ContainerConfigError) -> [String: String] {
        var environment = ["PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                           "HOME": paths.scratch(uid), "HOSTNAME": pod.value(at: ["metadata", "name"])?.string ?? "",
                           "POD_NAME": pod.value(at: ["metadata", "name"])?.string ?? "",
                           "POD_NAMESPACE": pod.value(at: ["metadata", "namespace"])?.string ?? "",
                           "POD_UID": uid, "NODE_NAME": nodeName]
        let emptyDirs = emptyDirNames
        for mount in container["volumeMounts"]?.array ?? [] {
            guard let volume = mount["name"]?.string, emptyDirs.contains(volume) else { continue }
            environment[Self.volumeVariable(volume)] = paths.volume(uid, volume)
        }
        let sources = EnvironmentSources(namespace: pod.value(at: ["metadata", "namespace"])?.string ?? "default", lookup: lookup)
        let (fromSources, skipped) = try sources.fromEnvFrom(container)
        for (name, value) in fromSources { environment[name] = value }
        if !skipped.isEmpty { skippedKeysSink?(skipped) }
        for variable in container["env"]?.array ?? [] {
            guard let name = variable["name"]?.string else { continue }
            if let fieldPath = variable.value(at: ["valueFrom", "fieldRef", "fieldPath"])?.string {
                environment[name] = try fieldValue(fieldPath, variable: name)
            } else if let resolved = try sources.value(of: variable) {
                // nil: an optional reference to a missing object or key leaves the variable unset.
                if let resolved { environment[name] = resolved }
            } else if let source = variable["valueFrom"]?.object?.keys.first {
                throw ContainerConfigError(message: "env \(name): valueFrom.\(source) is not supported by Drover")
            } else {
                environment[name] = Self.expand(variable["value"]?.string ?? "", environment)
            }
        }
        return environment
    }

    /// The value a `fieldRef.fieldPath` selects.
    func fieldValue(_ path: String, variable: String) throws(ContainerConfigError) -> String {
        switch path {
        case "metadata.name": return pod.value(at: ["metadata", "name"])?.string ?? ""
        case "metadata.namespace": return pod.value(at: ["metadata", "namespace"])?.string ?? ""
        case "metadata.uid": return uid
        case "spec.nodeName": return nodeName
        case "spec.serviceAccountName": return pod.value(at: ["spec", "serviceAccountName"])?.string ?? ""
        case "status.podIP", "status.hostIP": return podIP
        default: break
        }
        for map in ["labels", "annotations"] {
            let prefix = "metadata.\(map)['", suffix = "']"
            if path.hasPrefix(prefix), path.hasSuffix(suffix), path.count > prefix.count + suffix.count {
                let key = String(path.dropFirst(prefix.count).dropLast(suffix.count))
                return pod.value(at: ["metadata", map, key])?.string ?? ""
            }
        }
        throw ContainerConfigError(message: "env \(variable): fieldRef \"\(path)\" is not supported")
    }

    private func quantity(_ json: JSONValue?, _ field: String, _ container: String) throws(ContainerConfigError) -> Quantity? {
        guard let json else { return nil }
        do {
            return try Quantity(json: json)
        } catch {
            throw ContainerConfigError(message: "container \"\(container)\": \(field): \(error.message)")
        }
    }

    /// Kubernetes' `$(VAR)` expansion: known variables are replaced, `$$` escapes, unknown references stay.
    static func expand(_ text: String, _ environment: [String: String]) -> String {
        guard text.contains("$") else { return text }
        var out = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            let after = rest[rest.index(after: dollar)...]
            if after.first == "$" {
                out += "$"
                rest = after.dropFirst()
            } else if after.first == "(", let close = after.firstIndex(of: ")"),
                      let value = environment[String(after[after.index(after: after.startIndex)..<close])] {
                out += value
                rest = after[after.index(after: close)...]
            } else {
                out += "$"
                rest = after
            }
        }
        return out + rest
    }
}
