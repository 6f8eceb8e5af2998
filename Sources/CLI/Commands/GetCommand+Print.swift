import Client
import Foundation
import Model

/// What the initial list of `get` did: its exit status, the list's resourceVersion (where `-w`
/// continues) and the table cells it printed (whose widths `-w` rows keep).
struct ListResult {
    var status: Int32
    var resourceVersion: String?
    var printed: [[String]] = []
}

extension GetCommand {
    /// The Accept header for the server's Table, with plain JSON as the fallback.
    static let tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"

    /// Default and wide output: the server's Table (rows of several names merged under one
    /// header), sorted by `--sort-by` over the rows' full objects. Returns the exit status and the
    /// list's resourceVersion and printed cells for `-w`.
    func printTable(_ client: any APIClient, _ context: CommandContext) async throws -> ListResult {
        if names.isEmpty && sortBy == nil { return try await printPagedTable(client, context) }
        let printer = TablePrinter(wide: output == .wide, showNamespace: allNamespaces && resource.namespaced)
        var query = listQuery
        // Sorting needs the whole object in each row, not only its metadata.
        if sortBy != nil { query.append(("includeObject", "Object")) }
        var merged: JSONValue?
        var failed = false
        var resourceVersion: String?
        for path in try paths() {
            let request = RawRequest(method: "GET", path: path, query: query, headers: ["Accept": Self.tableAccept])
            let response: RawResponse
            do {
                response = try await client.raw(request).checked()
            } catch let error as StatusError where !names.isEmpty {
                context.printError(ErrorReport.describe(error))
                failed = true
                continue
            }
            var table = try response.json()
            if table["kind"]?.string != "Table" { table = TablePrinter.fallbackTable(for: table, now: context.now()) }
            resourceVersion = table.value(at: ["metadata", "resourceVersion"])?.string ?? resourceVersion
            if var current = merged {
                current["rows"] = .array((current["rows"]?.array ?? []) + (table["rows"]?.array ?? []))
                merged = current
            } else {
                merged = table
            }
        }
        if var table = merged, let sortBy {
            table["rows"] = .array(ObjectSorter.sorted(table["rows"]?.array ?? [], by: sortBy) { $0["object"] ?? .null })
            merged = table
        }
        var lines = merged.map { printer.cells($0) } ?? []
        if noHeaders && !lines.isEmpty { lines.removeFirst() }
        if !lines.isEmpty {
            context.out(TablePrinter.align(lines).joined(separator: "\n") + "\n")
        } else if names.isEmpty && !watch {
            reportEmpty(context)
        }
        return ListResult(status: failed ? 1 : 0, resourceVersion: resourceVersion, printed: lines)
    }

    /// A list in pages (`firstPageSize`, then `pageSize`), each printed as it arrives (a 10,000-pod list starts at once
    /// and never sits whole in memory as JSON); the header once, columns only ever widening.
    func printPagedTable(_ client: any APIClient, _ context: CommandContext) async throws -> ListResult {
        let printer = TablePrinter(wide: output == .wide, showNamespace: allNamespaces && resource.namespaced)
        let path = ResourcePath.collection(resource, namespace: effectiveNamespace)
        var token: String?
        var widths: [Int] = []
        var printed: [[String]] = []
        var resourceVersion: String?
        repeat {
            var query = listQuery + [("limit", String(token == nil ? Self.firstPageSize : Self.pageSize))]
            if let token { query.append(("continue", token)) }
            let response = try await client.raw(RawRequest(method: "GET", path: path, query: query, headers: ["Accept": Self.tableAccept])).checked()
            var table = try response.json()
            if table["kind"]?.string != "Table" { table = TablePrinter.fallbackTable(for: table, now: context.now()) }
            resourceVersion = table.value(at: ["metadata", "resourceVersion"])?.string ?? resourceVersion
            token = table.value(at: ["metadata", "continue"])?.string.flatMap { $0.isEmpty ? nil : $0 }
            guard !(table["rows"]?.array ?? []).isEmpty else { continue }
            var lines = printer.cells(table)
            if noHeaders || !printed.isEmpty { lines.removeFirst() }
            guard !lines.isEmpty else { continue }
            context.out(TablePrinter.align(lines, widths: &widths).joined(separator: "\n") + "\n")
            printed += lines
        } while token != nil
        if printed.isEmpty && !watch { reportEmpty(context) }
        return ListResult(status: 0, resourceVersion: resourceVersion, printed: printed)
    }

    /// Rows of the first page: kubectl's chunk size, so the first rows show at once.
    static let firstPageSize = 500
    /// Rows of each later page: bigger, because every continue page costs the server a pass over
    /// the list (10,000 pods: 20 pages of 500 took 1.9 s, 500 then 5,000s well under 1 s).
    static let pageSize = 5000

    /// json, yaml, name, jsonpath and custom-columns: the objects themselves.
    func printObjects(_ client: any APIClient, _ context: CommandContext) async throws -> ListResult {
        var objects: [JSONValue] = []
        var failed = false
        var resourceVersion: String?
        if names.isEmpty {
            let options = ListOptions(labelSelector: labelSelector, fieldSelector: fieldSelector)
            let list = try await client.list(resource, namespace: effectiveNamespace, options: options)
            objects = list.items
            resourceVersion = list.resourceVersion
        } else {
            for name in names {
                do {
                    let object = try await client.get(resource, namespace: effectiveNamespace, name: name)
                    // A watch of one named object continues from that object's version.
                    resourceVersion = object.value(at: ["metadata", "resourceVersion"])?.string
                    objects.append(object)
                } catch let error as StatusError {
                    context.printError(ErrorReport.describe(error))
                    failed = true
                }
            }
        }
        objects = objects.map(withTypeMeta)
        if let sortBy { objects = ObjectSorter.sorted(objects, by: sortBy) }
        if names.isEmpty && objects.isEmpty && !watch {
            if case .json = output {} else if case .yaml = output {} else { reportEmpty(context) }
        }
        // One named object prints bare; anything else is wrapped in a List, as kubectl does.
        if names.count == 1 && objects.isEmpty { return ListResult(status: failed ? 1 : 0, resourceVersion: resourceVersion) }
        let single = names.count == 1 && objects.count == 1
        switch output {
        case .name:
            for object in objects { context.print(nameLine(object)) }
        case .json, .yaml:
            if watch && objects.isEmpty { break }
            printDocument(single ? objects[0] : listDocument(objects), context)
        case .jsonpath(let template):
            context.out(template.render(single ? objects[0] : listDocument(objects)))
        case .customColumns(let columns):
            let lines = columns.render(objects, headers: !noHeaders)
            if !objects.isEmpty || !noHeaders { context.out(lines.joined(separator: "\n") + "\n") }
        case .table, .wide:
            break
        }
        return ListResult(status: failed ? 1 : 0, resourceVersion: resourceVersion)
    }

    /// Prints one document as `-o json` or `-o yaml`.
    func printDocument(_ document: JSONValue, _ context: CommandContext) {
        context.out(output == .json ? JSONPrettyPrinter.render(document) : YAMLWriter.render(document))
    }

    /// `job.batch/hello`.
    func nameLine(_ object: JSONValue) -> String { "\(resource.displayName)/\(object.objectName)" }

    /// The `kind: List` kubectl wraps several objects in.
    func listDocument(_ objects: [JSONValue]) -> JSONValue {
        ["apiVersion": "v1", "items": .array(objects), "kind": "List", "metadata": ["resourceVersion": ""]]
    }

    /// List items may omit kind and apiVersion; printed objects carry them.
    func withTypeMeta(_ object: JSONValue) -> JSONValue {
        guard object["kind"] == nil || object["apiVersion"] == nil else { return object }
        var typed: JSONValue = ["apiVersion": .string(resource.apiVersion), "kind": .string(resource.kind)]
        for (k, v) in object.object?.pairs ?? [] { typed[k] = v }
        return typed
    }
}
