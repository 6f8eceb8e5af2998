import Model

/// Where the Job controller records Events about a Job (`type` is `Normal` or `Warning`).
/// ControllerRuntime's EventRecorder is the real one; tests use a recording fake.
public protocol JobEventRecording: Sendable {
    func record(_ involved: JSONValue, type: String, reason: String, message: String)
}
