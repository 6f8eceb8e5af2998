import Foundation
import HTTP
import Model
import Store

extension APIServer {
    /// GET ...?watch=true: a chunked stream of events. Without resourceVersion (or "0") it starts
    /// with a synthetic ADDED for every current match; with one, it sends only newer changes, or an
    /// ERROR 410 event when that version has been compacted away (a 504 before the stream starts when
    /// the version is ahead of the store).
    func watch(_ context: RequestContext, responder: any HTTPResponder) throws(StatusError) {
        var query = try listQuery(context)
        query.limit = nil
        query.continueToken = nil
        var start: Int64
        var initial: [StoredObject] = []
        if let rv = try requestedResourceVersion(context) {
            start = rv
        } else {
            let result = try withStore(context.resource, "") { () throws(StoreError) in try store.list(query) }
            initial = result.items
            start = result.resourceVersion
        }
        let timeout: Double
        if let seconds = try context.intParameter("timeoutSeconds"), seconds > 0 {
            timeout = Double(seconds)
        } else {
            timeout = Double.random(in: config.maxWatchSeconds / 2...config.maxWatchSeconds)
        }
        let format: Watcher.Format = context.wantsTable ? .table(context.includeObject) : .json
        let stream = responder.stream(status: 200, headers: [("Content-Type", "application/json"), ("Cache-Control", "no-cache, private")])
        let watcher = Watcher(id: hub.makeID(), resource: context.resource, namespace: context.target.namespace,
                              labelSelector: query.labelSelector, fieldSelector: query.fieldSelector, format: format,
                              bookmarks: context.query["allowWatchBookmarks"] == "true", stream: stream,
                              deadline: context.now.addingTimeInterval(timeout), startResourceVersion: start)
        for item in initial {
            let object = try? JSONValue.parse(item.json)
            stream.write(watcher.encode(type: "ADDED", object: object, raw: item.json, now: context.now))
        }
        do {
            try hub.add(watcher)
        } catch .expired(let requestedRV, let oldest) {
            stream.write(WatchEncoding.error(.expired("too old resource version: \(requestedRV) (\(oldest))")))
            stream.close()
        } catch {
            stream.write(WatchEncoding.error(statusError(error, resource: context.resource, name: "")))
            stream.close()
        }
    }
}
