/// One entry of `metadata.ownerReferences`: the object that owns this one.
public struct OwnerReference: Sendable, Hashable {
    public var apiVersion: String
    public var kind: String
    public var name: String
    public var uid: String
    /// The owner is this object's managing controller (at most one reference says so).
    public var controller: Bool
    /// A foreground deletion of the owner waits for this dependent to be gone.
    public var blockOwnerDeletion: Bool

    public init(apiVersion: String, kind: String, name: String, uid: String, controller: Bool = false,
                blockOwnerDeletion: Bool = false) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }

    /// The reference a controller writes on what it creates: `controller` and `blockOwnerDeletion` set.
    public static func controlling(apiVersion: String, kind: String, name: String, uid: String) -> OwnerReference {
        OwnerReference(apiVersion: apiVersion, kind: kind, name: name, uid: uid, controller: true, blockOwnerDeletion: true)
    }

    /// Reads one reference; nil when a required field is missing or of the wrong type.
    public init?(json: JSONValue) {
        guard let apiVersion = json["apiVersion"]?.string, let kind = json["kind"]?.string,
              let name = json["name"]?.string, let uid = json["uid"]?.string else { return nil }
        self.init(apiVersion: apiVersion, kind: kind, name: name, uid: uid,
                  controller: json["controller"]?.bool ?? false, blockOwnerDeletion: json["blockOwnerDeletion"]?.bool ?? false)
    }

    /// The references of an object (malformed entries skipped).
    public static func all(of object: JSONValue) -> [OwnerReference] {
        ObjectMetaView(object["metadata"]).ownerReferences
    }

    /// The controlling reference of an object, if any.
    public static func controller(of object: JSONValue) -> OwnerReference? {
        ObjectMetaView(object["metadata"]).controllerReference
    }

    /// The API group of `apiVersion` (`""` for core `v1`).
    public var group: String {
        guard let slash = apiVersion.firstIndex(of: "/") else { return "" }
        return String(apiVersion[..<slash])
    }

    /// The JSON form, as the API stores it.
    public var json: JSONValue {
        ["apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(name), "uid": .string(uid),
         "controller": .bool(controller), "blockOwnerDeletion": .bool(blockOwnerDeletion)]
    }
}
