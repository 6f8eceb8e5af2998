/// Pod defaults as upstream's `core/v1` defaulting functions and the pod create strategy apply them.
enum PodDefaults {
    /// Defaults of a PodSpec, wherever it appears (pods and pod templates).
    static func applyToSpec(_ spec: inout JSONValue) {
        spec.setDefault("restartPolicy", "Always")
        spec.setDefault("terminationGracePeriodSeconds", 30)
        spec.setDefault("dnsPolicy", "ClusterFirst")
        spec.setDefault("securityContext", .emptyObject)
        spec.setDefault("schedulerName", "default-scheduler")
        spec.setDefault("enableServiceLinks", true)
        spec.withEach("containers", applyToContainer)
        spec.withEach("initContainers", applyToContainer)
        spec.withEach("volumes") { volume in
            // A volume that names no source is an emptyDir.
            if let members = volume.object, members.keys.allSatisfy({ $0 == "name" }) {
                volume["emptyDir"] = .emptyObject
            }
        }
    }

    /// Defaults of a Pod object: the spec defaults plus what only pods get (requests copied from
    /// limits, priority from the priority admission plugin, the not-ready and unreachable
    /// tolerations from DefaultTolerationSeconds, and on create the initial status).
    static func applyToPod(_ pod: inout JSONValue, creating: Bool) {
        pod.withChild("spec") { spec in
            applyToSpec(&spec)
            spec.withEach("containers", defaultRequestsFromLimits)
            spec.withEach("initContainers", defaultRequestsFromLimits)
            spec.setDefault("priority", 0)
            spec.setDefault("preemptionPolicy", "PreemptLowerPriority")
            DefaultTolerationSeconds.apply(to: &spec)
        }
        guard creating else { return }
        let qosClass = qos(of: pod["spec"])
        pod.withChild("status") { status in
            status.setDefault("phase", "Pending")
            status.setDefault("qosClass", .string(qosClass))
        }
    }

    private static func applyToContainer(_ container: inout JSONValue) {
        let image = container["image"]?.string ?? ""
        container.setDefault("imagePullPolicy", .string(pullPolicy(forImage: image)))
        container.setDefault("terminationMessagePath", "/dev/termination-log")
        container.setDefault("terminationMessagePolicy", "File")
        container.setDefault("resources", .emptyObject)
        container.withChild("resources", create: false) { resources in
            resources.withChild("limits", create: false, canonicalQuantities)
            resources.withChild("requests", create: false, canonicalQuantities)
        }
        container.withEach("ports") { $0.setDefault("protocol", "TCP") }
        container.withEach("env") { env in
            env.withChild("valueFrom", create: false) { source in
                source.withChild("fieldRef", create: false) { $0.setDefault("apiVersion", "v1") }
            }
        }
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
            container.withChild(probe, create: false, applyToProbe)
        }
    }

    private static func applyToProbe(_ probe: inout JSONValue) {
        for (key, value) in [("timeoutSeconds", 1), ("periodSeconds", 10), ("successThreshold", 1), ("failureThreshold", 3)] as [(String, Int64)] {
            // Upstream treats 0 as unset for these.
            if probe[key]?.int == 0 { probe[key] = nil }
            probe.setDefault(key, .int(value))
        }
        probe.withChild("httpGet", create: false) { http in
            http.setDefault("path", "/")
            http.setDefault("scheme", "HTTP")
        }
    }

    /// Quantities sent as JSON numbers are stored as strings, as the API serialises them.
    private static func canonicalQuantities(_ list: inout JSONValue) {
        guard let members = list.object else { return }
        for (name, value) in members.pairs {
            switch value {
            case .int(let i): list[name] = .string(String(i))
            case .double(let d): list[name] = .string(FieldErrors.render(.double(d)))
            default: break
            }
        }
    }

    /// `Always` for `:latest` or an untagged image, `IfNotPresent` otherwise (a digest without a tag
    /// counts as tagged).
    static func pullPolicy(forImage image: String) -> String {
        if image.isEmpty { return "IfNotPresent" }
        if image.contains("@") {
            let name = image.split(separator: "@", maxSplits: 1)[0]
            return tag(of: Substring(name)) == "latest" ? "Always" : "IfNotPresent"
        }
        return (tag(of: Substring(image)) ?? "latest") == "latest" ? "Always" : "IfNotPresent"
    }

    /// The tag after the last `:` of the last path component; `nil` when untagged.
    private static func tag(of reference: Substring) -> String? {
        let lastComponent = reference.split(separator: "/").last ?? reference
        guard let colon = lastComponent.lastIndex(of: ":") else { return nil }
        return String(lastComponent[lastComponent.index(after: colon)...])
    }

    /// A resource with a limit and no request gets the limit as its request.
    private static func defaultRequestsFromLimits(_ container: inout JSONValue) {
        container.withChild("resources", create: false) { resources in
            guard let limits = resources["limits"]?.object, !limits.isEmpty else { return }
            resources.withChild("requests") { requests in
                for (name, limit) in limits.pairs { requests.setDefault(name, limit) }
            }
        }
    }

    /// The pod's QoS class from its containers' cpu and memory requests and limits.
    static func qos(of spec: JSONValue?) -> String {
        let containers = (spec?["containers"]?.array ?? []) + (spec?["initContainers"]?.array ?? [])
        var anySet = false
        var guaranteed = true
        for container in containers {
            let requests = container["resources"]?["requests"]?.object ?? JSONObject()
            let limits = container["resources"]?["limits"]?.object ?? JSONObject()
            for resource in ["cpu", "memory"] {
                let request = requests[resource].flatMap(quantityValue)
                let limit = limits[resource].flatMap(quantityValue)
                if (request ?? 0) != 0 || (limit ?? 0) != 0 { anySet = true }
                if limit == nil || request != limit { guaranteed = false }
            }
        }
        if !anySet { return "BestEffort" }
        return guaranteed ? "Guaranteed" : "Burstable"
    }

    /// The numeric value of a quantity given as a string or a JSON number.
    static func quantityValue(_ value: JSONValue) -> Double? {
        if let s = value.string { return QuantitySyntax.value(of: s) }
        return value.double
    }
}
