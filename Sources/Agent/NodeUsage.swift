import Foundation

/// The whole machine's usage. CPU is the non-idle time of the `cpu` line of /proc/stat. Memory
/// is MemTotal − MemAvailable from /proc/meminfo, not the root cgroup's: on cgroup v2 the root
/// has no memory.current, agents often run inside a delegated (non-root) cgroup, and
/// MemAvailable already leaves out reclaimable cache as the working set does.
enum NodeUsage {
    /// USER_HZ, the unit of /proc/stat, is 100 on every Linux architecture Drover runs on.
    static let nanosecondsPerTick: Int64 = 10_000_000

    /// CPU nanoseconds from /proc/stat's text: user+nice+system+irq+softirq+steal (idle and
    /// iowait are not use; guest time is already in user).
    static func cpuNanoseconds(procStat: String) -> Int64? {
        guard let line = procStat.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { Int64($0) }
        guard fields.count >= 4 else { return nil }
        let used = [0, 1, 2, 5, 6, 7].filter { $0 < fields.count }.reduce(Int64(0)) { $0 + fields[$1] }
        return used * nanosecondsPerTick
    }

    /// MemTotal − MemAvailable in bytes from /proc/meminfo's text.
    static func workingSetBytes(meminfo: String) -> Int64? {
        var values: [String: Int64] = [:]
        for line in meminfo.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == ":" })
            if fields.count >= 2, let kib = Int64(fields[1]) { values[String(fields[0])] = kib * 1024 }
        }
        guard let total = values["MemTotal"], let available = values["MemAvailable"] else { return nil }
        return max(0, total - available)
    }

    /// A sample of this machine now, or nil where /proc is missing.
    static func read(now: Date) -> UsageSample? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8), let cpu = cpuNanoseconds(procStat: stat),
              let meminfo = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8), let memory = workingSetBytes(meminfo: meminfo)
        else { return nil }
        return UsageSample(time: now, cpuNanoseconds: cpu, workingSetBytes: memory)
    }
}
