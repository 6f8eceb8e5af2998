@testable import CLI
import Client
import Foundation
import Model
import TestSupport
import Testing

@Suite struct TabAlignerTests {
    /// Go's text/tabwriter with kubectl's settings, case by case.
    @Test(arguments: [
        (["a:\tb", "long key:\tc"], ["a:         b", "long key:  c"]),
        // A line without a cell ends the block: what follows aligns on its own (the indented
        // lines and the next top-level one form one block, as in Go).
        (["Name:\tx", "Containers:", "  main:", "    Image:\tbusybox", "    Port:\t<none>", "Status:\tok"],
         ["Name:  x", "Containers:", "  main:", "    Image:  busybox", "    Port:   <none>", "Status:     ok"]),
        // Continuation lines (`\tk=v`) share the column of the line above.
        (["Labels:\ta=b", "\tc=d", "Annotations:\t<none>"], ["Labels:       a=b", "              c=d", "Annotations:  <none>"]),
        // Column 2 aligns only over lines that have a second cell.
        (["  Type\tReason\tMessage", "  ----\t------\t-------", "  Normal\tScheduled\tok"],
         ["  Type    Reason     Message", "  ----    ------     -------", "  Normal  Scheduled  ok"]),
        (["no tabs at all"], ["no tabs at all"]),
    ])
    func alignsLikeGoTabwriter(input: [String], expected: [String]) {
        #expect(TabAligner.align(input) == expected)
    }
}

@Suite struct DescribeFormatTests {
    @Test(arguments: [
        ("apiVersion", "API Version"), ("creationTimestamp", "Creation Timestamp"), ("uid", "UID"),
        ("podIP", "Pod IP"), ("machineID", "Machine ID"), ("kubeProxyVersion", "Kube Proxy Version"),
        ("app.kubernetes.io/name", "app.kubernetes.io/name"), ("replicas", "Replicas"), ("URLPath", "URL Path"),
    ])
    func fieldTitlesFollowKubectlSmartLabels(field: String, title: String) {
        #expect(GenericDescriber.title(field) == title)
    }

    @Test func timesAreRFC1123ZInUTC() throws {
        let date = try #require(RFC3339.parse("2026-12-03T13:05:09Z"))
        #expect(DescribeFormat.time(date) == "Thu, 03 Dec 2026 13:05:09 +0000")
    }

    @Test func selectorsPrintInQueryForm() {
        let selector: JSONValue = ["matchLabels": ["b": "2", "a": "1"],
                                   "matchExpressions": [["key": "t", "operator": "In", "values": ["x", "y"]], ["key": "c", "operator": "DoesNotExist"]]]
        #expect(SelectorText.render(selector) == "a=1,b=2,t in (x,y),!c")
        #expect(SelectorText.render(nil) == "<none>")
    }

    @Test func repeatedEventsShowTheirCountAndSpan() throws {
        let now = try #require(RFC3339.parse("2026-12-03T13:10:00Z"))
        let event: JSONValue = ["type": "Warning", "reason": "BackOff", "count": 3, "message": " restarting \n",
                                "firstTimestamp": "2026-12-03T13:00:00Z", "lastTimestamp": "2026-12-03T13:09:30Z",
                                "source": ["component": "agent"]]
        #expect(EventsSection.row(event, now: now) == ["Warning", "BackOff", "30s (x3 over 10m)", "agent", "restarting"])
    }
}
