import Foundation
import Model

extension MemoryStore {
    /// Where a paged list resumes: the resourceVersion every page is consistent at and the last
    /// name returned. Sent to clients as opaque URL-safe base64 of a small JSON object.
    struct ContinueToken: Equatable {
        var resourceVersion: Int64
        var last: Name

        init(resourceVersion: Int64, last: Name) {
            self.resourceVersion = resourceVersion
            self.last = last
        }

        /// Reads a token produced by `encoded`; anything else is `.invalidContinueToken`.
        init(decoding text: String) throws(StoreError) {
            var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
            guard let data = Data(base64Encoded: base64), let json = try? JSONValue.parse(data) else {
                throw .invalidContinueToken("it is not a token this server issued")
            }
            guard let resourceVersion = json["rv"]?.int, resourceVersion > 0,
                  let namespace = json["ns"]?.string, let name = json["name"]?.string else {
                throw .invalidContinueToken("it lacks a resourceVersion or a position")
            }
            self.init(resourceVersion: resourceVersion, last: Name(namespace: namespace, name: name))
        }

        /// The token as clients see it.
        var encoded: String {
            let json: JSONValue = ["rv": .int(resourceVersion), "ns": .string(last.namespace), "name": .string(last.name)]
            return Data(json.serialized()).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
    }
}
