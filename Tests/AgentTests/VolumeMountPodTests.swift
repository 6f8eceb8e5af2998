import Client
import Foundation
import Model
import Testing
@testable import Agent

private typealias H = PodHarness

/// emptyDir volumes in the pod sync loop: mounted when the runtime can mount, else named in the
/// environment with an event that says why not; mount points created on the host and removed again.
@Suite struct VolumeMountPodTests {
    static func cachePod(mountPath: String, readOnly: Bool = false, subPath: String? = nil) -> JSONValue {
        var mount: JSONValue = ["name": "cache", "mountPath": .string(mountPath), "readOnly": .bool(readOnly)]
        if let subPath { mount["subPath"] = .string(subPath) }
        let container = H.container("main", "app", extra: ["volumeMounts": [mount, ["name": "config", "mountPath": "/etc/config"]]])
        return H.pod("p", containers: [container], restartPolicy: "Never", spec: ["volumes": [["name": "cache", "emptyDir": .emptyObject],
                                                                      ["name": "config", "hostPath": ["path": "/etc"]]]])
    }

    @Test func whenTheRuntimeCanMountTheVolumeIsMountedAtItsMountPathAndNamedInTheEnvironmentWithoutAWarning() async throws {
        let h = PodHarness()
        let root = NSTemporaryDirectory() + "drover-mountpoints-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        let uid = try await h.bind(Self.cachePod(mountPath: root + "/a/./cache/", readOnly: true))
        await h.sync()
        let spec = try #require(h.runtime.started.first)
        let volume = h.configuration.paths.volume(uid, "cache")
        #expect(spec.mounts == [VolumeMount(volume: "cache", source: volume, mountPath: root + "/a/cache", readOnly: true)])
        #expect(spec.environment["DROVER_VOLUME_CACHE"] == volume)
        #expect(spec.workingDirectory == h.configuration.paths.scratch(uid))
        #expect(!h.eventReasons.contains("VolumeNotMounted"))
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: root + "/a/cache", isDirectory: &isDirectory) && isDirectory.boolValue)

        // Cleaning the finished pod up removes the mount points the agent created.
        _ = h.runtime.exit(spec.id, code: 0)
        await h.sync()
        let pod = try #require(h.stored("p"))
        await h.manager.apply(WatchEvent(type: .deleted, object: pod))
        #expect(!FileManager.default.fileExists(atPath: root))
        #expect(!FileManager.default.fileExists(atPath: h.configuration.paths.pod(uid)))
    }

    @Test func mountPointsThatAreNotEmptyAnyMoreOrExistedBeforeAreKept() throws {
        let root = NSTemporaryDirectory() + "drover-mountpoints-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/existing", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let record = root + "/record"
        MountPoints.create(for: [VolumeMount(volume: "a", source: root + "/volume", mountPath: root + "/existing/new"),
                                 VolumeMount(volume: "b", source: root + "/volume", mountPath: root + "/full/x")], record: record)
        try "kept".write(toFile: root + "/full/x/file", atomically: false, encoding: .utf8)
        MountPoints.removeRecorded(record)
        #expect(FileManager.default.fileExists(atPath: root + "/existing"))
        #expect(!FileManager.default.fileExists(atPath: root + "/existing/new"))
        #expect(FileManager.default.fileExists(atPath: root + "/full/x/file"))
        #expect(!FileManager.default.fileExists(atPath: record))
    }

    @Test func withoutMountSupportTheVolumeIsOnlyNamedInTheEnvironmentAndTheEventSaysWhy() async throws {
        let problem = MountSupport.problem(euid: 1000, effectiveCapabilities: 0) { nil }
        let h = PodHarness { $0.capabilities.volumeMountProblem = problem }
        let uid = try await h.bind(Self.cachePod(mountPath: "/drover-never-created"))
        await h.sync()
        let spec = try #require(h.runtime.started.first)
        #expect(spec.mounts.isEmpty)
        #expect(spec.environment["DROVER_VOLUME_CACHE"] == h.configuration.paths.volume(uid, "cache"))
        #expect(!FileManager.default.fileExists(atPath: "/drover-never-created"))
        let event = try #require(h.client.calls.first { $0.resource == "events" && $0.body?["reason"]?.string == "VolumeNotMounted" })
        #expect(event.body?["type"]?.string == "Warning")
        #expect(event.body?["message"]?.string == "emptyDir volume cache is not mounted at its mountPath because the agent runs as uid 1000, not as root (uid 0); bind mounts need root with CAP_SYS_ADMIN; containers find it as the directory $DROVER_VOLUME_CACHE (\(h.configuration.paths.volume(uid, "cache")))")
    }

    @Test func aSubPathMountsADirectoryOfTheVolume() throws {
        let builder = ProcessSpecBuilder(pod: Self.cachePod(mountPath: "/work", subPath: "logs/./app"), nodeName: "n", podIP: "",
                                         paths: AgentPaths(dataDirectory: "/data"), mountVolumes: true)
        let mounts = try builder.volumeMounts(of: (builder.pod.value(at: ["spec", "containers"])?.array?.first ?? .null), "main")
        #expect(mounts.map(\.source) == ["/data/pods//_volumes/cache/logs/app"])
    }

    @Test(arguments: [("cache", "must be an absolute path"), ("/", "would hide the host's whole filesystem"),
                      ("/a/../etc", "must not contain '..'")])
    func badMountPathsAreConfigurationErrors(mountPath: String, problem: String) {
        let builder = ProcessSpecBuilder(pod: Self.cachePod(mountPath: mountPath), nodeName: "n", podIP: "",
                                         paths: AgentPaths(dataDirectory: "/data"), mountVolumes: true)
        let container = (builder.pod.value(at: ["spec", "containers"])?.array?.first ?? .null)
        #expect { try builder.build(container, restart: 0) } throws: { error in
            (error as? ContainerConfigError)?.message.contains(problem) == true
        }
    }
}

/// The decision whether the agent can mount, with the checks injected.
@Suite struct MountSupportTests {
    @Test func notRootIsReportedWithTheUid() {
        var probed = false
        let problem = MountSupport.problem(euid: 1000, effectiveCapabilities: ~0) { probed = true; return nil }
        #expect(problem == "the agent runs as uid 1000, not as root (uid 0); bind mounts need root with CAP_SYS_ADMIN")
        #expect(!probed)
    }

    @Test func rootWithoutCapSysAdminIsReportedWithItsCapabilities() {
        let problem = MountSupport.problem(euid: 0, effectiveCapabilities: 0x1ff_fedf_ffff) { nil }
        #expect(problem == "the agent runs as root without CAP_SYS_ADMIN (effective capabilities 0x1fffedfffff); bind mounts need root with CAP_SYS_ADMIN")
    }

    @Test func aFailingTrialMountIsReported() {
        let problem = MountSupport.problem(euid: 0, effectiveCapabilities: MountSupport.capSysAdmin) {
            "create a private mount namespace for the volume mounts: unshare: operation not permitted"
        }
        #expect(problem?.contains("a trial bind mount in a private mount namespace failed (create a private mount namespace") == true)
        #expect(problem?.contains("seccomp") == true)
    }

    @Test func rootWithCapSysAdminAndAWorkingTrialCanMount() {
        #expect(MountSupport.problem(euid: 0, effectiveCapabilities: MountSupport.capSysAdmin) { nil } == nil)
    }

    @Test func effectiveCapabilitiesAreReadFromTheStatusFile() {
        let status = "Name:\tdrover\nCapPrm:\t0000000000000001\nCapEff:\t000001fffeffffff\nCapBnd:\t0\n"
        #expect(MountSupport.effectiveCapabilities(status: status) == 0x1ff_feff_ffff)
        #expect(MountSupport.effectiveCapabilities(status: "Name:\tx\n") == nil)
    }

    @Test func aRuntimeThatCannotMountRefusesSpecsWithMountsAndSaysWhy() throws {
        let directory = NSTemporaryDirectory() + "drover-runtime-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let runtime = try LinuxProcessRuntime(stateDirectory: directory, cgroupName: "drover", useCgroups: false, reapOrphans: false,
                                              logCheckInterval: 60, threadPlacement: false,
                                              volumeMountCheck: { _ in "the agent runs as uid 1000, not as root (uid 0)" })
        #expect(runtime.capabilities.volumeMountProblem == "the agent runs as uid 1000, not as root (uid 0)")
        let spec = ProcessSpec(id: "x", argv: ["true"], environment: [:], workingDirectory: "/", logPath: directory + "/x.log",
                               mounts: [VolumeMount(volume: "cache", source: directory, mountPath: "/cache")])
        #expect(throws: StartFailure("cannot mount the container's volumes: the agent runs as uid 1000, not as root (uid 0)")) {
            try runtime.start(spec) { _ in }
        }
    }
}
