import Model

/// One event of a watch stream: `{"type":"ADDED","object":{…}}`.
public struct WatchEvent: Sendable, Equatable {
    /// The event types the server sends.
    public enum EventType: String, Sendable, Equatable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
        case bookmark = "BOOKMARK"
        case error = "ERROR"
    }

    public var type: EventType
    /// The object (for DELETED its last state; for BOOKMARK only `metadata.resourceVersion`).
    public var object: JSONValue

    public init(type: EventType, object: JSONValue) {
        self.type = type
        self.object = object
    }

    /// The object's `metadata.resourceVersion`, `""` if absent.
    public var resourceVersion: String { object.value(at: ["metadata", "resourceVersion"])?.string ?? "" }

    /// Decodes one line of a watch stream.
    public static func decode(line: [UInt8]) throws -> WatchEvent {
        let json = try JSONValue.parse(line)
        guard let typeName = json["type"]?.string else {
            throw ClientError.invalidResponse("a watch event has no \"type\" field")
        }
        guard let type = EventType(rawValue: typeName) else {
            throw ClientError.invalidResponse("a watch event has the unknown type \"\(typeName)\"")
        }
        return WatchEvent(type: type, object: json["object"] ?? .null)
    }

    /// For an ERROR event, the error it carries: `ClientError.watchExpired` for code 410 (the
    /// caller must relist), otherwise the `StatusError`. Nil for every other event type.
    public var error: (any Error)? {
        guard type == .error else { return nil }
        let status = StatusError.decode(status: object, httpStatus: 500)
        return status.code == 410 ? ClientError.watchExpired(status) : status
    }
}
