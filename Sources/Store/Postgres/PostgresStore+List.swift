import Model
import Postgres

extension PostgresStore {
    /// One page, ordered by (namespace, name). The first page reads the objects table and the
    /// current rv in one snapshot; continue pages read the state at the token's rv (the objects
    /// table plus the change log for keys written since, see `ListStatement`), so every page of a
    /// list is consistent at the same rv while writes go on.
    public func list(_ query: ListQuery) throws(StoreError) -> ListResult {
        let start = try query.continueToken.map { token throws(StoreError) in try ContinueToken(decoding: token) }
            // An exact resourceVersion is a continue page from before the first key.
            ?? query.resourceVersion.map { ContinueToken(resourceVersion: $0, namespace: "", name: "") }
        let limit = query.limit.flatMap { $0 > 0 ? $0 : nil }
        var statement = ListStatement()
        let sql = statement.sql(for: query, limit: limit, start: start)
        let params = statement.params
        let r = try read { c throws(PostgresError) in try c.exec(sql, params) }
        guard let current = r.int64(0, 0), let compacted = r.int64(0, 1) else {
            throw .unavailable("the store_state row is missing; were the migrations applied?")
        }
        if let start, start.resourceVersion < compacted {
            throw .expired(requested: start.resourceVersion, oldest: compacted)
        }
        var items: [StoredObject] = []
        items.reserveCapacity(r.rowCount)
        for row in 0..<r.rowCount {
            guard let namespace = r.string(row, 2), let name = r.string(row, 3), let uid = r.string(row, 4),
                  let rv = r.int64(row, 5), let body = r.json(row, 6) else { continue }
            let key = ObjectKey(resource: query.resource, namespace: namespace, name: name)
            items.append(StoredObject(key: key, uid: uid, resourceVersion: rv, json: body))
        }
        let listRV = start?.resourceVersion ?? current
        // The statement returns one item beyond the page when more remain.
        guard let limit, items.count > limit else { return ListResult(items: items, resourceVersion: listRV) }
        items.removeLast(items.count - limit)
        let last = items[items.count - 1]
        let token = ContinueToken(resourceVersion: listRV, namespace: last.key.namespace, name: last.key.name)
        return ListResult(items: items, resourceVersion: listRV, continueToken: token.encoded)
    }
}
