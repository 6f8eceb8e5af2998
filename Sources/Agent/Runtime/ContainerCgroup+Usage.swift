import Foundation

/// What a container has used so far, read the same way on cgroup v1 and v2 (for metrics and
/// `kubectl top`).
struct CgroupUsage: Sendable, Equatable {
    /// CPU time of all its processes, user and system.
    var cpuNanoseconds: Int64
    /// Memory charged to it, page cache included.
    var memoryBytes: Int64
    /// cAdvisor's working set: the charge less inactive file pages (what the kernel would not
    /// reclaim first), the figure the kubelet reports and evicts by.
    var workingSetBytes: Int64
}

extension ContainerCgroup {
    /// The container's usage, or nil when its cgroup files cannot be read (it is gone).
    func usage() -> CgroupUsage? {
        switch version {
        case .v2:
            guard let usec = flatKeyed("cpu", "cpu.stat")["usage_usec"],
                  let memory = SmallFile.read((directory("memory") ?? "") + "/memory.current").flatMap(Self.integer) else { return nil }
            let inactive = flatKeyed("memory", "memory.stat")["inactive_file"] ?? 0
            return CgroupUsage(cpuNanoseconds: usec * 1000, memoryBytes: memory, workingSetBytes: max(0, memory - inactive))
        case .v1:
            // cpuacct is its own hierarchy on some machines and mounted with cpu on others.
            let accounting = directories["cpuacct"] ?? directories["cpu"] ?? ""
            guard let nanoseconds = SmallFile.read(accounting + "/cpuacct.usage").flatMap(Self.integer),
                  let memory = SmallFile.read((directory("memory") ?? "") + "/memory.usage_in_bytes").flatMap(Self.integer)
            else { return nil }
            let inactive = flatKeyed("memory", "memory.stat")["total_inactive_file"] ?? 0
            return CgroupUsage(cpuNanoseconds: nanoseconds, memoryBytes: memory, workingSetBytes: max(0, memory - inactive))
        }
    }

    /// A flat-keyed cgroup file (`key value` per line: cpu.stat, memory.stat, memory.events,
    /// pids.events) of the directory holding `controller`; empty when it cannot be read.
    func flatKeyed(_ controller: String, _ file: String) -> [String: Int64] {
        var values: [String: Int64] = [:]
        for line in (SmallFile.read((directory(controller) ?? "") + "/" + file) ?? "").split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, let value = Int64(fields[1]) { values[String(fields[0])] = value }
        }
        return values
    }

    private static func integer(_ text: String) -> Int64? { Int64(text.trimmingCharacters(in: .whitespacesAndNewlines)) }
}
