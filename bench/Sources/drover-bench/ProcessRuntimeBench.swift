import Agent
import Foundation

/// Start-and-reap of `/bin/true` through the agent's real runtime: `concurrency` processes in flight,
/// `count` in all. Prints the sustained rate and the latency of `start` (spawn returned = process
/// running) and of start-to-exit-reported, for each runtime configuration asked for.
struct ProcessRuntimeBench {
    var count: Int
    var concurrency: Int
    /// "plain" (no cgroups), "cgroup" (one cgroup per process, no limits), "limits" (cgroup + limits).
    var modes: [String]

    func run() throws {
        for mode in modes { try run(mode: mode) }
    }

    private func run(mode: String) throws {
        let directory = NSTemporaryDirectory() + "drover-bench-runtime-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let runtime = try LinuxProcessRuntime(stateDirectory: directory + "/state", useCgroups: mode != "plain")
        if mode != "plain" && runtime.capabilities.cgroupVersion == nil {
            print("runtime \(mode): skipped: \(runtime.capabilities.cgroupProblem ?? "no cgroups")")
            return
        }
        let slots = DispatchSemaphore(value: concurrency)
        let starts = Collector()
        let lifetimes = Collector()
        let finished = DispatchGroup()
        let began = Date()
        for n in 0..<count {
            slots.wait()
            finished.enter()
            let spec = ProcessSpec(id: "bench-\(n)", argv: ["/bin/true"], environment: ["PATH": "/usr/bin:/bin"],
                                   workingDirectory: "/", memoryLimit: mode == "limits" ? 64 << 20 : nil,
                                   cpuLimitMillis: mode == "limits" ? 500 : nil, pidsLimit: mode == "limits" ? 16 : nil,
                                   logPath: directory + "/logs/\(n).log")
            let t0 = DispatchTime.now().uptimeNanoseconds
            do {
                _ = try runtime.start(spec) { _ in
                    lifetimes.add(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                    slots.signal()
                    finished.leave()
                }
                starts.add(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            } catch {
                starts.count("failed", 1)
                slots.signal()
                finished.leave()
            }
        }
        finished.wait()
        let elapsed = Date().timeIntervalSince(began)
        let start = starts.sorted
        let life = lifetimes.sorted
        print(String(format: "runtime %@ (%@): %d processes, %d in flight, %.2f s: %.0f/s, %d failed; start ms p50 %.2f p99 %.2f max %.2f; start-to-exit ms p50 %.2f p99 %.2f",
                     mode, runtime.capabilities.cgroupVersion ?? "no cgroups", count, concurrency, elapsed,
                     Double(life.count) / elapsed, starts.counter("failed"), percentile(start, 50), percentile(start, 99),
                     start.last ?? .nan, percentile(life, 50), percentile(life, 99)))
    }
}
