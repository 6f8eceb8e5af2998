import Foundation
import Model

/// How one agent runs: its node's name and identity, what it offers, where it keeps files, and
/// how its log endpoint is reached.
public struct AgentConfiguration: Sendable {
    public var nodeName: String
    public var dataDirectory: String
    /// Extra node labels (`--labels`), on top of kubernetes.io/hostname, os and arch.
    public var labels: [String: String]
    public var taints: [Taint]
    /// Extended resources (`--resource example.com/gpu=2`), added to capacity.
    public var extendedResources: [String: Quantity]
    /// Subtracted from capacity to give allocatable (`--reserved cpu=100m,memory=256Mi`).
    public var reserved: [String: Quantity]
    /// How often the node's Lease is renewed (and the status compared with the API's).
    public var heartbeatInterval: TimeInterval
    /// How often the status is written even when nothing changed (upstream's
    /// nodeStatusReportFrequency).
    public var statusReportInterval: TimeInterval = 300
    /// How often every pod is re-synced even without news (back-off timers, probes, deadlines).
    public var syncInterval: TimeInterval
    /// The node's InternalIP, also every pod's IP (pods share the host network).
    public var nodeIP: String
    /// Address and port the log endpoint listens on (port 0 picks one).
    public var logListenHost: String
    public var logPort: UInt16
    /// Bearer token the log endpoint requires (the API server holds the same); nil admits everyone.
    public var logToken: String?
    /// Process limit of each pod.
    public var podPidsLimit: Int64?
    /// Pods whose status is written at the same time (`StatusWriter`).
    public var statusWriters = 4
    /// How long a failed status write waits before it is retried (doubling up to 10 s).
    public var statusRetryDelay: TimeInterval = 0.5
    /// How often containers' and the node's usage is sampled (`kubectl top`'s window, 10 s as the kubelet).
    public var usageSampleInterval: TimeInterval = 10

    public init(nodeName: String, dataDirectory: String, labels: [String: String] = [:], taints: [Taint] = [],
                extendedResources: [String: Quantity] = [:], reserved: [String: Quantity] = [:],
                heartbeatInterval: TimeInterval = 10, syncInterval: TimeInterval = 1, nodeIP: String = "127.0.0.1",
                logListenHost: String = "0.0.0.0", logPort: UInt16 = 0, logToken: String? = nil, podPidsLimit: Int64? = 4096) {
        self.nodeName = nodeName
        self.dataDirectory = dataDirectory
        self.labels = labels
        self.taints = taints
        self.extendedResources = extendedResources
        self.reserved = reserved
        self.heartbeatInterval = heartbeatInterval
        self.syncInterval = syncInterval
        self.nodeIP = nodeIP
        self.logListenHost = logListenHost
        self.logPort = logPort
        self.logToken = logToken
        self.podPidsLimit = podPidsLimit
    }

    public var paths: AgentPaths { AgentPaths(dataDirectory: dataDirectory) }
}

/// A malformed agent flag value.
public struct AgentConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension AgentConfiguration {
    /// `k=v,k2=v2` → map; an empty text is an empty map.
    public static func parsePairs(_ text: String, flag: String) throws(AgentConfigurationError) -> [String: String] {
        var pairs: [String: String] = [:]
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw AgentConfigurationError(message: "--\(flag): \"\(item)\" is not of the form key=value")
            }
            pairs[parts[0]] = parts[1]
        }
        return pairs
    }

    /// `k=v,k2=v2` with quantity values (`cpu=100m,memory=256Mi`).
    public static func parseQuantities(_ text: String, flag: String) throws(AgentConfigurationError) -> [String: Quantity] {
        var quantities: [String: Quantity] = [:]
        for (key, value) in try parsePairs(text, flag: flag) {
            do {
                quantities[key] = try Quantity(parsing: value)
            } catch {
                throw AgentConfigurationError(message: "--\(flag): \(key)=\(value): \(error.message)")
            }
        }
        return quantities
    }

    /// `key=value:Effect,key:Effect` with Effect NoSchedule, PreferNoSchedule or NoExecute.
    public static func parseTaints(_ text: String) throws(AgentConfigurationError) -> [Taint] {
        try text.split(separator: ",").map { item throws(AgentConfigurationError) -> Taint in
            guard let colon = item.lastIndex(of: ":") else {
                throw AgentConfigurationError(message: "--taints: \"\(item)\" has no effect (key=value:NoSchedule)")
            }
            let effect = String(item[item.index(after: colon)...])
            guard ["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(effect) else {
                throw AgentConfigurationError(message: "--taints: effect \"\(effect)\" is not NoSchedule, PreferNoSchedule or NoExecute")
            }
            let keyValue = item[..<colon].split(separator: "=", maxSplits: 1).map(String.init)
            guard let key = keyValue.first, !key.isEmpty else {
                throw AgentConfigurationError(message: "--taints: \"\(item)\" has no key")
            }
            return Taint(key: key, value: keyValue.count > 1 ? keyValue[1] : "", effect: effect)
        }
    }

    /// `10s`, `500ms`, `1m` or plain seconds.
    public static func parseDuration(_ text: String, flag: String) throws(AgentConfigurationError) -> TimeInterval {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("", 1)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            if let number = Double(text.dropLast(suffix.count)), number > 0 { return number * factor }
        }
        throw AgentConfigurationError(message: "--\(flag): \"\(text)\" is not a positive duration such as 10s")
    }
}
