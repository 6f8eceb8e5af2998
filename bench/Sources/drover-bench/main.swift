import Foundation
import Model

// drover-bench: load generators for the API benchmarks (bench/api/run.sh drives them).
//   drover-bench creates --port P --token T [--clients 16] [--seconds 10]
//   drover-bench lists --port P --token T [--pods 150000] [--clients 16] [--rounds 50] [--wait-bound false]
//   drover-bench watch-latency --port P --token T [--watchers 100] [--events 200]
//   drover-bench scheduling [--nodes 5000] [--pods 10000] [--seed 1]   (pure placement, no server)
//   drover-bench process-runtime [--count 2000] [--concurrency 16] [--modes plain,cgroup,limits]
//   drover-bench scheduler --port P --token T [--pods 10000] [--clients 16] [--timeout 300] [--node-cpu 32] [--node-memory-gi 128]
//   drover-bench agent --port P --token T [--latency-pods 200] [--pods 2000] [--clients 16] [--timeout 120]
//   drover-bench batch --port P --token T --scenario big|many|latency|wide [--jobs N] [--completions N] [--parallelism N] [--clients 8]
//   drover-bench cli-wait --port P --token T --drover PATH --config FILE [--jobs 20]
//   drover-bench preemption --port P --token T [--low 20000] [--high 5000] [--pod-millicpu 8000]   (on hollow nodes of 32 CPUs)
//   drover-bench node-failure --port P --token T --failing sim-90,… --sim-pid PID [--replicas 2000] [--toleration-seconds 30]
//   drover-bench gangs --port P --token T [--gangs 1000] [--size 10] [--pod-millicpu 1000]
//   drover-bench apps --port P --token T --scenario daemonset|deployment [--nodes 5000] [--replicas 1000]
//   drover-bench queues --port P --token T [--cohorts 5] [--queues 6] [--scale 1] [--clients 16] [--timeout 900]   (Kueue's baseline)

let args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: String) -> String {
    if let i = args.firstIndex(of: "--\(name)"), i + 1 < args.count { return args[i + 1] }
    return fallback
}
let port = UInt16(option("port", "8080")) ?? 8080
let token = option("token", "")

do {
    switch args.first {
    case "queues":
        try QueuesBench(port: port, token: token, cohorts: Int(option("cohorts", "5")) ?? 5, queues: Int(option("queues", "6")) ?? 6,
                        scale: Double(option("scale", "1")) ?? 1, clients: Int(option("clients", "16")) ?? 16,
                        timeout: Double(option("timeout", "900")) ?? 900).run()
    case "lists":
        try ListsBench(port: port, token: token, pods: Int(option("pods", "0")) ?? 0, clients: Int(option("clients", "16")) ?? 16,
                       rounds: Int(option("rounds", "50")) ?? 50, waitBound: option("wait-bound", "true") == "true").run()
    case "creates":
        try CreateBench(port: port, token: token, clients: Int(option("clients", "16")) ?? 16,
                        seconds: Double(option("seconds", "10")) ?? 10).run()
    case "json":
        // Parse and serialize cost of one stored object (the watch hub parses every change once).
        let bytes = [UInt8](FileManager.default.contents(atPath: option("file", "/tmp/job.json")) ?? Data())
        let rounds = 20_000
        var start = Date()
        for _ in 0..<rounds { _ = try JSONValue.parse(bytes) }
        let parse = Date().timeIntervalSince(start) / Double(rounds) * 1e6
        let value = try JSONValue.parse(bytes)
        start = Date()
        for _ in 0..<rounds { _ = value.serialized() }
        let write = Date().timeIntervalSince(start) / Double(rounds) * 1e6
        print(String(format: "json: %d bytes: parse %.1f µs, serialize %.1f µs", bytes.count, parse, write))
    case "watch-latency":
        try WatchLatencyBench(port: port, token: token, watchers: Int(option("watchers", "100")) ?? 100,
                              events: Int(option("events", "200")) ?? 200).run()
    case "scheduling":
        SchedulingBench(nodeCount: Int(option("nodes", "5000")) ?? 5000, podCount: Int(option("pods", "10000")) ?? 10000,
                        seed: UInt64(option("seed", "1")) ?? 1).run()
    case "process-runtime":
        try ProcessRuntimeBench(count: Int(option("count", "2000")) ?? 2000,
                                concurrency: Int(option("concurrency", "16")) ?? 16,
                                modes: option("modes", "plain,cgroup,limits").split(separator: ",").map(String.init)).run()
    case "scheduler":
        try SchedulerBench(port: port, token: token, pods: Int(option("pods", "10000")) ?? 10000,
                           clients: Int(option("clients", "16")) ?? 16, timeout: Double(option("timeout", "300")) ?? 300,
                           nodeMilliCPU: 1000 * (Int(option("node-cpu", "32")) ?? 32),
                           nodeMemoryMi: 1024 * (Int(option("node-memory-gi", "128")) ?? 128)).run()
    case "agent":
        try AgentBench(port: port, token: token, latencyPods: Int(option("latency-pods", "200")) ?? 200,
                       throughputPods: Int(option("pods", "2000")) ?? 2000, clients: Int(option("clients", "16")) ?? 16,
                       timeout: Double(option("timeout", "120")) ?? 120).run()
    case "batch":
        try BatchBench(port: port, token: token, scenario: option("scenario", "big"), jobs: Int(option("jobs", "100")) ?? 100,
                       completions: Int(option("completions", "2000")) ?? 2000, parallelism: Int(option("parallelism", "100")) ?? 100,
                       clients: Int(option("clients", "8")) ?? 8, timeout: Double(option("timeout", "300")) ?? 300).run()
    case "preemption":
        try PreemptionBench(port: port, token: token, low: Int(option("low", "20000")) ?? 20000, high: Int(option("high", "5000")) ?? 5000,
                            podMilliCPU: Int(option("pod-millicpu", "8000")) ?? 8000, clients: Int(option("clients", "16")) ?? 16,
                            timeout: Double(option("timeout", "600")) ?? 600).run()
    case "node-failure":
        try NodeFailureBench(port: port, token: token, replicas: Int(option("replicas", "2000")) ?? 2000,
                             failing: option("failing", "").split(separator: ",").map(String.init),
                             simPID: Int32(option("sim-pid", "0")) ?? 0, tolerationSeconds: Int(option("toleration-seconds", "30")) ?? 30,
                             timeout: Double(option("timeout", "900")) ?? 900).run()
    case "gangs":
        try GangBench(port: port, token: token, gangs: Int(option("gangs", "1000")) ?? 1000, size: Int(option("size", "10")) ?? 10,
                      podMilliCPU: Int(option("pod-millicpu", "1000")) ?? 1000, clients: Int(option("clients", "16")) ?? 16,
                      timeout: Double(option("timeout", "300")) ?? 300).run()
    case "apps":
        try AppsBench(port: port, token: token, scenario: option("scenario", "daemonset"), nodes: Int(option("nodes", "5000")) ?? 5000,
                      replicas: Int(option("replicas", "1000")) ?? 1000, timeout: Double(option("timeout", "120")) ?? 120).run()
    case "cli-wait":
        try CLIWaitBench(port: port, token: token, drover: option("drover", ".build/release/drover"), config: option("config", ""),
                         jobs: Int(option("jobs", "20")) ?? 20).run()
    default:
        print("usage: drover-bench creates|watch-latency|scheduler|agent|batch|cli-wait --port P --token T | scheduling [--nodes N] [--pods N] | process-runtime")
        exit(2)
    }
} catch {
    print("drover-bench: \(error)")
    exit(1)
}
