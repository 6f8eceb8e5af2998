import Foundation

/// A few dedicated threads for work that blocks in system calls: the pod syncs' process starts
/// (mkdir of the pod's directories, cgroup creation, posix_spawn, which waits until the child has
/// exec'd). Run on the `PodManager` actor, a start held the actor, and with it every other pod,
/// for its whole wall time (several milliseconds when the CPUs are busy); on Swift's cooperative
/// pool (one thread per core) it would also hold up the API server running in the same process.
/// Here several starts overlap and the actor and the cooperative pool stay free.
final class BlockingPool: @unchecked Sendable {
    /// The pool the pod managers share (tests create many managers; the threads are never ended).
    static let podSyncs = BlockingPool(threads: 4, name: "drover-pod-sync")

    private let condition = NSCondition()
    /// Jobs waiting, urgent ones first.
    private var urgent = FIFO<@Sendable () -> Void>()
    private var normal = FIFO<@Sendable () -> Void>()

    init(threads: Int, name: String) {
        for index in 0..<max(1, threads) {
            let thread = Thread { [self] in loop() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    /// Runs `work` on one of the pool's threads and returns its result. `urgent` work goes before
    /// all other waiting work: a burst of new pods must not hold up noticing the exits of pods
    /// already started (and the sooner an exit is seen, the likelier its pod needs one status write).
    func run<T: Sendable>(urgent: Bool = false, _ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            enqueue(urgent: urgent) { continuation.resume(returning: work()) }
        }
    }

    private func enqueue(urgent isUrgent: Bool, _ job: @escaping @Sendable () -> Void) {
        condition.lock()
        if isUrgent { urgent.append(job) } else { normal.append(job) }
        condition.signal()
        condition.unlock()
    }

    /// The threads live as long as the process (the agent runs until it exits).
    private func loop() {
        while true {
            condition.lock()
            while urgent.isEmpty && normal.isEmpty { condition.wait() }
            let job = urgent.popFirst() ?? normal.popFirst()
            condition.unlock()
            job?()
        }
    }
}

