import Client
import Foundation
import Logging
import Metrics
import Model

/// Campaigns for a coordination.k8s.io/v1 Lease as client-go's leaderelection does — every retry
/// period a candidate reads the Lease and, by `LeaderElection.decide`, creates it, renews it or
/// takes it over with a compare-and-swap update — and runs terms: `onStartedLeading` gets each new
/// `LeaderTerm` (whose fence the leader's clients write under), `onStoppedLeading` is called when
/// the term ends: deposed, or no renewal within the renew deadline. Unlike upstream's components,
/// which exit when they lose the lease, a candidate campaigns again (the API server in the same
/// process keeps serving). `stop()` releases a held lease so a follower takes over at once.
public final class LeaderElector: @unchecked Sendable {
    public let config: LeaderElectionConfig
    private let client: any APIClient
    private let clock: any TimeSource
    private let logger: Logger
    private let onStartedLeading: @Sendable (LeaderTerm) -> Void
    private let onStoppedLeading: @Sendable () -> Void
    private let lock = NSLock()
    private var observation = LeaderObservation()
    /// The Lease as last read or written (its resourceVersion is the next update's precondition).
    private var lease: JSONValue?
    private var term: LeaderTerm?
    private var task: Task<Void, Never>?

    static let masterStatus = MetricsRegistry.shared.gauge(
        "leader_election_master_status", "1 while this process leads the named lease, 0 otherwise.", labels: ["name"])
    static let transitions = MetricsRegistry.shared.counter(
        "drover_leader_election_terms_total", "Terms this process started leading, by lease.", labels: ["name"])

    public init(client: any APIClient, config: LeaderElectionConfig, clock: any TimeSource = SystemTimeSource(),
                logger: Logger = Logger("leader-election"),
                onStartedLeading: @escaping @Sendable (LeaderTerm) -> Void, onStoppedLeading: @escaping @Sendable () -> Void) {
        self.client = client
        self.config = config
        self.clock = clock
        self.logger = logger
        self.onStartedLeading = onStartedLeading
        self.onStoppedLeading = onStoppedLeading
        Self.masterStatus.set(0, config.name)
    }

    /// `namespace/name` of the Lease.
    public var leaseKey: String { "\(config.namespace)/\(config.name)" }

    /// The current term, while leading.
    public var currentTerm: LeaderTerm? { lock.withLock { term } }

    /// The holder of the Lease as last seen ("" when released, nil before the first read).
    public var observedHolder: String? { lock.withLock { observation.record?.holderIdentity } }

    /// Nil while healthy; a message when this candidate believes it leads but its renewal is
    /// overdue (upstream's leaderElection health check: the leader is about to stand down).
    public var healthProblem: String? {
        guard let term = currentTerm, !term.isCurrent else { return nil }
        return "the leader lease \(leaseKey) was last renewed at \(Timestamp.formatMicro(term.renewedAt)), past the renew deadline"
    }

    /// Starts campaigning.
    public func start() {
        lock.withLock {
            guard task == nil else { return }
            task = Task { [weak self] in await self?.campaign() }
        }
    }

    /// Stops campaigning; a held lease ends its term and is released.
    public func stop() async {
        let running = lock.withLock { () -> Task<Void, Never>? in
            defer { task = nil }
            return task
        }
        running?.cancel()
        await running?.value
        guard endTerm() else { return }
        await release()
    }

    private func campaign() async {
        while !Task.isCancelled {
            await attempt()
            let jitter = currentTerm == nil ? Double.random(in: 1...1.2) : 1
            do { try await clock.sleep(seconds: config.retryPeriod * jitter) } catch { return }
        }
    }

    /// One try to acquire or renew; starts or ends the term by its outcome.
    func attempt() async {
        let succeeded: Bool
        do {
            succeeded = try await acquireOrRenew()
        } catch {
            logger.debug("could not reach the leader lease", object: leaseKey, ["error": "\(error)"])
            succeeded = false
        }
        let now = clock.now
        if succeeded {
            if let term = currentTerm, term.isCurrent {
                term.renewed(at: now)
            } else {
                _ = endTerm()
                beginTerm(at: now)
            }
        } else if let term = currentTerm, !term.isCurrent || observedHolder != config.identity {
            _ = endTerm()
        }
    }

    private func acquireOrRenew() async throws -> Bool {
        let current: JSONValue?
        do {
            current = try await client.get(ResourceCatalog.leases, namespace: config.namespace, name: config.name)
        } catch let error as StatusError where error.code == 404 {
            current = nil
        }
        let now = clock.now
        let decision = lock.withLock { () -> LeaderElectionDecision in
            observation = observation.observing(current.map(LeaderRecord.init(lease:)), at: now)
            lease = current
            return LeaderElection.decide(observation, config: config, now: now)
        }
        switch decision {
        case .follow:
            return false
        case .create(let record):
            let object: JSONValue = ["apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                                     "metadata": ["name": .string(config.name), "namespace": .string(config.namespace)],
                                     "spec": record.spec]
            return try await write(record, at: now) {
                try await self.client.create(ResourceCatalog.leases, namespace: self.config.namespace, object: object)
            }
        case .write(let record):
            guard var object = current else { return false }
            object["spec"] = record.spec
            return try await write(record, at: now) {
                try await self.client.update(ResourceCatalog.leases, namespace: self.config.namespace, object: object)
            }
        }
    }

    /// Runs a create or compare-and-swap update of the Lease; a conflict is a lost race, not an error.
    private func write(_ record: LeaderRecord, at now: Date, _ send: () async throws -> JSONValue) async throws -> Bool {
        do {
            let written = try await send()
            lock.withLock {
                lease = written
                observation = LeaderObservation(record: record, changedAt: now)
            }
            return true
        } catch let error as StatusError where error.code == 409 {
            return false
        }
    }

    private func beginTerm(at now: Date) {
        let term = LeaderTerm(lease: leaseKey, identity: config.identity, renewDeadline: config.renewDeadline, clock: clock,
                              acquiredAt: now)
        lock.withLock { self.term = term }
        Self.masterStatus.set(1, config.name)
        Self.transitions.inc(config.name)
        logger.info("became the leader", object: leaseKey, ["identity": config.identity])
        onStartedLeading(term)
    }

    /// Ends the current term, if any; true when there was one.
    private func endTerm() -> Bool {
        guard let ended = lock.withLock({ () -> LeaderTerm? in
            defer { term = nil }
            return term
        }) else { return false }
        ended.end()
        Self.masterStatus.set(0, config.name)
        logger.warning("stopped leading", object: leaseKey,
                       ["identity": config.identity, "holder": observedHolder ?? "unknown"])
        onStoppedLeading()
        return true
    }

    /// Hands the lease back (holder "", duration 1 s) when we still hold it.
    private func release() async {
        guard var object = lock.withLock({ lease }), LeaderRecord(lease: object).holderIdentity == config.identity else { return }
        object["spec"] = LeaderElection.release(LeaderRecord(lease: object), now: clock.now).spec
        _ = try? await client.update(ResourceCatalog.leases, namespace: config.namespace, object: object)
    }
}
