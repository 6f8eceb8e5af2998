import Foundation
import Model

/// Where a paged list resumes: the resourceVersion all its pages are consistent at and the last
/// key returned. Clients see it as opaque base64 of a small JSON object.
struct ContinueToken: Equatable {
    var resourceVersion: Int64
    var namespace: String
    var name: String

    /// The opaque form handed to clients.
    var encoded: String {
        let json: JSONValue = ["rv": .int(resourceVersion), "ns": .string(namespace), "name": .string(name)]
        return Data(json.serialized()).base64EncodedString()
    }

    /// Decodes a token from a client; anything malformed is `.invalidContinueToken`.
    init(decoding text: String) throws(StoreError) {
        guard let data = Data(base64Encoded: text) else { throw .invalidContinueToken("not base64") }
        guard let json = try? JSONValue.parse([UInt8](data)),
              let rv = json["rv"]?.int, let namespace = json["ns"]?.string, let name = json["name"]?.string, rv >= 0 else {
            throw .invalidContinueToken("not a token issued by this server")
        }
        self.init(resourceVersion: rv, namespace: namespace, name: name)
    }

    init(resourceVersion: Int64, namespace: String, name: String) {
        self.resourceVersion = resourceVersion
        self.namespace = namespace
        self.name = name
    }
}
