import Foundation

/// `drover submit NAME --wait -- true`, the real binary, `jobs` times one after another: how long
/// after the Job's Complete condition is seen on a watch (by this process) the command has exited.
/// That gap is what a CI script waits beyond the Job itself.
struct CLIWaitBench {
    var port: UInt16
    var token: String
    var drover: String
    var config: String
    var jobs: Int

    func run() throws {
        let run = BatchBench.runID()
        let watch = try JobWatch(port: port, token: token, run: run, count: jobs)
        var lags: [Double] = []
        var totals: [Double] = []
        for i in 0..<jobs {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: drover)
            process.arguments = ["submit", "cli-\(run)-\(i)", "-l", "run=\(run)", "--wait", "--", "true"]
            process.environment = ProcessInfo.processInfo.environment.merging(["DROVER_CONFIG": config]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            let started = Date().timeIntervalSince1970
            try process.run()
            process.waitUntilExit()
            let exited = Date().timeIntervalSince1970
            guard process.terminationStatus == 0 else { throw BenchError("drover submit --wait exited \(process.terminationStatus)") }
            guard let complete = watch.wait(for: i, until: Date().addingTimeInterval(5)) else {
                throw BenchError("job \(i) was not seen Complete")
            }
            lags.append((exited - complete) * 1000)
            totals.append((exited - started) * 1000)
        }
        lags.sort()
        totals.sort()
        print(String(format: "cli-wait: %d × `drover submit --wait -- true`: exit after Complete seen ms: p50 %.0f p90 %.0f max %.0f; whole command ms: p50 %.0f max %.0f",
                     jobs, percentile(lags, 50), percentile(lags, 90), lags.last ?? .nan, percentile(totals, 50), totals.last ?? .nan))
    }
}
