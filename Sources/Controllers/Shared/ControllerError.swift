/// A sync that could not finish for a reason of the controller's own (not an API error): the
/// work queue retries the key with back-off, and the message says why.
struct ControllerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
