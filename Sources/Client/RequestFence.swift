import Foundation

/// What stops a client's writes once the authority it wrote under is gone: a leader's term, say
/// (ControllerRuntime's `LeaderTerm`). The client asks before every request that is not a read,
/// and sends the fence's headers on every request so the server can check the same authority.
public protocol RequestFence: Sendable {
    /// Headers added to every request.
    var headers: [(String, String)] { get }
    /// Throws (a `ClientError.fenced`) when a request with `method` must not be sent.
    func check(method: String) throws(ClientError)
}
