import Model

extension MemoryStore {
    /// One page of matching objects as they were at the first page's resourceVersion.
    public func list(_ query: ListQuery) throws(StoreError) -> ListResult {
        try withState { (state) throws(StoreError) -> ListResult in
            var at = state.resourceVersion
            var resumeAfter: Name?
            if let text = query.continueToken {
                let token = try ContinueToken(decoding: text)
                if token.resourceVersion > state.resourceVersion {
                    throw .invalidContinueToken("it names resourceVersion \(token.resourceVersion), newer than the store's \(state.resourceVersion)")
                }
                if token.resourceVersion < state.compactedResourceVersion {
                    throw .expired(requested: token.resourceVersion, oldest: state.compactedResourceVersion)
                }
                at = token.resourceVersion
                resumeAfter = token.last
            } else if let exact = query.resourceVersion {
                if exact > state.resourceVersion {
                    throw .invalidContinueToken("resourceVersion \(exact) is newer than the store's \(state.resourceVersion)")
                }
                if exact < state.compactedResourceVersion {
                    throw .expired(requested: exact, oldest: state.compactedResourceVersion)
                }
                at = exact
            }
            guard let table = state.tables[query.resource] else { return ListResult(items: [], resourceVersion: at) }
            return Self.page(of: table, query: query, at: at, resumeAfter: resumeAfter)
        }
    }

    /// Walks the names in order from where the previous page stopped, collecting up to the limit
    /// and counting the matches that remain.
    private static func page(of table: ResourceTable, query: ListQuery, at resourceVersion: Int64,
                             resumeAfter: Name?) -> ListResult {
        var index = 0
        if let namespace = query.namespace { index = table.firstIndex(notBefore: Name(namespace: namespace, name: "")) }
        if let resumeAfter { index = max(index, table.firstIndex(after: resumeAfter)) }
        let limit = query.limit.flatMap { $0 > 0 ? $0 : nil } ?? Int.max
        var items: [StoredObject] = []
        var last: Name?
        var remaining = 0
        while index < table.names.count {
            let name = table.names[index]
            index += 1
            if let namespace = query.namespace, name.namespace != namespace { break }
            guard let revision = table.revision(of: name, at: resourceVersion), matches(revision.body, query) else { continue }
            if items.count < limit {
                items.append(revision.change.object)
                last = name
            } else {
                remaining += 1
            }
        }
        guard remaining > 0, let last else { return ListResult(items: items, resourceVersion: resourceVersion) }
        let token = ContinueToken(resourceVersion: resourceVersion, last: last)
        return ListResult(items: items, resourceVersion: resourceVersion, continueToken: token.encoded,
                          remainingItemCount: remaining)
    }

    private static func matches(_ body: JSONValue, _ query: ListQuery) -> Bool {
        if !query.labelSelector.isEmpty {
            let labels = body.value(at: ["metadata", "labels"])?.stringMap ?? [:]
            if !query.labelSelector.matches(labels) { return false }
        }
        return query.fieldSelector.matches(body)
    }
}
