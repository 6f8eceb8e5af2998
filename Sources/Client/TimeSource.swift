import Foundation

/// Where a control loop gets the time and sleeps, so tests can drive back-off and timeouts with a
/// manual clock instead of waiting.
public protocol TimeSource: Sendable {
    /// The current time.
    var now: Date { get }
    /// Suspends for `seconds` (throws `CancellationError` when the task is cancelled).
    func sleep(seconds: Double) async throws
}

/// The real clock.
public struct SystemTimeSource: TimeSource {
    public init() {}

    public var now: Date { Date() }

    public func sleep(seconds: Double) async throws {
        try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
    }
}
