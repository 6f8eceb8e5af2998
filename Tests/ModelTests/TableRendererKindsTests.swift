import Foundation
import Testing
@testable import Model

private func json(_ text: String) -> JSONValue {
    do { return try JSONValue.parse(text) } catch { fatalError("bad test JSON \(text): \(error)") }
}

/// Printer tests for every kind but Pod, against `tableNow` (2024-05-01T12:00:00Z).
@Suite struct TableRendererKindsTests {
    let renderer = TableRenderer(now: tableNow)

    func cells(_ resource: ResourceInfo, _ object: String) -> JSONValue {
        .array(renderer.cells(for: json(object), resource: resource))
    }

    static let jobs: [(String, String, String)] = [
        ("complete, as in KUBE-API.md §6",
         #"{"metadata":{"name":"hello","creationTimestamp":"2024-05-01T11:59:47Z"},"spec":{"completions":4,"parallelism":2,"selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"u1"}},"template":{"spec":{"containers":[{"name":"main","image":"busybox"}]}}},"status":{"succeeded":4,"startTime":"2024-05-01T11:59:48Z","completionTime":"2024-05-01T11:59:57Z","conditions":[{"type":"SuccessCriteriaMet","status":"True"},{"type":"Complete","status":"True"}]}}"#,
         #"["hello","Complete","4/4","9s","13s","main","busybox","batch.kubernetes.io/controller-uid=u1"]"#),
        ("running with parallelism and no completions",
         #"{"metadata":{"name":"w","creationTimestamp":"2024-05-01T11:00:00Z"},"spec":{"parallelism":3,"template":{"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}}},"status":{"succeeded":1,"active":2,"startTime":"2024-05-01T11:56:40Z"}}"#,
         #"["w","Running","1/1 of 3","3m20s","60m","a,b","x,y","<none>"]"#),
        ("failed wins over its interim condition",
         #"{"metadata":{"name":"f","creationTimestamp":"2024-05-01T11:00:00Z"},"spec":{"completions":1},"status":{"failed":1,"startTime":"2024-05-01T11:00:00Z","conditions":[{"type":"FailureTarget","status":"True"},{"type":"Failed","status":"True"}]}}"#,
         #"["f","Failed","0/1","60m","60m","","","<none>"]"#),
        ("failure target alone",
         #"{"metadata":{"name":"f"},"status":{"conditions":[{"type":"FailureTarget","status":"True"}]}}"#,
         #"["f","FailureTarget","0/1","","<unknown>","","","<none>"]"#),
        ("suspended before starting",
         #"{"metadata":{"name":"s","creationTimestamp":"2024-05-01T11:59:00Z"},"spec":{"suspend":true},"status":{"conditions":[{"type":"Suspended","status":"True"}]}}"#,
         #"["s","Suspended","0/1","","60s","","","<none>"]"#),
        ("terminating",
         #"{"metadata":{"name":"t","deletionTimestamp":"2024-05-01T12:00:00Z"},"status":{"conditions":[{"type":"Suspended","status":"True"}]}}"#,
         #"["t","Terminating","0/1","","<unknown>","","","<none>"]"#),
    ]

    @Test(arguments: jobs)
    func printsJobs(_ description: String, _ job: String, _ expected: String) {
        #expect(cells(ResourceCatalog.jobs, job) == json(expected), "\(description)")
    }

    @Test func printsCronJobs() {
        let scheduled = #"{"metadata":{"name":"cj1","creationTimestamp":"2024-04-30T12:00:00Z"},"spec":{"schedule":"*/1 * * * *","suspend":false,"jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"cj1","image":"busybox"}]}}}}},"status":{"active":[{"name":"cj1-1"}],"lastScheduleTime":"2024-05-01T11:59:00Z"}}"#
        #expect(cells(ResourceCatalog.cronJobs, scheduled) == json(#"["cj1","*/1 * * * *","<none>","False",1,"60s","24h","cj1","busybox","<none>"]"#))
        let fresh = #"{"metadata":{"name":"cj2","creationTimestamp":"2024-05-01T11:59:30Z"},"spec":{"schedule":"@daily","timeZone":"Europe/Paris"}}"#
        #expect(cells(ResourceCatalog.cronJobs, fresh) == json(#"["cj2","@daily","Europe/Paris","<unset>",0,"<none>","30s","","","<none>"]"#))
        #expect(TableRenderer.columns(for: ResourceCatalog.cronJobs).map(\.name)
            == ["Name", "Schedule", "Timezone", "Suspend", "Active", "Last Schedule", "Age", "Containers", "Images", "Selector"])
    }

    @Test func printsDeploymentsReplicaSetsAndDaemonSets() {
        let deployment = #"{"metadata":{"name":"web","creationTimestamp":"2024-05-01T11:00:00Z"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["b","a"]},{"key":"canary","operator":"DoesNotExist"}]},"template":{"spec":{"containers":[{"name":"busybox","image":"busybox"}]}}},"status":{"readyReplicas":2,"updatedReplicas":3,"availableReplicas":2}}"#
        #expect(cells(ResourceCatalog.deployments, deployment) == json(#"["web","2/3",3,2,"60m","busybox","busybox","app=web,!canary,tier in (a,b)"]"#))
        #expect(cells(ResourceCatalog.deployments, #"{"metadata":{"name":"d"}}"#) == json(#"["d","0/1",0,0,"<unknown>","","",""]"#))

        let replicaSet = #"{"metadata":{"name":"web-5d9","creationTimestamp":"2024-05-01T11:58:00Z"},"spec":{"replicas":2,"selector":{"matchLabels":{"pod-template-hash":"5d9","app":"web"}},"template":{"spec":{"containers":[{"name":"m","image":"web:2"}]}}},"status":{"replicas":2,"readyReplicas":1}}"#
        #expect(cells(ResourceCatalog.replicaSets, replicaSet) == json(#"["web-5d9",2,2,1,"2m","m","web:2","app=web,pod-template-hash=5d9"]"#))

        let daemonSet = #"{"metadata":{"name":"agent","creationTimestamp":"2024-04-27T07:00:00Z"},"spec":{"selector":{"matchLabels":{"app":"agent"}},"template":{"spec":{"nodeSelector":{"kubernetes.io/os":"linux","disk":"ssd"},"containers":[{"name":"a","image":"agent:1"}]}}},"status":{"desiredNumberScheduled":3,"currentNumberScheduled":3,"numberReady":2,"updatedNumberScheduled":3,"numberAvailable":2}}"#
        #expect(cells(ResourceCatalog.daemonSets, daemonSet) == json(#"["agent",3,3,2,3,2,"disk=ssd,kubernetes.io/os=linux","4d5h","a","agent:1","app=agent"]"#))
        #expect(TableRenderer.columns(for: ResourceCatalog.daemonSets).filter { $0.priority == 0 }.map(\.name)
            == ["Name", "Desired", "Current", "Ready", "Up-to-date", "Available", "Node Selector", "Age"])
    }

    static let nodes: [(String, String, String)] = [
        ("ready control plane",
         #"{"metadata":{"name":"n1","creationTimestamp":"2024-04-01T12:00:00Z","labels":{"node-role.kubernetes.io/control-plane":"","node-role.kubernetes.io/worker":"","kubernetes.io/hostname":"n1"}},"status":{"conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"True"}],"addresses":[{"type":"Hostname","address":"n1"},{"type":"InternalIP","address":"192.168.1.10"}],"nodeInfo":{"kubeletVersion":"v1.32.4","osImage":"Debian GNU/Linux 12","kernelVersion":"6.1.0","containerRuntimeVersion":"drover://0.1"}}}"#,
         #"["n1","Ready","control-plane,worker","30d","v1.32.4","192.168.1.10","<none>","Debian GNU/Linux 12","6.1.0","drover://0.1"]"#),
        ("cordoned and not ready, role from kubernetes.io/role",
         #"{"metadata":{"name":"n2","creationTimestamp":"2024-05-01T11:00:00Z","labels":{"kubernetes.io/role":"gpu"}},"spec":{"unschedulable":true},"status":{"conditions":[{"type":"Ready","status":"False"}],"addresses":[{"type":"ExternalIP","address":"1.2.3.4"}]}}"#,
         #"["n2","NotReady,SchedulingDisabled","gpu","60m","","<none>","1.2.3.4","<unknown>","<unknown>","<unknown>"]"#),
        ("never reported",
         #"{"metadata":{"name":"n3"},"spec":{"unschedulable":true}}"#,
         #"["n3","Unknown,SchedulingDisabled","<none>","<unknown>","","<none>","<none>","<unknown>","<unknown>","<unknown>"]"#),
        ("ready status Unknown reads NotReady",
         #"{"metadata":{"name":"n4"},"status":{"conditions":[{"type":"Ready","status":"Unknown"}]}}"#,
         #"["n4","NotReady","<none>","<unknown>","","<none>","<none>","<unknown>","<unknown>","<unknown>"]"#),
    ]

    @Test(arguments: nodes)
    func printsNodes(_ description: String, _ node: String, _ expected: String) {
        #expect(cells(ResourceCatalog.nodes, node) == json(expected), "\(description)")
    }

    @Test func printsNamespaces() {
        #expect(cells(ResourceCatalog.namespaces, #"{"metadata":{"name":"default","creationTimestamp":"2022-05-02T12:00:00Z"},"status":{"phase":"Active"}}"#)
            == json(#"["default","Active","2y"]"#))
        #expect(cells(ResourceCatalog.namespaces, #"{"metadata":{"name":"gone","creationTimestamp":"2024-05-01T11:59:59Z"},"status":{"phase":"Terminating"}}"#)
            == json(#"["gone","Terminating","1s"]"#))
    }

    static let events: [(String, String, String)] = [
        ("a repeated event",
         #"{"metadata":{"name":"hello.17c","namespace":"default"},"involvedObject":{"kind":"Job","name":"hello","namespace":"default"},"reason":"SuccessfulCreate","message":"Created pod: hello-abc\n","type":"Normal","source":{"component":"job-controller"},"count":3,"firstTimestamp":"2024-05-01T11:50:00Z","lastTimestamp":"2024-05-01T11:59:30Z"}"#,
         #"["30s","Normal","SuccessfulCreate","job/hello","","job-controller","Created pod: hello-abc","10m",3,"hello.17c"]"#),
        ("a new-API event with eventTime only, reporting controller and instance",
         #"{"metadata":{"name":"e2"},"involvedObject":{"kind":"Pod","name":"p","fieldPath":"spec.containers{main}"},"reason":"Pulled","message":"ok","type":"Normal","eventTime":"2024-05-01T11:59:00.123456Z","reportingComponent":"drover-agent","reportingInstance":"n1"}"#,
         #"["59s","Normal","Pulled","pod/p","spec.containers{main}","drover-agent, n1","ok","59s",1,"e2"]"#),
        ("a series and a kind without a name",
         #"{"metadata":{"name":"e3"},"involvedObject":{"kind":"Node"},"reason":"Rebooted","message":"m","type":"Warning","source":{"component":"kubelet","host":"n1"},"count":2,"firstTimestamp":"2024-05-01T10:00:00Z","series":{"count":9,"lastObservedTime":"2024-05-01T11:58:00Z"}}"#,
         #"["2m","Warning","Rebooted","node","","kubelet, n1","m","120m",9,"e3"]"#),
    ]

    @Test(arguments: events)
    func printsEvents(_ description: String, _ event: String, _ expected: String) {
        #expect(cells(ResourceCatalog.events, event) == json(expected), "\(description)")
    }

    @Test func eventColumnsPutWideOnesWhereUpstreamDoes() {
        let columns = TableRenderer.columns(for: ResourceCatalog.events)
        #expect(columns.filter { $0.priority == 0 }.map(\.name) == ["Last Seen", "Type", "Reason", "Object", "Message"])
        #expect(columns.map(\.name) == ["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name"])
    }

    @Test(arguments: ResourceCatalog.all)
    func everyRowHasOneCellPerColumn(_ resource: ResourceInfo) {
        let columns = TableRenderer.columns(for: resource)
        #expect(renderer.cells(for: .emptyObject, resource: resource).count == columns.count)
        #expect(renderer.cells(for: "not an object", resource: resource).count == columns.count)
        #expect(columns.first { $0.format == "name" } != nil)
    }
}
