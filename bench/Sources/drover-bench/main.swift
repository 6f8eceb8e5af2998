import Foundation
import Model

// drover-bench: load generators for the API benchmarks (bench/api/run.sh drives them).
//   drover-bench creates --port P --token T [--clients 16] [--seconds 10]
//   drover-bench watch-latency --port P --token T [--watchers 100] [--events 200]

let args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: String) -> String {
    if let i = args.firstIndex(of: "--\(name)"), i + 1 < args.count { return args[i + 1] }
    return fallback
}
let port = UInt16(option("port", "8080")) ?? 8080
let token = option("token", "")

do {
    switch args.first {
    case "creates":
        try CreateBench(port: port, token: token, clients: Int(option("clients", "16")) ?? 16,
                        seconds: Double(option("seconds", "10")) ?? 10).run()
    case "watch-latency":
        try WatchLatencyBench(port: port, token: token, watchers: Int(option("watchers", "100")) ?? 100,
                              events: Int(option("events", "200")) ?? 200).run()
    default:
        print("usage: drover-bench creates|watch-latency --port P --token T")
        exit(2)
    }
} catch {
    print("drover-bench: \(error)")
    exit(1)
}
