import Foundation
import HTTP
import Model

/// One open watch stream: what it selects, how it wants events encoded, and where it is in the
/// change stream. Its mutable state is guarded by the hub's lock.
final class Watcher: @unchecked Sendable {
    enum Format: Sendable {
        case json
        case table(ModelHooks.IncludeObject)
    }

    let id: Int
    /// The resource as the client asked for it (its version is the one events are sent in).
    let resource: ResourceInfo
    /// The stored version of `resource`, whose changes the hub dispatches.
    let storedResource: ResourceInfo
    /// True when events are converted from the stored version (an autoscaling/v1 watch).
    let converts: Bool
    let namespace: String?
    let labelSelector: LabelSelector
    let fieldSelector: FieldSelector
    let format: Format
    let bookmarks: Bool
    let stream: any HTTPStream
    let deadline: Date
    /// Only changes newer than this are sent.
    var startResourceVersion: Int64
    /// Newest resourceVersion sent (events or bookmarks).
    var sentResourceVersion: Int64
    /// False while the watcher catches up from history; live events wait in `pending` meanwhile.
    var live = false
    var pending: [[UInt8]] = []
    var lastWrite = Date()
    /// Table watchers send column definitions with their first row only (kubectl reuses them).
    var sentTableHeader = false

    init(id: Int, resource: ResourceInfo, namespace: String?, labelSelector: LabelSelector, fieldSelector: FieldSelector,
         format: Format, bookmarks: Bool, stream: any HTTPStream, deadline: Date, startResourceVersion: Int64) {
        self.id = id
        self.resource = resource
        self.storedResource = ResourceCatalog.storageVersion(of: resource)
        self.converts = ResourceConversion.isConverted(resource)
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.format = format
        self.bookmarks = bookmarks
        self.stream = stream
        self.deadline = deadline
        self.startResourceVersion = startResourceVersion
        self.sentResourceVersion = startResourceVersion
    }

    func matches(_ signature: ObjectSignature?) -> Bool {
        signature?.matches(namespace: namespace, labels: labelSelector, fields: fieldSelector) ?? false
    }

    /// Sends bytes now, or parks them while catching up. Returns false once the client is gone.
    @discardableResult
    func deliver(_ bytes: [UInt8]) -> Bool {
        if !live {
            pending.append(bytes)
            return true
        }
        lastWrite = Date()
        return stream.write(bytes)
    }

    /// Encodes one event for this watcher's format.
    func encode(type: String, object: JSONValue?, raw: [UInt8], now: Date) -> [UInt8] {
        switch format {
        case .json:
            if converts, let object {
                return WatchEncoding.event(type: type, rawObject: ResourceConversion.fromStorage(object, to: resource).serialized())
            }
            return WatchEncoding.event(type: type, rawObject: raw)
        case .table(let include):
            let table = ModelHooks.table(resource: resource, objects: [object ?? .null],
                                         resourceVersion: object?.value(at: ["metadata", "resourceVersion"])?.string ?? "",
                                         continueToken: nil, includeObject: include, includeHeaders: !sentTableHeader, now: now)
            sentTableHeader = true
            return WatchEncoding.event(type: type, rawObject: table.serialized())
        }
    }

    /// A BOOKMARK carrying `resourceVersion`.
    func bookmark(_ resourceVersion: Int64) -> [UInt8] {
        let object: JSONValue = ["kind": .string(resource.kind), "apiVersion": .string(resource.apiVersion),
                                 "metadata": ["resourceVersion": .string(String(resourceVersion))]]
        return WatchEncoding.event(type: "BOOKMARK", rawObject: object.serialized())
    }
}

/// The watch wire format: one `{"type":…,"object":…}` JSON object per line.
enum WatchEncoding {
    static func event(type: String, rawObject: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(rawObject.count + 32)
        out.append(contentsOf: "{\"type\":\"\(type)\",\"object\":".utf8)
        out.append(contentsOf: rawObject)
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    /// The ERROR event for an expired resourceVersion (410).
    static func error(_ status: StatusError) -> [UInt8] {
        event(type: "ERROR", rawObject: status.statusObject.serialized())
    }
}
