import Foundation
import Model

/// The CLI's connection settings, kept as JSON (`{"server":"http://127.0.0.1:8080","token":"…"}`)
/// in `$DROVER_CONFIG` or `~/.drover/config`; `drover up` writes it.
public struct ClientConfig: Sendable, Equatable {
    /// Base URL of the API server.
    public var server: String
    /// Bearer token; nil when the server needs none.
    public var token: String?

    public init(server: String, token: String? = nil) {
        self.server = server
        self.token = token
    }

    /// The environment variable naming the config file.
    public static let pathVariable = "DROVER_CONFIG"

    /// `$DROVER_CONFIG`, else `$HOME/.drover/config` (the home directory from the environment, then
    /// from the user database).
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment[pathVariable], !path.isEmpty { return path }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".drover/config")
    }

    /// Parses the config document.
    public static func parse(_ bytes: [UInt8], path: String) throws(ConfigError) -> ClientConfig {
        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes)
        } catch {
            throw ConfigError("The config file \(path) is not valid JSON: \(error).")
        }
        guard let server = json["server"]?.string, !server.isEmpty else {
            throw ConfigError("The config file \(path) has no \"server\" address.")
        }
        return ClientConfig(server: server, token: json["token"]?.string)
    }

    /// Reads the config file at `path`.
    public static func load(from path: String) throws(ConfigError) -> ClientConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError("No Drover config at \(path): run `drover up`, set \(pathVariable), or pass --server.")
        }
        return try parse([UInt8](data), path: path)
    }

    /// The config as JSON text.
    public var json: JSONValue {
        var object: JSONValue = ["server": .string(server)]
        if let token { object["token"] = .string(token) }
        return object
    }

    /// Writes the config to `path`, creating its directory; the file is readable by its owner only
    /// because it holds a token.
    public func write(to path: String) throws(ConfigError) {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            }
            try Data(json.serialized() + [UInt8(ascii: "\n")]).write(to: URL(fileURLWithPath: path), options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        } catch {
            throw ConfigError("Could not write the config file \(path): \(error.localizedDescription)")
        }
    }
}

/// A config file that is missing, unreadable or malformed.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
