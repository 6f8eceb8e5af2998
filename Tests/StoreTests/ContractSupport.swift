import Foundation
import Model
import Store
import TestSupport

/// Shorthands the contract suite uses against any `ObjectStore`.
extension ObjectStore {
    /// Creates `object` at the key its metadata names, with a fresh uid.
    @discardableResult
    func create(_ object: JSONValue, resource: String = "pods") throws -> StoredObject {
        try create(ObjectBuilders.key(of: object, resource: resource), uid: UUID().uuidString, json: object.serialized())
    }

    /// Replaces the object at `object`'s key, expecting it at `resourceVersion`.
    @discardableResult
    func update(_ object: JSONValue, resource: String = "pods", ifResourceVersion: Int64) throws -> StoredObject {
        try update(ObjectBuilders.key(of: object, resource: resource), json: object.serialized(), ifResourceVersion: ifResourceVersion)
    }

    /// Deletes the object at `key` whatever its resourceVersion.
    @discardableResult
    func delete(_ key: ObjectKey) throws -> StoredObject {
        try delete(key, ifResourceVersion: nil)
    }

    /// `namespace/name` of every item of one unpaged list.
    func names(_ query: ListQuery) throws -> [String] {
        try list(query).items.map(\.qualifiedName)
    }

    /// Every page of `query`, following continue tokens; `between` runs after each page but the last.
    func pages(_ query: ListQuery, between: (Int) throws -> Void = { _ in }) throws -> [ListResult] {
        var query = query
        var pages = [try list(query)]
        while let token = pages.last?.continueToken {
            try between(pages.count)
            query.continueToken = token
            pages.append(try list(query))
        }
        return pages
    }
}

extension StoredObject {
    /// `namespace/name`.
    var qualifiedName: String { "\(key.namespace)/\(key.name)" }

    /// Everything about the object as one readable line, so failed comparisons print legibly.
    var summary: String { "\(key) uid=\(uid) rv=\(resourceVersion) \(String(decoding: json, as: UTF8.self))" }

    /// The body's `metadata.resourceVersion`.
    func bodyResourceVersion() throws -> String? {
        try parsed().value(at: ["metadata", "resourceVersion"])?.string
    }

    /// The body without `metadata.resourceVersion`, for comparing versions of one object.
    func bodyWithoutResourceVersion() throws -> JSONValue {
        var body = try parsed()
        body.setValue(nil, at: ["metadata", "resourceVersion"])
        return body
    }
}

/// The key of a pod.
func podKey(_ name: String, _ namespace: String = "default") -> ObjectKey {
    ObjectKey(resource: "pods", namespace: namespace, name: name)
}

extension ListQuery {
    /// The same query at exactly `resourceVersion`.
    func exactly(_ resourceVersion: Int64) -> ListQuery {
        var query = self
        query.resourceVersion = resourceVersion
        return query
    }
}
