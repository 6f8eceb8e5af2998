extension StatusError {
    /// 422 for a well-formed patch that cannot be applied to this object, as upstream answers a
    /// failed JSON patch operation: reason `Invalid`, the explanation in the message and in one cause.
    static func unprocessablePatch(_ message: String) -> StatusError {
        StatusError(code: 422, reason: "Invalid",
                    message: "the server rejected our request due to an error in our request: \(message)",
                    causes: [StatusCause(reason: "UnexpectedServerResponse", message: message, field: "")])
    }
}
