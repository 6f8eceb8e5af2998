import Model

/// Where a controller records Events about the objects it manages (`type` is `Normal` or `Warning`).
/// ControllerRuntime's EventRecorder is the real one; tests use a recording fake.
public protocol EventRecording: Sendable {
    func record(_ involved: JSONValue, type: String, reason: String, message: String)
}
