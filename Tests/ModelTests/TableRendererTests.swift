import Foundation
import Testing
@testable import Model

private func json(_ text: String) -> JSONValue {
    do { return try JSONValue.parse(text) } catch { fatalError("bad test JSON \(text): \(error)") }
}

/// 2024-05-01T12:00:00Z; every fixture's timestamps are relative to it.
let tableNow = Date(timeIntervalSince1970: 1_714_564_800)

@Suite struct TableRendererTests {
    let renderer = TableRenderer(now: tableNow)

    static let pod = #"{"metadata":{"name":"web-1","namespace":"default","resourceVersion":"42","labels":{"app":"web"},"creationTimestamp":"2024-05-01T11:55:00Z"},"spec":{"nodeName":"n1","containers":[{"name":"main","image":"web:1"}]},"status":{"phase":"Running","podIP":"10.0.0.5","conditions":[{"type":"Ready","status":"True"}],"containerStatuses":[{"name":"main","ready":true,"restartCount":0,"state":{"running":{"startedAt":"2024-05-01T11:55:10Z"}}}]}}"#

    @Test func wrapsRowsInAMetaV1Table() {
        let table = renderer.table(for: ResourceCatalog.pods, objects: [json(Self.pod)], resourceVersion: "1042", continueToken: "abc")
        #expect(table["kind"] == "Table")
        #expect(table["apiVersion"] == "meta.k8s.io/v1")
        #expect(table["metadata"] == json(#"{"resourceVersion":"1042","continue":"abc"}"#))
        #expect(table["columnDefinitions"]?[0] == json(#"{"name":"Name","type":"string","format":"name","description":"Name must be unique within a namespace.","priority":0}"#))
        let names = table["columnDefinitions"]?.array?.compactMap { $0["name"]?.string }
        #expect(names == ["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"])
        let priorities = table["columnDefinitions"]?.array?.compactMap { $0["priority"]?.int }
        #expect(priorities == [0, 0, 0, 0, 0, 1, 1, 1, 1])
        #expect(table["rows"]?[0]?["cells"] == json(#"["web-1","1/1","Running","0","5m","10.0.0.5","n1","<none>","<none>"]"#))
    }

    @Test func rowObjectFollowsIncludeObject() {
        let pod = json(Self.pod)
        let partial = renderer.table(for: ResourceCatalog.pods, objects: [pod])["rows"]?[0]?["object"]
        #expect(partial == ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": pod["metadata"]!])

        let full = TableRenderer(now: tableNow, includeObject: .object).table(for: ResourceCatalog.pods, objects: [pod])["rows"]?[0]?["object"]
        #expect(full?["kind"] == "Pod")
        #expect(full?["apiVersion"] == "v1")
        #expect(full?["spec"] == pod["spec"])

        let bare = TableRenderer(now: tableNow, includeObject: .none).table(for: ResourceCatalog.pods, objects: [pod])["rows"]?[0]
        #expect(bare?["object"] == nil)
        #expect(bare?["cells"] != nil)
    }

    @Test func singleObjectTableCarriesTheObjectsResourceVersion() {
        let table = renderer.table(for: ResourceCatalog.pods, object: json(Self.pod), includeColumnDefinitions: false)
        #expect(table["metadata"] == json(#"{"resourceVersion":"42"}"#))
        #expect(table["columnDefinitions"] == [])
        #expect(table["rows"]?.array?.count == 1)
    }

    @Test func emptyListHasNoRows() {
        let table = renderer.table(for: ResourceCatalog.jobs, objects: [], resourceVersion: "7", remainingItemCount: 0)
        #expect(table["rows"] == [])
        #expect(table["metadata"] == json(#"{"resourceVersion":"7","remainingItemCount":0}"#))
        #expect(table["columnDefinitions"]?.array?.count == 8)
    }

    @Test func unknownKindsGetNameAndAge() {
        let other = ResourceInfo(group: "example.com", kind: "Widget", plural: "widgets", singular: "widget", namespaced: true)
        #expect(TableRenderer.columns(for: other).map(\.name) == ["Name", "Age"])
        let cells = renderer.cells(for: json(#"{"metadata":{"name":"w"}}"#), resource: other)
        #expect(cells == ["w", "<unknown>"])
    }

    /// (description, pod JSON, expected cells)
    static let pods: [(String, String, String)] = [
        ("pending while the image pulls",
         #"{"metadata":{"name":"p","creationTimestamp":"2024-05-01T11:59:50Z"},"spec":{"containers":[{"name":"a"},{"name":"b"}]},"status":{"phase":"Pending","containerStatuses":[{"name":"a","ready":false,"restartCount":0,"state":{"waiting":{"reason":"ContainerCreating"}}},{"name":"b","ready":true,"restartCount":0,"state":{"running":{}}}]}}"#,
         #"["p","1/2","ContainerCreating","0","10s","<none>","<none>","<none>","<none>"]"#),
        ("succeeded with the kubelet's Completed reason",
         #"{"metadata":{"name":"p","creationTimestamp":"2024-05-01T10:00:00Z"},"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Succeeded","podIPs":[{"ip":"10.1.0.9"}],"containerStatuses":[{"name":"a","ready":false,"restartCount":0,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}}"#,
         #"["p","0/1","Completed","0","120m","10.1.0.9","<none>","<none>","<none>"]"#),
        ("succeeded with no container statuses still reads Completed",
         #"{"metadata":{"name":"p","creationTimestamp":"2024-04-29T12:00:00Z"},"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Succeeded"}}"#,
         #"["p","0/1","Completed","0","2d","<none>","<none>","<none>","<none>"]"#),
        ("failed container without a reason shows its exit code",
         #"{"metadata":{"name":"p","creationTimestamp":"2024-05-01T11:00:00Z"},"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Failed","containerStatuses":[{"name":"a","restartCount":0,"state":{"terminated":{"exitCode":3}}}]}}"#,
         #"["p","0/1","ExitCode:3","0","60m","<none>","<none>","<none>","<none>"]"#),
        ("crash looping with restarts and when the last one was",
         #"{"metadata":{"name":"p","creationTimestamp":"2024-05-01T11:00:00Z"},"spec":{"nodeName":"n2","containers":[{"name":"a"}]},"status":{"phase":"Running","containerStatuses":[{"name":"a","ready":false,"restartCount":4,"state":{"waiting":{"reason":"CrashLoopBackOff"}},"lastState":{"terminated":{"exitCode":1,"finishedAt":"2024-05-01T11:55:00Z"}}}]}}"#,
         #"["p","0/1","CrashLoopBackOff","4 (5m ago)","60m","<none>","n2","<none>","<none>"]"#),
        ("waiting for its init container",
         #"{"metadata":{"name":"p","creationTimestamp":"2024-05-01T11:59:00Z"},"spec":{"initContainers":[{"name":"i"}],"containers":[{"name":"a"}]},"status":{"phase":"Pending","initContainerStatuses":[{"name":"i","restartCount":0,"state":{"running":{}}}],"containerStatuses":[{"name":"a","restartCount":0,"state":{"waiting":{"reason":"PodInitializing"}}}]}}"#,
         #"["p","0/1","Init:0/1","0","60s","<none>","<none>","<none>","<none>"]"#),
        ("init container failed",
         #"{"metadata":{"name":"p","creationTimestamp":"2024-05-01T11:59:00Z"},"spec":{"initContainers":[{"name":"i"}],"containers":[{"name":"a"}]},"status":{"phase":"Pending","initContainerStatuses":[{"name":"i","restartCount":1,"state":{"terminated":{"exitCode":2,"reason":"Error"}}}]}}"#,
         #"["p","0/1","Init:Error","1","60s","<none>","<none>","<none>","<none>"]"#),
        ("terminating while running",
         #"{"metadata":{"name":"p","creationTimestamp":"2024-05-01T11:00:00Z","deletionTimestamp":"2024-05-01T12:00:30Z"},"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Running","containerStatuses":[{"name":"a","ready":true,"restartCount":0,"state":{"running":{}}}]}}"#,
         #"["p","1/1","Terminating","0","60m","<none>","<none>","<none>","<none>"]"#),
        ("nominated, with readiness gates, created in the future",
         #"{"metadata":{"name":"p","creationTimestamp":"2024-05-01T12:00:10Z"},"spec":{"readinessGates":[{"conditionType":"x/ready"},{"conditionType":"y/ready"}],"containers":[{"name":"a"}]},"status":{"phase":"Pending","nominatedNodeName":"n3","conditions":[{"type":"x/ready","status":"True"},{"type":"y/ready","status":"False"}]}}"#,
         #"["p","0/1","Pending","0","<invalid>","<none>","<none>","n3","1/2"]"#),
        ("no status at all",
         #"{"metadata":{"name":"p"},"spec":{"containers":[{"name":"a"}]}}"#,
         #"["p","0/1","","0","<unknown>","<none>","<none>","<none>","<none>"]"#),
    ]

    @Test(arguments: pods)
    func printsPodsLikeUpstream(_ description: String, _ pod: String, _ cells: String) {
        #expect(JSONValue.array(renderer.cells(for: json(pod), resource: ResourceCatalog.pods)) == json(cells), "\(description)")
    }

    @Test func marksFinishedPodRows() {
        let succeeded = json(#"{"metadata":{"name":"p"},"status":{"phase":"Succeeded"}}"#)
        let row = renderer.table(for: ResourceCatalog.pods, objects: [succeeded])["rows"]?[0]
        #expect(row?["conditions"]?[0]?["reason"] == "Succeeded")
        #expect(renderer.table(for: ResourceCatalog.pods, objects: [json(Self.pod)])["rows"]?[0]?["conditions"] == nil)
    }
}
