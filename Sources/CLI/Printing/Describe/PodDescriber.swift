import Foundation
import Model

/// `describe pod`: kubectl's sections — identity, node, status, owner, containers (state, exit
/// code, reason, restarts, requests and limits), conditions, QoS, tolerations and events. A pod
/// the scheduler could not place shows the scheduler's message under its PodScheduled condition.
enum PodDescriber {
    static func describe(_ pod: JSONValue, events: [JSONValue], now: Date) -> String {
        var w = DescribeWriter(now: now)
        let view = PodView(pod)
        let spec = pod["spec"] ?? .emptyObject
        let status = pod["status"] ?? .emptyObject
        w.line(0, "Name:", view.name)
        w.line(0, "Namespace:", view.namespace)
        w.line(0, "Priority:", DescribeFormat.scalar(spec["priority"] ?? .int(0)))
        if let account = spec["serviceAccountName"]?.string { w.line(0, "Service Account:", account) }
        let hostIP = status["hostIP"]?.string.map { "/\($0)" } ?? ""
        w.line(0, "Node:", view.nodeName.map { $0 + hostIP } ?? "<none>")
        if let start = status["startTime"], start.string != nil { w.line(0, "Start Time:", DescribeFormat.time(start)) }
        w.map(0, "Labels", view.labels)
        w.map(0, "Annotations", view.annotations, skip: ["kubectl.kubernetes.io/last-applied-configuration"])
        if let deletion = view.deletionTimestamp {
            w.line(0, "Status:", "Terminating (lasts \(HumanDuration.format(now.timeIntervalSince(deletion))))")
        } else {
            w.line(0, "Status:", view.phase)
        }
        if let reason = status["reason"]?.string, !reason.isEmpty { w.line(0, "Reason:", reason) }
        if let message = status["message"]?.string, !message.isEmpty { w.line(0, "Message:", message) }
        w.line(0, "IP:", status["podIP"]?.string ?? "")
        let ips = status["podIPs"]?.array?.compactMap { $0["ip"]?.string } ?? []
        if ips.isEmpty {
            w.line(0, "IPs:", "<none>")
        } else {
            w.line(0, "IPs:")
            for ip in ips { w.line(1, "IP:", ip) }
        }
        w.controller(pod)
        containers("Init Containers", spec["initContainers"], statuses: view.initContainerStatuses, to: &w)
        containers("Containers", spec["containers"], statuses: view.containerStatuses, to: &w)
        w.conditions(0, status["conditions"]?.array ?? [], columns: [])
        // The scheduler's explanation of a pending pod, which kubectl leaves to the events.
        if let scheduled = view.scheduledCondition, scheduled.status == "False", !scheduled.message.isEmpty {
            w.line(0, "Scheduling:", "\(scheduled.reason): \(scheduled.message)")
        }
        let volumes = spec["volumes"]?.array?.compactMap { $0["name"]?.string } ?? []
        if volumes.isEmpty { w.line(0, "Volumes:", "<none>") } else { w.list(0, "Volumes", volumes) }
        w.line(0, "QoS Class:", status["qosClass"]?.string ?? "")
        let selectors = spec["nodeSelector"]?.stringMap ?? [:]
        w.line(0, "Node-Selectors:", selectors.isEmpty ? "<none>" : selectors.keys.sorted().map { "\($0)=\(selectors[$0] ?? "")" }.joined(separator: ","))
        tolerations(spec["tolerations"]?.array ?? [], to: &w)
        EventsSection.write(events, to: &w)
        return w.text
    }

    /// `Containers:` with one block per container, its status matched by name.
    static func containers(_ title: String, _ list: JSONValue?, statuses: [ContainerStatusView], to w: inout DescribeWriter) {
        guard let list = list?.array, !list.isEmpty else { return }
        w.line(0, "\(title):")
        for container in list {
            let name = container["name"]?.string ?? ""
            let status = statuses.first { $0.name == name }
            w.line(1, "\(name):")
            if let id = status?.object["containerID"]?.string { w.line(2, "Container ID:", id) }
            w.line(2, "Image:", container["image"]?.string ?? "")
            if let status { w.line(2, "Image ID:", status.object["imageID"]?.string ?? "") }
            let ports = container["ports"]?.array ?? []
            w.line(2, "Port:", ports.isEmpty ? "<none>" : ports.map { "\(DescribeFormat.scalar($0["containerPort"] ?? .null))/\($0["protocol"]?.string ?? "TCP")" }.joined(separator: ", "))
            w.line(2, "Host Port:", ports.isEmpty ? "<none>" : ports.map { "\(DescribeFormat.scalar($0["hostPort"] ?? .int(0)))/\($0["protocol"]?.string ?? "TCP")" }.joined(separator: ", "))
            w.list(2, "Command", container["command"]?.array?.compactMap(\.string) ?? [])
            w.list(2, "Args", container["args"]?.array?.compactMap(\.string) ?? [])
            if let status {
                state("State", status.object["state"], to: &w)
                if let last = status.object["lastState"], last.object?.isEmpty == false { state("Last State", last, to: &w) }
                w.line(2, "Ready:", status.ready ? "True" : "False")
                w.line(2, "Restart Count:", String(status.restartCount))
            } else {
                w.line(2, "State:", "Waiting")
                w.line(3, "Reason:", "Pending")
            }
            w.quantities(2, "Limits", container.value(at: ["resources", "limits"]))
            w.quantities(2, "Requests", container.value(at: ["resources", "requests"]))
            let env = container["env"]?.array ?? []
            if env.isEmpty {
                w.line(2, "Environment:", "<none>")
            } else {
                w.line(2, "Environment:")
                for variable in env {
                    w.line(3, "\(variable["name"]?.string ?? ""):", variable["value"]?.string ?? "(from a source)")
                }
            }
            let mounts = container["volumeMounts"]?.array ?? []
            if mounts.isEmpty { w.line(2, "Mounts:", "<none>") } else {
                w.list(2, "Mounts", mounts.map { "\($0["mountPath"]?.string ?? "") from \($0["name"]?.string ?? "")" })
            }
        }
    }

    /// `State:  Terminated` with its reason, exit code and times beneath.
    static func state(_ title: String, _ state: JSONValue?, to w: inout DescribeWriter) {
        if let running = state?["running"], running.object != nil {
            w.line(2, "\(title):", "Running")
            w.line(3, "Started:", DescribeFormat.time(running["startedAt"]))
        } else if let terminated = state?["terminated"], terminated.object != nil {
            w.line(2, "\(title):", "Terminated")
            w.line(3, "Reason:", terminated["reason"]?.string ?? "")
            if let message = terminated["message"]?.string, !message.isEmpty { w.line(3, "Message:", message) }
            w.line(3, "Exit Code:", DescribeFormat.scalar(terminated["exitCode"] ?? .int(0)))
            if let signal = terminated["signal"]?.int, signal != 0 { w.line(3, "Signal:", String(signal)) }
            w.line(3, "Started:", DescribeFormat.time(terminated["startedAt"]))
            w.line(3, "Finished:", DescribeFormat.time(terminated["finishedAt"]))
        } else {
            w.line(2, "\(title):", "Waiting")
            if let reason = state?["waiting"]?["reason"]?.string { w.line(3, "Reason:", reason) }
            if let message = state?["waiting"]?["message"]?.string, !message.isEmpty { w.line(3, "Message:", message) }
        }
    }

    /// `Tolerations:  key=value:NoSchedule op=Exists for 300s`, one per line.
    static func tolerations(_ list: [JSONValue], to w: inout DescribeWriter) {
        let texts = list.map { toleration -> String in
            var text = toleration["key"]?.string ?? ""
            if let value = toleration["value"]?.string, !value.isEmpty { text += "=\(value)" }
            if let effect = toleration["effect"]?.string, !effect.isEmpty { text += ":\(effect)" }
            if toleration["operator"]?.string == "Exists" && (toleration["value"]?.string ?? "").isEmpty {
                text += text.isEmpty ? "op=Exists" : " op=Exists"
            }
            if let seconds = toleration["tolerationSeconds"]?.int { text += " for \(seconds)s" }
            return text
        }
        guard let first = texts.first else {
            w.line(0, "Tolerations:", "<none>")
            return
        }
        w.line(0, "Tolerations:", first)
        for text in texts.dropFirst() { w.line(0, "", text) }
    }
}
