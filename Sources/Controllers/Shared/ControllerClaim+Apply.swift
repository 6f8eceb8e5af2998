import Client
import Model

extension ControllerClaim {
    /// Carries out a claim through the API and returns `owned` with the released objects removed
    /// and the adopted ones added. An adoption is preceded by `ownerIsLive` (a live read of the
    /// owner), so an owner deleted or replaced meanwhile adopts nothing; each patch names the
    /// object's uid (a precondition on the server), so an object replaced under the same name is
    /// never touched.
    static func apply(_ claim: Result, owned: [JSONValue], resource: ResourceInfo, client: any APIClient,
                      owner: OwnerReference, ownerIsLive: () async throws -> Bool) async throws -> [JSONValue] {
        guard !claim.adopt.isEmpty || !claim.release.isEmpty else { return owned }
        func meta(_ object: JSONValue) -> ObjectMetaView { ObjectMetaView(object["metadata"]) }
        let released = Set(claim.release.map { meta($0).uid })
        var result = owned.filter { !released.contains(meta($0).uid) }
        for object in claim.release {
            let body: JSONValue = ["metadata": ["uid": .string(meta(object).uid),
                                                "ownerReferences": [["$patch": "delete", "uid": .string(owner.uid)]]]]
            try await ignoringGone {
                _ = try await client.patch(resource, namespace: meta(object).namespace, name: meta(object).name,
                                           type: .strategicMerge, body: body)
            }
        }
        guard !claim.adopt.isEmpty, try await ownerIsLive() else { return result }
        for object in claim.adopt {
            let body: JSONValue = ["metadata": ["uid": .string(meta(object).uid), "ownerReferences": [owner.json]]]
            try await ignoringGone {
                result.append(try await client.patch(resource, namespace: meta(object).namespace, name: meta(object).name,
                                                     type: .strategicMerge, body: body))
            }
        }
        return result
    }

    /// An object gone (404) or replaced (409/422 on the uid) is not this sync's to claim.
    private static func ignoringGone(_ body: () async throws -> Void) async throws {
        do { try await body() } catch let error as StatusError where [404, 409, 422].contains(error.code) {}
    }
}
