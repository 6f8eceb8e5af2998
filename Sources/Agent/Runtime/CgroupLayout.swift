import Foundation

/// Where this agent may create container cgroups, found once at start.
///
/// v2 (`/sys/fs/cgroup/cgroup.controllers` exists): one directory per container under
/// `<mount><own cgroup>/<name>`, with memory, cpu and pids enabled for it.
/// v1 (per-controller mounts, e.g. the hybrid layout of this project's build machines): one directory
/// per controller and container under `<controller mount><own cgroup for that controller>/<name>`.
/// The agent's own cgroup is used as the root when it is writable (delegated), else the mount's root.
struct CgroupLayout: Sendable, Equatable {
    enum Version: String, Sendable, Codable { case v1, v2 }

    /// The controllers every container cgroup gets.
    static let controllers = ["memory", "cpu", "pids"]
    /// What a `cgroup.subtree_control` is written to enable them for the children (v2).
    static let enableControllers = controllers.map { "+" + $0 }.joined(separator: " ")
    /// v2: the leaf cgroup the agent's processes move into so their delegated cgroup may enable
    /// controllers for its children (the "no internal processes" rule).
    static let agentLeaf = "agent"
    /// v1 only: CPU usage is accounted by cpuacct, which some machines mount apart from cpu; where
    /// it can be used the container gets a cpuacct cgroup too (v2's cpu.stat has the usage).
    static let v1AccountingController = "cpuacct"

    var version: Version
    /// v1: controller → parent directory of the container cgroups; v2: "" → the one parent directory.
    var parents: [String: String]
    /// v1 only: controller → the agent's own cgroup directory, when the agent may move its threads
    /// back there (see `ThreadPlacement`); nil means children are placed through the sh wrapper.
    var threadHomes: [String: String]?

    /// Detects the layout and creates the parent directories. On failure the error says why cgroups
    /// cannot be used, for the node condition.
    /// `root` is where the hierarchy is mounted (a v2 mount there means v2; tests pass a fake tree).
    static func detect(name: String, root: String = "/sys/fs/cgroup", mountsText: String? = SmallFile.read("/proc/mounts"),
                       selfCgroupText: String? = SmallFile.read("/proc/self/cgroup")) -> Result<CgroupLayout, CgroupProblem> {
        let mounts = parseMounts(mountsText ?? "")
        let own = parseSelfCgroup(selfCgroupText ?? "")
        if mounts.contains(where: { $0.type == "cgroup2" && $0.path == root }),
           FileManager.default.fileExists(atPath: root + "/cgroup.controllers") {
            return detectV2(mount: root, own: own[""] ?? "/", name: name)
        }
        var parents: [String: String] = [:]
        var homes: [String: String]? = [:]
        func mount(of controller: String) -> Mount? {
            mounts.first(where: { $0.type == "cgroup" && $0.options.contains(controller) })
        }
        for controller in controllers {
            guard let mount = mount(of: controller) else {
                return .failure(CgroupProblem("the cgroup v1 \(controller) controller is not mounted"))
            }
            let ownPath = own[controller] ?? "/"
            let home = ownPath == "/" ? mount.path : mount.path + ownPath
            homes?[controller] = access(home + "/tasks", W_OK) == 0 ? home : nil
            if homes?[controller] == nil { homes = nil }
            let parent = chooseBase(mount: mount.path, own: ownPath) + "/" + name
            if let problem = makeDirectory(parent) { return .failure(problem) }
            parents[controller] = parent
        }
        let accounting = v1AccountingController
        if let accountingMount = mount(of: accounting), accountingMount.path != mount(of: "cpu")?.path {
            let ownPath = own[accounting] ?? "/"
            let home = ownPath == "/" ? accountingMount.path : accountingMount.path + ownPath
            let parent = chooseBase(mount: accountingMount.path, own: ownPath) + "/" + name
            // Optional: without it only usage figures are missing, so it never costs the placement.
            if (homes == nil || access(home + "/tasks", W_OK) == 0) && makeDirectory(parent) == nil {
                parents[accounting] = parent
                homes?[accounting] = home
            }
        }
        return .success(CgroupLayout(version: .v1, parents: parents, threadHomes: homes))
    }

    /// v2: enable the controllers for our subtree. The "no internal processes" rule forbids that in a
    /// non-root cgroup that has member processes, so the agent's cgroup members first move into a
    /// leaf (`<own>/agent`), as a delegated cgroup is meant to be used.
    private static func detectV2(mount: String, own: String, name: String) -> Result<CgroupLayout, CgroupProblem> {
        // The leaf this process moved itself into at an earlier detection (a second runtime in one
        // process) is no base: the delegated cgroup above it is.
        let ownBase = own.hasSuffix("/" + agentLeaf) ? String(own.dropLast(agentLeaf.count + 1)) : own
        let base = chooseBase(mount: mount, own: ownBase.isEmpty ? "/" : ownBase)
        let available = (SmallFile.read(base + "/cgroup.controllers") ?? "").split(separator: " ").map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        for controller in controllers where !available.contains(controller) {
            return .failure(CgroupProblem("the cgroup v2 \(controller) controller is not available in \(base)"))
        }
        let enable = enableControllers
        // (A cgroup namespace's root is no real root either: a container's agent moves too.)
        if SmallFile.write(enable, to: base + "/cgroup.subtree_control") != nil {
            let leaf = base + "/" + agentLeaf
            if let problem = makeDirectory(leaf) { return .failure(problem) }
            for pid in (SmallFile.read(base + "/cgroup.procs") ?? "").split(separator: "\n") {
                SmallFile.write(String(pid), to: leaf + "/cgroup.procs")
            }
        }
        if let error = SmallFile.write(enable, to: base + "/cgroup.subtree_control") {
            return .failure(CgroupProblem("cannot enable cgroup v2 controllers: \(error)"))
        }
        let parent = base + "/" + name
        if let problem = makeDirectory(parent) { return .failure(problem) }
        if let error = SmallFile.write(enable, to: parent + "/cgroup.subtree_control") {
            return .failure(CgroupProblem("cannot enable cgroup v2 controllers: \(error)"))
        }
        return .success(CgroupLayout(version: .v2, parents: ["": parent]))
    }

    /// The agent's own cgroup when it is writable (delegated to us), else the hierarchy's root.
    private static func chooseBase(mount: String, own: String) -> String {
        let ownDirectory = own == "/" ? mount : mount + own
        return access(ownDirectory, W_OK) == 0 ? ownDirectory : mount
    }

    private static func makeDirectory(_ path: String) -> CgroupProblem? {
        if mkdir(path, 0o755) == 0 || errno == EEXIST {
            return access(path, W_OK) == 0 ? nil : CgroupProblem("\(path) is not writable")
        }
        return CgroupProblem("cannot create \(path): \(PosixSpawner.errnoText(errno))")
    }

    struct Mount { var path: String; var type: String; var options: [String] }

    static func parseMounts(_ text: String) -> [Mount] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count >= 4 else { return nil }
            return Mount(path: String(fields[1]), type: String(fields[2]),
                         options: fields[3].split(separator: ",").map(String.init))
        }
    }

    /// `/proc/self/cgroup` as controller → path; v2's line (`0::/path`) under "".
    static func parseSelfCgroup(_ text: String) -> [String: String] {
        var paths: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            for controller in fields[1].split(separator: ",", omittingEmptySubsequences: false) {
                paths[String(controller)] = String(fields[2])
            }
        }
        return paths
    }
}

/// Why cgroups cannot be used on this machine.
struct CgroupProblem: Error, Equatable {
    var message: String
    init(_ message: String) { self.message = message }
}
