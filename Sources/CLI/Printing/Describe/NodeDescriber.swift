import Foundation
import Model

/// `describe node`: identity, taints, conditions, addresses, capacity and allocatable, the pods
/// running there with their requests and limits as shares of allocatable, the totals
/// (`Allocated resources`), and events.
enum NodeDescriber {
    static func describe(_ node: JSONValue, pods: [JSONValue], events: [JSONValue], now: Date) -> String {
        var w = DescribeWriter(now: now)
        let meta = ObjectMetaView(node["metadata"])
        let spec = node["spec"] ?? .emptyObject
        let status = node["status"] ?? .emptyObject
        w.line(0, "Name:", meta.name)
        let roles = meta.labels.keys.filter { $0.hasPrefix("node-role.kubernetes.io/") }
            .map { String($0.dropFirst("node-role.kubernetes.io/".count)) }.sorted()
        w.line(0, "Roles:", roles.isEmpty ? "<none>" : roles.joined(separator: ","))
        w.map(0, "Labels", meta.labels)
        w.map(0, "Annotations", meta.annotations)
        w.line(0, "CreationTimestamp:", DescribeFormat.time(meta.object["creationTimestamp"]))
        let taints = (spec["taints"]?.array ?? []).map { taint -> String in
            let value = taint["value"]?.string.map { "=\($0)" } ?? ""
            return "\(taint["key"]?.string ?? "")\(value):\(taint["effect"]?.string ?? "")"
        }
        w.line(0, "Taints:", taints.first ?? "<none>")
        for taint in taints.dropFirst() { w.line(0, "", taint) }
        w.line(0, "Unschedulable:", (spec["unschedulable"]?.bool ?? false) ? "true" : "false")
        w.conditions(0, status["conditions"]?.array ?? [],
                     columns: ["LastHeartbeatTime", "LastTransitionTime", "Reason", "Message"])
        w.line(0, "Addresses:")
        for address in status["addresses"]?.array ?? [] {
            w.line(1, "\(address["type"]?.string ?? ""):", address["address"]?.string ?? "")
        }
        w.quantities(0, "Capacity", status["capacity"])
        w.quantities(0, "Allocatable", status["allocatable"])
        if let info = status["nodeInfo"], info.object?.isEmpty == false {
            w.line(0, "System Info:")
            for (key, title) in systemInfo { w.line(1, "\(title):", info[key]?.string ?? "") }
        }
        let allocatable = ResourceAmounts(requests: status["allocatable"])
        let running = pods.filter { !PodView($0).isTerminal }
        w.line(0, "Non-terminated Pods:", "(\(running.count) in total)")
        if !running.isEmpty {
            let rows = running.map { pod -> [String] in
                let view = PodView(pod)
                let usage = PodUsage(pod)
                let age = view.creationTimestamp.map { HumanDuration.format(now.timeIntervalSince($0)) } ?? "<unknown>"
                return [view.namespace, view.name,
                        share(cpu: usage.requests.milliCPU, of: allocatable.milliCPU), share(cpu: usage.limits.milliCPU, of: allocatable.milliCPU),
                        share(memory: usage.requests.memory, of: allocatable.memory), share(memory: usage.limits.memory, of: allocatable.memory), age]
            }
            w.table(1, header: ["Namespace", "Name", "CPU Requests", "CPU Limits", "Memory Requests", "Memory Limits", "Age"], rows: rows)
        }
        let total = running.reduce(into: (requests: ResourceAmounts(), limits: ResourceAmounts())) { sum, pod in
            let usage = PodUsage(pod)
            sum.requests = sum.requests + usage.requests
            sum.limits = sum.limits + usage.limits
        }
        w.line(0, "Allocated resources:")
        w.line(1, "(Total limits may be over 100 percent, i.e., overcommitted.)")
        var rows = [["cpu", share(cpu: total.requests.milliCPU, of: allocatable.milliCPU), share(cpu: total.limits.milliCPU, of: allocatable.milliCPU)],
                    ["memory", share(memory: total.requests.memory, of: allocatable.memory), share(memory: total.limits.memory, of: allocatable.memory)]]
        for key in allocatable.scalars.keys.sorted() {
            let capacity = allocatable.scalars[key] ?? 0
            rows.append([key, share(total.requests.scalars[key] ?? 0, of: capacity, text: String(total.requests.scalars[key] ?? 0)),
                         share(total.limits.scalars[key] ?? 0, of: capacity, text: String(total.limits.scalars[key] ?? 0))])
        }
        w.table(1, header: ["Resource", "Requests", "Limits"], rows: rows)
        EventsSection.write(events, to: &w)
        return w.text
    }

    /// kubectl's System Info lines, in its order.
    static let systemInfo = [
        ("machineID", "Machine ID"), ("systemUUID", "System UUID"), ("bootID", "Boot ID"), ("kernelVersion", "Kernel Version"),
        ("osImage", "OS Image"), ("operatingSystem", "Operating System"), ("architecture", "Architecture"),
        ("containerRuntimeVersion", "Container Runtime Version"), ("kubeletVersion", "Kubelet Version"),
        ("kubeProxyVersion", "Kube-Proxy Version"),
    ]

    /// `500m (12%)`.
    static func share(cpu milli: Int64, of capacity: Int64) -> String {
        share(milli, of: capacity, text: Quantity(milliValue: milli).description)
    }

    /// `256Mi (3%)`.
    static func share(memory bytes: Int64, of capacity: Int64) -> String {
        share(bytes, of: capacity, text: Quantity(bytes, format: .binarySI).description)
    }

    /// `text (N%)` with N the integer share of `capacity`, as kubectl truncates it.
    static func share(_ amount: Int64, of capacity: Int64, text: String) -> String {
        let percent = capacity > 0 ? Int64((Double(amount) / Double(capacity) * 100).rounded(.towardZero)) : 0
        return "\(text) (\(percent)%)"
    }
}

/// A pod's effective requests and the sum of its containers' limits.
struct PodUsage {
    var requests: ResourceAmounts
    var limits: ResourceAmounts

    init(_ pod: JSONValue) {
        requests = ResourceAmounts(effectiveRequestsOf: pod)
        limits = (pod.value(at: ["spec", "containers"])?.array ?? []).reduce(ResourceAmounts()) {
            $0 + ResourceAmounts(requests: $1.value(at: ["resources", "limits"]))
        }
    }
}
