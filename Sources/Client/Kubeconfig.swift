import Foundation
import Model

/// The kubeconfig that points kubectl at a Drover server.
public enum Kubeconfig {
    /// The cluster, user and context name.
    public static let name = "drover"

    /// Kubeconfig YAML for `server` (plain `http://` needs no TLS fields) and an optional bearer token.
    /// Values are written as double-quoted scalars, so no server address or token can break the YAML.
    /// `certificateAuthorityPEM` is embedded as `certificate-authority-data` for `https://` servers.
    public static func render(server: String, token: String?, certificateAuthorityPEM: String? = nil) -> String {
        var lines = [
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: \(name)",
            "  cluster:",
            "    server: \(quoted(server))",
        ]
        if let certificateAuthorityPEM {
            lines.append("    certificate-authority-data: \(Data(certificateAuthorityPEM.utf8).base64EncodedString())")
        }
        lines += [
            "contexts:",
            "- name: \(name)",
            "  context:",
            "    cluster: \(name)",
            "    user: \(name)",
            "current-context: \(name)",
            "preferences: {}",
            "users:",
            "- name: \(name)",
        ]
        if let token, !token.isEmpty {
            lines += ["  user:", "    token: \(quoted(token))"]
        } else {
            lines += ["  user: {}"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A JSON string literal, which YAML reads as a double-quoted scalar.
    private static func quoted(_ text: String) -> String {
        JSONValue.string(text).jsonString()
    }
}
