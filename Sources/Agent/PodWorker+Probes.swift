import Foundation
import Model

/// A probe handed out by `PodWorker.dueProbes`; its outcome goes back through `recordProbe`.
struct DueProbe {
    var container: String
    var processID: String
    var kind: ProbeKind
    var request: ProbeRequest
}

extension PodWorker {
    /// Fresh probe tallies for a new instance; without a startup probe it counts as started, and
    /// without a readiness probe as ready once started.
    func setUpProbes(_ record: inout ContainerRecord, startedAt: Date) {
        record.probes = [:]
        guard !record.isInit else {
            record.started = true
            return
        }
        for kind in ProbeKind.allCases {
            guard let probe = record.spec[kind.rawValue], probe.object != nil else { continue }
            record.probes[kind] = ProbeState(timing: ProbeTiming(probe), containerStarted: startedAt)
        }
        record.started = record.probes[.startup] == nil
        record.ready = record.started && record.probes[.readiness] == nil
    }

    /// Probes whose time has come; until the startup probe succeeds only it runs.
    func dueProbes(now: Date) -> [DueProbe] {
        guard terminalPhase == nil, !isDeleting else { return [] }
        var due: [DueProbe] = []
        for index in containers.indices {
            let record = containers[index]
            guard record.isRunning, record.stopReason == nil, let id = record.processID, let process = record.process else { continue }
            let kinds: [ProbeKind] = record.started ? [.liveness, .readiness] : [.startup]
            for kind in kinds {
                guard let state = record.probes[kind], !state.inFlight, state.nextRun <= now,
                      let probe = record.spec[kind.rawValue] else { continue }
                containers[index].probes[kind]?.inFlight = true
                due.append(DueProbe(container: record.name, processID: id, kind: kind,
                                    request: ProbeRequest(probe: probe, process: process, host: context.nodeIP,
                                                          timeout: state.timing.timeout)))
            }
        }
        return due
    }

    /// Counts a probe outcome for the instance it ran against (outcomes for an instance that has
    /// since ended are dropped). A failed liveness or startup verdict stops the instance; the
    /// restart policy then decides.
    func recordProbe(_ due: DueProbe, outcome: ProbeOutcome, now: Date) {
        guard let index = containers.firstIndex(where: { $0.name == due.container && $0.processID == due.processID }),
              var state = containers[index].probes[due.kind] else { return }
        let changed = state.record(outcome.success, at: now)
        containers[index].probes[due.kind] = state
        let label = due.kind == .startup ? "Startup" : due.kind == .liveness ? "Liveness" : "Readiness"
        if !outcome.success {
            events.append(AgentEvent(type: "Warning", reason: "Unhealthy", message: "\(label) probe failed: \(outcome.message)"))
        }
        guard changed, let verdict = state.verdict else { return }
        switch due.kind {
        case .readiness:
            containers[index].ready = verdict
        case .startup where verdict:
            containers[index].started = true
            containers[index].ready = containers[index].probes[.readiness] == nil
        case .liveness where verdict:
            break
        case .startup, .liveness:
            let reason = "Container \(due.container) failed \(label.lowercased()) probe, will be restarted"
            containers[index].stopReason = reason
            containers[index].ready = false
            events.append(AgentEvent(type: "Normal", reason: "Killing", message: reason))
            context.runtime.stop(id: due.processID, grace: gracePeriod)
        }
    }

    /// Drops readiness of containers that are no longer running.
    func updateReadiness() {
        for index in containers.indices where !containers[index].isRunning {
            containers[index].ready = false
            containers[index].started = false
        }
    }
}
