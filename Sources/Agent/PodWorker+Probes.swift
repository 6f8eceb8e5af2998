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
    /// without a readiness probe as ready once started. Regular init containers have no probes
    /// (admission forbids them); sidecars have all three.
    func setUpProbes(_ record: inout ContainerRecord, startedAt: Date) {
        record.probes = [:]
        guard !record.isInit || record.isSidecar else {
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

    /// The lists of records probes run for: sidecars (in the init list) and containers.
    private static var probedLists: [ReferenceWritableKeyPath<PodWorker, [ContainerRecord]>] { [\.initContainers, \.containers] }

    /// Probes whose time has come; until the startup probe succeeds only it runs.
    func dueProbes(now: Date) -> [DueProbe] {
        guard terminalPhase == nil, !isDeleting, podStop == nil else { return [] }
        var due: [DueProbe] = []
        for list in Self.probedLists {
            for index in self[keyPath: list].indices {
                due += dueProbes(&self[keyPath: list][index], now: now)
            }
        }
        return due
    }

    private func dueProbes(_ record: inout ContainerRecord, now: Date) -> [DueProbe] {
        guard record.isRunning, record.stopReason == nil, let id = record.processID, let process = record.process else { return [] }
        var due: [DueProbe] = []
        let kinds: [ProbeKind] = record.started ? [.liveness, .readiness] : [.startup]
        for kind in kinds {
            guard let state = record.probes[kind], !state.inFlight, state.nextRun <= now,
                  let probe = record.spec[kind.rawValue] else { continue }
            record.probes[kind]?.inFlight = true
            due.append(DueProbe(container: record.name, processID: id, kind: kind,
                                request: ProbeRequest(probe: probe, process: process, host: context.nodeIP,
                                                      timeout: state.timing.timeout)))
        }
        return due
    }

    /// Counts a probe outcome for the instance it ran against (outcomes for an instance that has
    /// since ended are dropped). A failed liveness or startup verdict stops the instance; the
    /// restart policy then decides (a sidecar is always restarted).
    func recordProbe(_ due: DueProbe, outcome: ProbeOutcome, now: Date) {
        for list in Self.probedLists {
            guard let index = self[keyPath: list].firstIndex(where: { $0.name == due.container && $0.processID == due.processID })
            else { continue }
            recordProbe(due, outcome: outcome, now: now, into: &self[keyPath: list][index])
            return
        }
    }

    private func recordProbe(_ due: DueProbe, outcome: ProbeOutcome, now: Date, into record: inout ContainerRecord) {
        guard var state = record.probes[due.kind] else { return }
        let changed = state.record(outcome.success, at: now)
        record.probes[due.kind] = state
        let label = due.kind == .startup ? "Startup" : due.kind == .liveness ? "Liveness" : "Readiness"
        if !outcome.success {
            events.append(AgentEvent(type: "Warning", reason: "Unhealthy", message: "\(label) probe failed: \(outcome.message)"))
        }
        guard changed, let verdict = state.verdict else { return }
        switch due.kind {
        case .readiness:
            record.ready = verdict
        case .startup where verdict:
            record.started = true
            record.ready = record.probes[.readiness] == nil
        case .liveness where verdict:
            break
        case .startup, .liveness:
            let reason = "Container \(due.container) failed \(label.lowercased()) probe, will be restarted"
            record.stopReason = reason
            record.ready = false
            events.append(AgentEvent(type: "Normal", reason: "Killing", message: reason))
            context.runtime.stop(id: due.processID, grace: gracePeriod)
        }
    }

    /// Drops readiness of containers (sidecars included) that are no longer running.
    func updateReadiness() {
        for list in Self.probedLists {
            for index in self[keyPath: list].indices where !self[keyPath: list][index].isRunning {
                self[keyPath: list][index].ready = false
                self[keyPath: list][index].started = false
            }
        }
    }
}
