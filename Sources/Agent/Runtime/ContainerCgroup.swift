import Foundation

/// The cgroup of one container: one directory (v2) or one per controller (v1). Codable so the
/// runtime's state records can find it again after an agent restart.
///
/// On v2 the container's directory sits inside one of its pod (`<parent>/p-<pod uid>/c-<id>`),
/// which holds the pod's pids limit: the kubelet's podPidsLimit counts every process of the pod.
/// v1 keeps the limit per container (thread placement briefly counts the spawning thread against
/// it; see `ThreadPlacement`), and has no pod directory.
struct ContainerCgroup: Sendable, Codable, Equatable {
    var version: CgroupLayout.Version
    /// controller → directory (v2: "" → directory).
    var directories: [String: String]
    /// v2: the pod's directory, removed with its last container (nil in records of older agents).
    var podDirectory: String?

    /// CFS period used for CPU limits (100 ms, the kubelet's).
    static let cpuPeriodMicros: Int64 = 100_000

    /// Creates the container's cgroup directories and writes its limits. `pod` names the pod's
    /// directory (v2 only), `pidsLimit` is the pod's process limit.
    static func create(in layout: CgroupLayout, name: String, pod: String? = nil, memoryLimit: Int64?, cpuLimitMillis: Int64?,
                       cpuRequestMillis: Int64? = nil, pidsLimit: Int64?) throws(StartFailure) -> ContainerCgroup {
        var directories: [String: String] = [:]
        var podDirectory: String?
        for (controller, parent) in layout.parents {
            var home = parent
            if layout.version == .v2, let pod {
                home = parent + "/" + pod
                podDirectory = home
                if mkdir(home, 0o755) != 0 && errno != EEXIST {
                    throw StartFailure("create cgroup \(home): \(PosixSpawner.errnoText(errno))")
                }
                if let error = SmallFile.write(CgroupLayout.enableControllers, to: home + "/cgroup.subtree_control") {
                    throw StartFailure("enable the pod's cgroup controllers: \(error)")
                }
                if let pidsLimit, let error = SmallFile.write(String(max(1, pidsLimit)), to: home + "/pids.max") {
                    throw StartFailure("set the pod's pids limit: \(error)")
                }
            }
            let directory = home + "/" + name
            // A leftover directory of the same name is replaced (its counters, OOM kills included,
            // would be stale) unless processes still use it.
            if mkdir(directory, 0o755) != 0 && (errno != EEXIST || rmdir(directory) != 0 || mkdir(directory, 0o755) != 0) {
                let error = PosixSpawner.errnoText(errno)
                ContainerCgroup(version: layout.version, directories: directories, podDirectory: podDirectory).remove()
                throw StartFailure("create cgroup \(directory): \(error)")
            }
            directories[controller] = directory
        }
        let cgroup = ContainerCgroup(version: layout.version, directories: directories, podDirectory: podDirectory)
        do throws(StartFailure) {
            try cgroup.writeLimits(memoryLimit: memoryLimit, cpuLimitMillis: cpuLimitMillis, cpuRequestMillis: cpuRequestMillis,
                                   pidsLimit: podDirectory == nil ? pidsLimit : nil)
        } catch {
            cgroup.remove()
            throw error
        }
        return cgroup
    }

    func directory(_ controller: String) -> String? {
        version == .v2 ? directories[""] : directories[controller]
    }

    private func writeLimits(memoryLimit: Int64?, cpuLimitMillis: Int64?, cpuRequestMillis: Int64?,
                             pidsLimit: Int64?) throws(StartFailure) {
        func set(_ controller: String, _ file: String, _ value: String, _ what: String) throws(StartFailure) {
            guard let directory = directory(controller) else { return }
            if let error = SmallFile.write(value, to: directory + "/" + file) {
                throw StartFailure("set \(what) limit: \(error)")
            }
        }
        let quota = cpuLimitMillis.map(Self.cpuQuota)
        // Only a request sets a weight: without one the container keeps the kernel's default (v1
        // 1024 shares, v2 weight 100), where the kubelet would give a BestEffort pod 2 shares under a
        // kubepods hierarchy of its own — Drover's containers share the machine with what else runs.
        let shares = cpuRequestMillis.map(Self.cpuShares)
        switch version {
        case .v1:
            if let memoryLimit {
                try set("memory", "memory.limit_in_bytes", String(memoryLimit), "memory")
                // Without a swap limit the cgroup would swap instead of being OOM-killed; the file is
                // absent when the kernel does not account swap.
                if let directory = directory("memory"), FileManager.default.fileExists(atPath: directory + "/memory.memsw.limit_in_bytes") {
                    try set("memory", "memory.memsw.limit_in_bytes", String(memoryLimit), "memory+swap")
                }
            }
            if let quota {
                try set("cpu", "cpu.cfs_period_us", String(Self.cpuPeriodMicros), "CPU")
                try set("cpu", "cpu.cfs_quota_us", String(quota), "CPU")
            }
            if let shares { try set("cpu", "cpu.shares", String(shares), "CPU shares") }
        case .v2:
            if let memoryLimit {
                try set("memory", "memory.max", String(memoryLimit), "memory")
                if let directory = directory("memory"), FileManager.default.fileExists(atPath: directory + "/memory.swap.max") {
                    try set("memory", "memory.swap.max", "0", "swap")
                }
            }
            if let quota { try set("cpu", "cpu.max", "\(quota) \(Self.cpuPeriodMicros)", "CPU") }
            if let shares { try set("cpu", "cpu.weight", String(Self.cpuWeight(shares: shares)), "CPU weight") }
            // An OOM kill ends the whole container, as on v1 where the group is killed with its leader.
            if memoryLimit != nil, let directory = directory("memory") {
                SmallFile.write("1", to: directory + "/memory.oom.group")
            }
        }
        if let pidsLimit { try setPidsLimit(pidsLimit) }
    }

    /// The kubelet's MilliCPUToQuota: the CFS quota per 100 ms period, at least 1 ms.
    static func cpuQuota(millis: Int64) -> Int64 { max(1000, millis * cpuPeriodMicros / 1000) }

    /// The kubelet's MilliCPUToShares: 1024 shares per core, between 2 and 262,144.
    static func cpuShares(millis: Int64) -> Int64 { min(262_144, max(2, millis * 1024 / 1000)) }

    /// v1 shares as a v2 cpu.weight, the conversion the kubelet and runc use: [2, 262144] maps
    /// linearly onto [1, 10000].
    static func cpuWeight(shares: Int64) -> Int64 { 1 + (min(262_144, max(2, shares)) - 2) * 9999 / 262_142 }

    /// Writes the pids limit (separately callable: `ThreadPlacement` needs it after the spawn).
    func setPidsLimit(_ limit: Int64) throws(StartFailure) {
        guard let directory = directory("pids") else { return }
        if let error = SmallFile.write(String(max(1, limit)), to: directory + "/pids.max") {
            throw StartFailure("set pids limit: \(error)")
        }
    }

    /// The `cgroup.procs` files the child writes its own pid into before exec.
    var procsFiles: [String] { directories.keys.sorted().compactMap { directories[$0].map { $0 + "/cgroup.procs" } } }

    /// How many times the kernel's OOM killer fired in this cgroup.
    func oomKillCount() -> Int {
        Int(flatKeyed("memory", version == .v1 ? "memory.oom_control" : "memory.events")["oom_kill"] ?? 0)
    }

    /// Every process still in the cgroup.
    func processes() -> Set<Int32> {
        var pids = Set<Int32>()
        for file in procsFiles {
            for line in (SmallFile.read(file) ?? "").split(separator: "\n") { if let pid = Int32(line) { pids.insert(pid) } }
        }
        return pids
    }

    /// SIGKILLs everything left in the cgroup (processes that left the container's process group);
    /// false when nothing was left.
    @discardableResult
    func killAll() -> Bool {
        let left = processes()
        for pid in left { kill(pid, SIGKILL) }
        return !left.isEmpty
    }

    /// Removes the directories, and the pod's once its last container's is gone (another
    /// container's keeps it); false while processes remain in the container's.
    @discardableResult
    func remove() -> Bool {
        var removed = true
        for directory in directories.values where rmdir(directory) != 0 && errno != ENOENT { removed = false }
        if removed, let podDirectory { rmdir(podDirectory) }
        return removed
    }

    /// A cgroup directory name from a container id (`<pod uid>/<container>/<restart>`).
    static func name(for id: String) -> String { "c-" + sanitized(id) }

    /// The pod's cgroup directory name from a container id: its first component, the pod's uid.
    static func podName(for id: String) -> String { "p-" + sanitized(String(id.prefix { $0 != "/" })) }

    /// Only ASCII letters, digits and '-' survive, so no id can name `..` or a nested path.
    private static func sanitized(_ id: String) -> String {
        String(id.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "-") ? Character(scalar) : "_"
        })
    }
}
