import ControllerRuntime
import Model

/// The runtime's EventRecorder records the controllers' Events.
extension EventRecorder: EventRecording {
    public func record(_ involved: JSONValue, type: String, reason: String, message: String) {
        record(involved, type: type == "Warning" ? EventType.warning : .normal, reason: reason, message: message)
    }
}
