import Client
import Foundation
import Model
import Testing
import TestSupport
@testable import Agent

/// A sidecar with real child processes: it must not hold a finished pod open.
@Suite struct SidecarProcessTests {
    @Test func aPodWhoseMainEndsSucceedsAndItsSidecarProcessIsGone() async throws {
        try await offCooperativePool {
            let fixture = try RuntimeFixture()
            let runtime = PIDRecordingRuntime(fixture.runtime)
            let client = FakeAPIClient()
            let configuration = AgentConfiguration(nodeName: "node-1", dataDirectory: fixture.directory + "/data", nodeIP: "127.0.0.1")
            let manager = PodManager(client: client, runtime: runtime, probes: FakeProbeExecutor(), configuration: configuration)
            let sidecar = PodHarness.container("proxy", "sleep", "600", extra: ["restartPolicy": "Always"])
            let pod = PodHarness.pod("job-pod", containers: [PodHarness.container("main", "true")], initContainers: [sidecar],
                                     restartPolicy: "Never", spec: ["terminationGracePeriodSeconds": 5])
            let stored = try await client.create(ResourceCatalog.pods, namespace: "default", object: pod)
            await manager.apply(WatchEvent(type: .added, object: stored))
            let uid = stored.value(at: ["metadata", "uid"])?.string ?? ""

            let phase = await eventually(within: 60) { () async -> String? in
                await manager.syncAll()
                let phase = client.object(ResourceCatalog.pods, namespace: "default", name: "job-pod")?.value(at: ["status", "phase"])?.string
                return phase == "Succeeded" || phase == "Failed" ? phase : nil
            }
            #expect(phase == "Succeeded")
            let status = client.object(ResourceCatalog.pods, namespace: "default", name: "job-pod")?["status"]
            let proxy = status?["initContainerStatuses"]?.array?.first
            #expect(proxy?.value(at: ["state", "terminated", "exitCode"])?.int == 143)
            #expect(status?["containerStatuses"]?.array?.first?.value(at: ["state", "terminated", "exitCode"])?.int == 0)
            let pid = try #require(runtime.pid(of: "\(uid)/proxy/0"))
            #expect(await eventually { processGone(pid) })
            #expect(runtime.startedIDs == ["\(uid)/proxy/0", "\(uid)/main/0"])
        }
    }
}

/// Forwards to a real runtime and remembers the pid of every process it started.
final class PIDRecordingRuntime: ProcessRuntime, @unchecked Sendable {
    private let base: any ProcessRuntime
    private let lock = NSLock()
    private var pids: [(id: String, pid: Int32)] = []

    init(_ base: any ProcessRuntime) { self.base = base }

    var capabilities: RuntimeCapabilities { base.capabilities }

    func pid(of id: String) -> Int32? { lock.withLock { pids.first { $0.id == id }?.pid } }

    var startedIDs: [String] { lock.withLock { pids.map(\.id) } }

    func start(_ spec: ProcessSpec, onExit: @escaping @Sendable (ProcessExit) -> Void) throws(StartFailure) -> Int32 {
        let pid = try base.start(spec, onExit: onExit)
        lock.withLock { pids.append((spec.id, pid)) }
        return pid
    }

    func stop(id: String, grace: TimeInterval) { base.stop(id: id, grace: grace) }

    func adoptable() -> [String: Int32] { base.adoptable() }

    func adopt(id: String, pid: Int32, onExit: @escaping @Sendable (ProcessExit) -> Void) -> Bool {
        base.adopt(id: id, pid: pid, onExit: onExit)
    }
}
