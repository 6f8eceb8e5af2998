import Foundation
import HTTP
import Logging
import Model
import Store

/// Unpaginated JSON lists, streamed: a list without `limit` is read from the store in pages of
/// `streamedListPageSize` at the first page's resourceVersion (continue pages are consistent at
/// it) and written to a chunked response page by page, waiting while the client has more than
/// `streamedListBacklogBytes` unread — so a list of 150,000 pods holds one page in memory, not the
/// whole response (upstream builds it whole; issue 16 asks for bounded memory). Failures before
/// the first byte are ordinary Status errors; a failure mid-way cuts the body short, which every
/// JSON client reports as an error rather than a short list.
extension APIServer {
    static let streamedListPageSize = 1000
    static let streamedListBacklogBytes = 8 << 20

    /// Streams the list when it is an unpaginated JSON list; false when `list` should answer it.
    func streamListIfUnpaginated(_ context: RequestContext, responder: any HTTPResponder) throws(StatusError) -> Bool {
        guard !context.wantsTable, ResourceConversion.isConverted(context.resource) == false else { return false }
        var query = try listQuery(context)
        guard query.continueToken == nil, (query.limit ?? 0) == 0 else { return false }
        let requested = try requestedResourceVersion(context)
        if try resourceVersionMatch(context) == "Exact" { query.resourceVersion = requested }
        query.limit = Self.streamedListPageSize
        var page = try readListPage(query, context: context)
        let stream = responder.stream(status: 200, headers: [("Content-Type", "application/json")])
        var head = ListEncoder.head(resource: context.resource, resourceVersion: page.resourceVersion, continueToken: nil, remaining: nil)
        head.append(contentsOf: "\"items\":[".utf8)
        stream.write(head)
        var first = true
        while true {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(page.items.reduce(0) { $0 + $1.json.count + 1 })
            for item in page.items {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                bytes.append(contentsOf: item.json)
            }
            guard stream.write(bytes) else { return true }
            guard let token = page.continueToken else { break }
            while stream.isOpen, stream.pendingBytes > Self.streamedListBacklogBytes { Thread.sleep(forTimeInterval: 0.002) }
            query.continueToken = token
            query.resourceVersion = nil
            do {
                page = try store.list(query)
            } catch {
                Logger("apiserver").warning("a streamed list was cut short", object: context.resource.storageName,
                                            ["error": "\(error)"])
                stream.close()
                return true
            }
        }
        stream.write(Array("]}".utf8))
        stream.close()
        return true
    }
}
