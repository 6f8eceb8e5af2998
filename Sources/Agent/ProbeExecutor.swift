import Foundation
import Model

/// The three probe kinds of a container.
public enum ProbeKind: String, Sendable, CaseIterable {
    case startup = "startupProbe"
    case liveness = "livenessProbe"
    case readiness = "readinessProbe"
}

/// One probe to run now: the probe object from the container spec and what it needs to reach the process.
public struct ProbeRequest: Sendable {
    /// `exec`, `httpGet` or `tcpSocket` with their fields, as in the pod spec.
    public var probe: JSONValue
    /// The container's process spec (environment and working directory for exec probes).
    public var process: ProcessSpec
    /// Where httpGet and tcpSocket probes connect (the pod IP, which is the node's).
    public var host: String
    /// timeoutSeconds of the probe.
    public var timeout: TimeInterval

    public init(probe: JSONValue, process: ProcessSpec, host: String, timeout: TimeInterval) {
        self.probe = probe
        self.process = process
        self.host = host
        self.timeout = timeout
    }
}

/// A probe's verdict; `message` explains a failure (for the Unhealthy event).
public struct ProbeOutcome: Sendable, Equatable {
    public var success: Bool
    public var message: String

    public init(success: Bool, message: String = "") {
        self.success = success
        self.message = message
    }
}

/// Runs one probe (the real one lives with the runtime: exec, httpGet, tcpSocket). The pod sync
/// loop only schedules probes and counts their outcomes.
public protocol ProbeExecutor: Sendable {
    func run(_ request: ProbeRequest) async -> ProbeOutcome
}

/// The scheduling parameters of one probe, with the Kubernetes defaults.
struct ProbeTiming: Equatable {
    var initialDelay: TimeInterval
    var period: TimeInterval
    var timeout: TimeInterval
    var successThreshold: Int
    var failureThreshold: Int

    init(_ probe: JSONValue) {
        func number(_ key: String, _ fallback: Int64, minimum: Int64) -> Int64 { max(minimum, probe[key]?.int ?? fallback) }
        initialDelay = TimeInterval(number("initialDelaySeconds", 0, minimum: 0))
        period = TimeInterval(number("periodSeconds", 10, minimum: 1))
        timeout = TimeInterval(number("timeoutSeconds", 1, minimum: 1))
        successThreshold = Int(number("successThreshold", 1, minimum: 1))
        failureThreshold = Int(number("failureThreshold", 3, minimum: 1))
    }
}

/// The running tally of one probe of one container instance.
struct ProbeState: Equatable {
    var timing: ProbeTiming
    var nextRun: Date
    var successes = 0
    var failures = 0
    /// Nil until the thresholds decide either way.
    var verdict: Bool?
    /// A run has been handed out and its outcome not yet recorded.
    var inFlight = false

    init(timing: ProbeTiming, containerStarted: Date) {
        self.timing = timing
        self.nextRun = containerStarted.addingTimeInterval(timing.initialDelay)
    }

    /// Counts an outcome; returns true when the verdict changed.
    mutating func record(_ success: Bool, at now: Date) -> Bool {
        inFlight = false
        nextRun = now.addingTimeInterval(timing.period)
        if success {
            successes += 1
            failures = 0
        } else {
            failures += 1
            successes = 0
        }
        let old = verdict
        if successes >= timing.successThreshold { verdict = true }
        if failures >= timing.failureThreshold { verdict = false }
        return old != verdict
    }
}
