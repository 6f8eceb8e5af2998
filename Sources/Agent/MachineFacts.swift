import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the node reports about the machine: CPUs the agent may use, memory, and the identity
/// fields of `status.nodeInfo`.
public struct MachineFacts: Sendable, Equatable {
    public var hostname: String
    public var cpuMillis: Int64
    public var memoryBytes: Int64
    /// Go's names: `amd64`, `arm64`.
    public var architecture: String
    public var kernelVersion: String
    public var osImage: String
    public var machineID: String
    public var bootID: String
    public var systemUUID: String

    public init(hostname: String, cpuMillis: Int64, memoryBytes: Int64, architecture: String, kernelVersion: String,
                osImage: String, machineID: String, bootID: String, systemUUID: String) {
        self.hostname = hostname
        self.cpuMillis = cpuMillis
        self.memoryBytes = memoryBytes
        self.architecture = architecture
        self.kernelVersion = kernelVersion
        self.osImage = osImage
        self.machineID = machineID
        self.bootID = bootID
        self.systemUUID = systemUUID
    }

    /// Reads this machine (Linux `/proc`, `/etc`, `uname`); missing sources give empty strings.
    public static func read() -> MachineFacts {
        var name = utsname()
        uname(&name)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        let machine = field(name.machine)
        let machineID = file("/etc/machine-id")
        return MachineFacts(hostname: ProcessInfo.processInfo.hostName.lowercased(), cpuMillis: Int64(usableCPUs()) * 1000,
                            memoryBytes: memTotal(), architecture: goArchitecture(machine), kernelVersion: field(name.release),
                            osImage: osRelease(), machineID: machineID, bootID: file("/proc/sys/kernel/random/boot_id"),
                            systemUUID: file("/sys/class/dmi/id/product_uuid").isEmpty ? machineID : file("/sys/class/dmi/id/product_uuid"))
    }

    /// The CPUs in this process's affinity mask (what a container here may use), from
    /// `Cpus_allowed_list` of /proc/self/status (`0-3,6`).
    static func usableCPUs() -> Int {
        for line in file("/proc/self/status").split(separator: "\n") where line.hasPrefix("Cpus_allowed_list:") {
            let count = cpuListCount(line.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces))
            if count > 0 { return count }
        }
        return ProcessInfo.processInfo.activeProcessorCount
    }

    /// The number of CPUs in a kernel CPU list such as `0-3,6`.
    static func cpuListCount(_ list: String) -> Int {
        list.split(separator: ",").reduce(0) { total, range in
            let bounds = range.split(separator: "-").compactMap { Int($0) }
            guard let low = bounds.first else { return total }
            return total + max(0, (bounds.last ?? low) - low + 1)
        }
    }

    /// The first non-loopback IPv4 address of an interface that is up; 127.0.0.1 without one.
    public static func primaryIPv4() -> String {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return "127.0.0.1" }
        defer { freeifaddrs(list) }
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor?.pointee {
            cursor = entry.ifa_next
            let flags = Int32(entry.ifa_flags)
            guard let address = entry.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET),
                  flags & Int32(IFF_UP) != 0, flags & Int32(IFF_LOOPBACK) == 0 else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(address, socklen_t(MemoryLayout<sockaddr_in>.size), &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 {
                return String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
        return "127.0.0.1"
    }

    /// MemTotal of /proc/meminfo in bytes.
    static func memTotal() -> Int64 {
        for line in file("/proc/meminfo").split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Int64($0) } ?? 0
            return kilobytes * 1024
        }
        return Int64(ProcessInfo.processInfo.physicalMemory)
    }

    static func osRelease() -> String {
        for line in file("/etc/os-release").split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return String(line.dropFirst("PRETTY_NAME=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return "Linux"
    }

    static func goArchitecture(_ machine: String) -> String {
        switch machine {
        case "x86_64": return "amd64"
        case "aarch64": return "arm64"
        case "i686", "i386": return "386"
        default: return machine
        }
    }

    static func file(_ path: String) -> String {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
