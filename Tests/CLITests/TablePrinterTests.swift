@testable import CLI
import Foundation
import Model
import Testing

@Suite struct TablePrinterTests {
    let table: JSONValue = [
        "kind": "Table", "apiVersion": "meta.k8s.io/v1",
        "columnDefinitions": [
            ["name": "Name", "type": "string", "priority": 0],
            ["name": "Status", "type": "string", "priority": 0],
            ["name": "Restarts", "type": "integer", "priority": 0],
            ["name": "Node", "type": "string", "priority": 1],
        ],
        "rows": [
            ["cells": ["hello-world", "Running", 0, "node-a"], "object": ["metadata": ["name": "hello-world", "namespace": "default"]]],
            ["cells": ["x", "Pending", 12, .null], "object": ["metadata": ["name": "x", "namespace": "team-a"]]],
        ],
    ]

    @Test func printsUpperCaseHeadersAlignedWithThreeSpaces() {
        #expect(TablePrinter().render(table) == [
            "NAME          STATUS    RESTARTS",
            "hello-world   Running   0",
            "x             Pending   12",
        ])
    }

    @Test func wideShowsPriorityColumnsAndAllNamespacesAddsNamespace() {
        #expect(TablePrinter(wide: true, showNamespace: true).render(table) == [
            "NAMESPACE   NAME          STATUS    RESTARTS   NODE",
            "default     hello-world   Running   0          node-a",
            "team-a      x             Pending   12         <none>",
        ])
    }

    @Test func emptyTablePrintsNothing() {
        var empty = table
        empty["rows"] = []
        #expect(TablePrinter().render(empty).isEmpty)
    }

    @Test func fallbackTableShowsNameAndAge() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        let list: JSONValue = ["items": [["metadata": ["name": "a", "creationTimestamp": "1970-01-12T13:44:40Z"]]]]
        let rendered = TablePrinter().render(TablePrinter.fallbackTable(for: list, now: now))
        #expect(rendered == ["NAME   AGE", "a      2m"])
    }

    @Test func getPrintsTheServersTable() async throws {
        let client = FakeAPIClientWithTable.make(table)
        let result = await runCLI(["get", "pods", "-A", "-o", "wide"], client: client)
        #expect(result.status == 0)
        #expect(result.out.hasPrefix("NAMESPACE   NAME          STATUS    RESTARTS   NODE\n"))
        let request = try #require(client.calls.first { $0.verb == "raw" })
        #expect(request.resource == "/api/v1/pods")
    }
}
