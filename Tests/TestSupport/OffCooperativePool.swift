import Foundation

/// Runs `body` with its task's jobs on a thread of its own (SE-0417 task executor preference), so
/// the synchronous waits inside it — child processes, polling sleeps, a server starting — block that
/// thread instead of one of Swift's cooperative threads. On two cores the end-to-end tests' waits
/// otherwise stalled every other test's tasks for up to 40 s. Task-locals stay, so `#expect` inside
/// `body` still belongs to the running test.
public func offCooperativePool<T>(_ body: () async throws -> T) async throws -> T {
    let executor = DedicatedThreadExecutor()
    defer { executor.shutdown() }
    return try await withTaskExecutorPreference(executor) { try await body() }
}

/// A task executor with one thread that runs the jobs given to it in order.
final class DedicatedThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopping = false

    init() {
        let thread = Thread { [self] in run() }
        thread.name = "test-blocking"
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.withLock {
            jobs.append(job)
            condition.signal()
        }
    }

    /// Lets the thread end once the jobs queued so far have run.
    func shutdown() {
        condition.withLock {
            stopping = true
            condition.signal()
        }
    }

    private func run() {
        while true {
            let next = condition.withLock { () -> UnownedJob? in
                while jobs.isEmpty && !stopping { condition.wait() }
                return jobs.isEmpty ? nil : jobs.removeFirst()
            }
            guard let next else { return }
            next.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
