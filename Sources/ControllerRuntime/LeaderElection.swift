import Foundation
import Model

/// The timings of a leader election, named and defaulted as kube-controller-manager's
/// `--leader-elect-*` flags.
public struct LeaderElectionConfig: Sendable, Equatable {
    /// The Lease's namespace (`--leader-elect-resource-namespace`).
    public var namespace: String
    /// The Lease's name (`--leader-elect-resource-name`).
    public var name: String
    /// This candidate's holder identity: unique per process.
    public var identity: String
    /// How long a follower waits after the last change it saw of the record before it takes over.
    public var leaseDuration: Double
    /// How long the leader keeps leading without a successful renewal: after this it stops writing
    /// (its term ends), leaving `leaseDuration - renewDeadline` for requests in flight to land
    /// before any follower may take over.
    public var renewDeadline: Double
    /// How often candidates try to acquire and the leader renews.
    public var retryPeriod: Double

    public init(namespace: String = "kube-system", name: String, identity: String,
                leaseDuration: Double = 15, renewDeadline: Double = 10, retryPeriod: Double = 2) {
        self.namespace = namespace
        self.name = name
        self.identity = identity
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
    }

    /// Upstream's rules: leaseDuration > renewDeadline > retryPeriod × 1.2 (JitterFactor), all > 0.
    public func validate() throws(LeaderElectionConfigError) {
        guard !name.isEmpty, !namespace.isEmpty else { throw LeaderElectionConfigError("the lease needs a namespace and a name") }
        guard retryPeriod > 0 else { throw LeaderElectionConfigError("the retry period must be greater than zero") }
        guard renewDeadline > retryPeriod * 1.2 else {
            throw LeaderElectionConfigError("the renew deadline must be greater than 1.2 × the retry period")
        }
        guard leaseDuration > renewDeadline else {
            throw LeaderElectionConfigError("the lease duration must be greater than the renew deadline")
        }
    }
}

/// A leader-election setting that cannot work, with the rule it breaks.
public struct LeaderElectionConfigError: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The leader-election record as a Lease's spec holds it.
public struct LeaderRecord: Sendable, Equatable {
    public var holderIdentity: String
    public var leaseDurationSeconds: Int64
    public var acquireTime: String?
    public var renewTime: String?
    public var leaseTransitions: Int64

    public init(holderIdentity: String, leaseDurationSeconds: Int64, acquireTime: String?, renewTime: String?,
                leaseTransitions: Int64) {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
    }

    /// The record of a Lease object.
    public init(lease: JSONValue) {
        let spec = lease["spec"] ?? .emptyObject
        holderIdentity = spec["holderIdentity"]?.string ?? ""
        leaseDurationSeconds = spec["leaseDurationSeconds"]?.int ?? 0
        acquireTime = spec["acquireTime"]?.string
        renewTime = spec["renewTime"]?.string
        leaseTransitions = spec["leaseTransitions"]?.int ?? 0
    }

    /// The Lease spec of this record.
    public var spec: JSONValue {
        var spec: JSONValue = ["holderIdentity": .string(holderIdentity), "leaseDurationSeconds": .int(leaseDurationSeconds),
                               "leaseTransitions": .int(leaseTransitions)]
        if let acquireTime { spec["acquireTime"] = .string(acquireTime) }
        if let renewTime { spec["renewTime"] = .string(renewTime) }
        return spec
    }
}

/// What one candidate knows between attempts: the record it last saw and when (on its own clock)
/// that record last changed. As client-go's leader election, expiry is judged by the local time
/// of the last observed change, never by the holder's renewTime, so clocks need not agree.
public struct LeaderObservation: Sendable, Equatable {
    public var record: LeaderRecord?
    public var changedAt: Date?

    public init(record: LeaderRecord? = nil, changedAt: Date? = nil) {
        self.record = record
        self.changedAt = changedAt
    }

    /// This observation after reading `current` (nil: no Lease) at `now`.
    public func observing(_ current: LeaderRecord?, at now: Date) -> LeaderObservation {
        current == record && changedAt != nil ? self : LeaderObservation(record: current, changedAt: now)
    }
}

/// One attempt's decision.
public enum LeaderElectionDecision: Sendable, Equatable {
    /// No Lease exists: create it with this record.
    case create(LeaderRecord)
    /// Write this record over the observed one (compare-and-swap): a renewal when we hold it, a
    /// take-over when it expired or was released.
    case write(LeaderRecord)
    /// Someone else holds an unexpired lease.
    case follow(holder: String)
}

/// The pure rule of client-go's `tryAcquireOrRenew`.
public enum LeaderElection {
    /// What `config.identity` does, having seen `observation` (already updated with this read),
    /// at `now`.
    public static func decide(_ observation: LeaderObservation, config: LeaderElectionConfig, now: Date) -> LeaderElectionDecision {
        let stamp = Timestamp.formatMicro(now)
        let duration = Int64(config.leaseDuration.rounded(.up))
        guard let old = observation.record else {
            return .create(LeaderRecord(holderIdentity: config.identity, leaseDurationSeconds: duration,
                                        acquireTime: stamp, renewTime: stamp, leaseTransitions: 0))
        }
        let holding = old.holderIdentity == config.identity
        if !holding, !old.holderIdentity.isEmpty, let changedAt = observation.changedAt,
           now.timeIntervalSince(changedAt) < Double(max(old.leaseDurationSeconds, 1)) {
            return .follow(holder: old.holderIdentity)
        }
        return .write(LeaderRecord(holderIdentity: config.identity, leaseDurationSeconds: duration,
                                   acquireTime: holding ? old.acquireTime ?? stamp : stamp, renewTime: stamp,
                                   leaseTransitions: holding ? old.leaseTransitions : old.leaseTransitions + 1))
    }

    /// The record a leader writes when it steps down on purpose: no holder and a one-second
    /// duration, so a follower takes over at its next attempt (client-go's ReleaseOnCancel).
    public static func release(_ record: LeaderRecord, now: Date) -> LeaderRecord {
        var released = record
        released.holderIdentity = ""
        released.leaseDurationSeconds = 1
        released.renewTime = Timestamp.formatMicro(now)
        return released
    }
}
