import Model

/// Builds the REST paths of KUBE-API.md §4 from a `ResourceInfo`.
public enum ResourcePath {
    /// `/apis/batch/v1/namespaces/NS/jobs`, or the cluster-wide `/apis/batch/v1/jobs` when
    /// `namespace` is nil (or the resource is cluster-scoped).
    public static func collection(_ resource: ResourceInfo, namespace: String?) -> String {
        if resource.namespaced, let namespace {
            return "\(resource.groupVersionPath)/namespaces/\(segment(namespace))/\(resource.plural)"
        }
        return "\(resource.groupVersionPath)/\(resource.plural)"
    }

    /// `/apis/batch/v1/namespaces/NS/jobs/NAME[/SUBRESOURCE]`; a namespaced resource needs a namespace.
    public static func object(_ resource: ResourceInfo, namespace: String?, name: String,
                              subresource: String? = nil) throws(ClientError) -> String {
        if resource.namespaced && (namespace ?? "").isEmpty {
            throw ClientError.invalidRequest("\(resource.storageName) are namespaced, so \"\(name)\" needs a namespace")
        }
        guard !name.isEmpty else {
            throw ClientError.invalidRequest("a name is required to address one of \(resource.storageName)")
        }
        let path = "\(collection(resource, namespace: namespace))/\(segment(name))"
        return subresource.map { "\(path)/\($0)" } ?? path
    }

    /// Percent-encodes the characters that would break a path segment.
    static func segment(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "/", "?", "#", "%", " ":
                for byte in String(scalar).utf8 { out += "%" + String(byte, radix: 16, uppercase: true) }
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension JSONValue {
    /// `metadata.name`, `""` when absent.
    var metadataName: String { value(at: ["metadata", "name"])?.string ?? "" }
}
