import Client
import Foundation
import Model
import Testing
import TestSupport
@testable import Agent

/// Whether this machine lets the agent bind-mount (root with CAP_SYS_ADMIN, mount namespaces allowed).
let volumeMountsWork = MountSupport.detect(trialDirectory: NSTemporaryDirectory()) == nil

/// Real containers with emptyDir-style bind mounts at mount paths that do not exist on the host.
@Suite(.enabled(if: volumeMountsWork, "bind mounts need root with CAP_SYS_ADMIN and mount namespaces"))
struct VolumeMountRuntimeTests {
    /// A volume directory and a mount path (missing on the host) under a scratch directory.
    final class Volume: @unchecked Sendable {
        let fixture: RuntimeFixture
        let source: String
        let mountRoot = NSTemporaryDirectory() + "drover-mountpoint-" + UUID().uuidString
        var mountPath: String { mountRoot + "/data" }

        init(threadPlacement: Bool = true) throws {
            fixture = try RuntimeFixture(threadPlacement: threadPlacement)
            source = fixture.directory + "/volume"
            try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        }

        deinit { try? FileManager.default.removeItem(atPath: mountRoot) }

        func mount(readOnly: Bool = false) -> VolumeMount {
            VolumeMount(volume: "cache", source: source, mountPath: mountPath, readOnly: readOnly)
        }

        func run(_ script: String, readOnly: Bool = false) async throws -> (ProcessExit?, String) {
            let spec = fixture.spec(["sh", "-c", script], mounts: [mount(readOnly: readOnly)])
            let exit = try await fixture.run(spec)
            return (exit, fixture.log(spec))
        }
    }

    @Test func aFileWrittenAtTheMountPathIsReadBackByTheNextContainerAndLandsInTheVolume() async throws {
        let volume = try Volume()
        let (written, _) = try await volume.run("echo hello > \(volume.mountPath)/x")
        #expect(written?.exitCode == 0)
        let (read, output) = try await volume.run("cat \(volume.mountPath)/x")
        #expect(read?.exitCode == 0)
        #expect(output == "hello\n")
        #expect((try? String(contentsOfFile: volume.source + "/x", encoding: .utf8)) == "hello\n")
    }

    @Test func aReadOnlyMountRefusesWrites() async throws {
        let volume = try Volume()
        let (exit, output) = try await volume.run("echo no > \(volume.mountPath)/x", readOnly: true)
        #expect(exit?.exitCode != 0)
        #expect(output.lowercased().contains("read-only file system"))
        #expect(!FileManager.default.fileExists(atPath: volume.source + "/x"))
    }

    @Test func theHostDoesNotSeeTheBindMountWhileTheContainerRuns() async throws {
        let volume = try Volume()
        let spec = volume.fixture.spec(["sh", "-c", "touch \(volume.mountPath)/x && exec sleep 30"], mounts: [volume.mount()])
        let waiter = try volume.fixture.start(spec)
        let written = await eventually { FileManager.default.fileExists(atPath: volume.source + "/x") ? true : nil }
        #expect(written == true)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: volume.mountPath)) == [])
        let mounts = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        #expect(!mounts.contains(volume.mountPath))
        volume.fixture.runtime.stop(id: spec.id, grace: 0)
        #expect(await waiter.exit() != nil)
    }

    @Test func theProgramAndWorkingDirectoryMayBeInsideTheVolume() async throws {
        let volume = try Volume()
        // Written through a close-on-exec descriptor: a child spawned meanwhile by another test must
        // not keep it open for writing, or exec fails with "text file busy".
        let fd = open(volume.source + "/tool", O_WRONLY | O_CREAT | O_CLOEXEC, 0o755)
        let script = "#!/bin/sh\necho from the volume in $(pwd)\n"
        #expect(write(fd, script, script.utf8.count) == script.utf8.count)
        close(fd)
        let spec = volume.fixture.spec(["./tool"], workingDirectory: volume.mountPath, mounts: [volume.mount()])
        let exit = try await volume.fixture.run(spec)
        #expect(exit?.exitCode == 0)
        #expect(volume.fixture.log(spec) == "from the volume in \(volume.mountPath)\n")
    }

    @Test func aMountPathThatCannotBeCreatedFailsTheStartWithAClearMessage() throws {
        let volume = try Volume()
        let spec = volume.fixture.spec(["true"], mounts: [VolumeMount(volume: "cache", source: volume.source,
                                                                      mountPath: "/proc/drover-no-such-directory/x")])
        #expect(throws: StartFailure("mount volume \"cache\" at /proc/drover-no-such-directory/x: create mount point: no such file or directory")) {
            try volume.fixture.start(spec)
        }
    }

    @Test func aMissingProgramFailsTheStartAsWithoutMounts() throws {
        let volume = try Volume()
        let spec = volume.fixture.spec(["drover-no-such-program"], mounts: [volume.mount()])
        #expect(throws: StartFailure("exec: \"drover-no-such-program\": executable file not found in $PATH")) {
            try volume.fixture.start(spec)
        }
        let missing = volume.fixture.spec(["true"], workingDirectory: "/drover-no-such-directory", mounts: [volume.mount()])
        #expect(throws: StartFailure("chdir /drover-no-such-directory: no such file or directory")) {
            try volume.fixture.start(missing)
        }
    }
}

extension VolumeMountRuntimeTests {
    @Test func theShWrapperThatPlacesProcessesInTheirCgroupRunsInsideTheMountNamespace() async throws {
        let volume = try Volume(threadPlacement: false)
        let (exit, output) = try await volume.run("echo wrapped > \(volume.mountPath)/x && cat /proc/self/cgroup")
        #expect(exit?.exitCode == 0)
        #expect((try? String(contentsOfFile: volume.source + "/x", encoding: .utf8)) == "wrapped\n")
        if volume.fixture.runtime.layout != nil { #expect(output.contains("/drover/c-")) }
    }

    @Test func aMountedContainerStartsInItsCgroupWithCleanSignalsAndOnlyItsStandardDescriptors() async throws {
        let volume = try Volume()
        let spec = volume.fixture.spec(["sh", "-c", "cat /proc/self/cgroup; grep -E '^Sig(Blk|Ign)' /proc/self/status; ls /proc/self/fd"],
                                       mounts: [volume.mount()])
        let exit = try await volume.fixture.run(spec)
        #expect(exit?.exitCode == 0)
        let output = volume.fixture.log(spec)
        if volume.fixture.runtime.layout != nil {
            #expect(output.contains(ContainerCgroup.name(for: spec.id)))
        }
        #expect(output.contains("SigBlk:\t0000000000000000"))
        #expect(output.contains("SigIgn:\t0000000000000000"))
        // ls itself holds one more descriptor (the directory it lists, 3).
        #expect(output.hasSuffix("0\n1\n2\n3\n"))
    }
}

/// The whole agent path with real processes: pod spec → mounts → runtime → status.
@Suite(.enabled(if: volumeMountsWork, "bind mounts need root with CAP_SYS_ADMIN and mount namespaces"))
struct VolumeMountPodRunTests {
    @Test func anInitContainerWritesAtTheMountPathAndTheContainerReadsItBack() async throws {
        let fixture = try RuntimeFixture()
        let client = FakeAPIClient()
        let configuration = AgentConfiguration(nodeName: "node-1", dataDirectory: fixture.directory + "/data", nodeIP: "127.0.0.1")
        let manager = PodManager(client: client, runtime: fixture.runtime, probes: FakeProbeExecutor(), configuration: configuration)
        let mountPath = NSTemporaryDirectory() + "drover-pod-mount-" + UUID().uuidString + "/shared"
        let mount: JSONValue = ["name": "shared", "mountPath": .string(mountPath)]
        let writer = PodHarness.container("writer", "sh", "-c", "echo from-init > \(mountPath)/x", extra: ["volumeMounts": [mount]])
        let reader = PodHarness.container("reader", "cat", "\(mountPath)/x", extra: ["volumeMounts": [mount]])
        var pod = PodHarness.pod("p", containers: [reader], initContainers: [writer], restartPolicy: "Never",
                                 spec: ["volumes": [["name": "shared", "emptyDir": .emptyObject]]])
        pod.setValue(nil, at: ["status"])
        let stored = try await client.create(ResourceCatalog.pods, namespace: "default", object: pod)
        let uid = stored.value(at: ["metadata", "uid"])?.string ?? ""
        await manager.apply(WatchEvent(type: .added, object: stored))
        var phase: String?
        for _ in 0..<1200 where phase != "Succeeded" && phase != "Failed" {
            await manager.syncAll()
            phase = client.object(ResourceCatalog.pods, namespace: "default", name: "p")?.value(at: ["status", "phase"])?.string
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        #expect(phase == "Succeeded")
        let log = try? String(contentsOfFile: configuration.paths.log(uid, container: "reader", restart: 0), encoding: .utf8)
        #expect(log == "from-init\n")
        #expect((try? String(contentsOfFile: configuration.paths.volume(uid, "shared") + "/x", encoding: .utf8)) == "from-init\n")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: mountPath)) == [])
        await manager.apply(WatchEvent(type: .deleted, object: stored))
        #expect(!FileManager.default.fileExists(atPath: (mountPath as NSString).deletingLastPathComponent))
    }
}
