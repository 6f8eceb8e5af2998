/// One accepted TCP connection as `ConnectionTracker` sees it, from libmicrohttpd's
/// connection-started notification until its connection-closed one. Every field belongs to the
/// tracker's lock.
final class TrackedConnection {
    enum Phase {
        /// Accepted, or a keep-alive connection whose next request line is in: its headers are due by
        /// `since` + the header timeout.
        case awaitingHeaders
        /// Headers in: reading the body, with a handler, answering, or streaming. Never timed out here.
        case busy
        /// A keep-alive connection between requests since `since`.
        case idle
        /// Shut down by the tracker (timed out, closed to make room, refused); libmicrohttpd has yet to
        /// notice and close it.
        case closing
        /// libmicrohttpd closed it; its descriptor may already belong to someone else.
        case closed
    }

    /// The socket. Only ever shut down (never closed) by the tracker, and only before `closed`.
    let socket: Int32
    let address: ClientAddress
    var phase = Phase.awaitingHeaders
    /// When the phase began (monotonic nanoseconds).
    var since: UInt64

    // Links of the `ConnectionQueue` the phase puts it in (awaiting headers, or idle).
    var next: TrackedConnection?
    weak var previous: TrackedConnection?

    init(socket: Int32, address: ClientAddress, since: UInt64) {
        self.socket = socket
        self.address = address
        self.since = since
    }
}

/// Connections in the order they entered a phase, oldest first: a doubly linked list through the
/// connections themselves, so entering, leaving and finding the oldest are O(1). Since every entry
/// in one queue has the same timeout, the oldest is also the first to expire.
struct ConnectionQueue {
    private(set) var first: TrackedConnection?
    private weak var last: TrackedConnection?
    private(set) var count = 0

    mutating func append(_ connection: TrackedConnection) {
        connection.previous = last
        connection.next = nil
        if let last {
            last.next = connection
        } else {
            first = connection
        }
        last = connection
        count += 1
    }

    /// `connection` must be in this queue.
    mutating func remove(_ connection: TrackedConnection) {
        let next = connection.next
        let previous = connection.previous
        if let previous {
            previous.next = next
        } else {
            first = next
        }
        if let next {
            next.previous = previous
        } else {
            last = previous
        }
        connection.next = nil
        connection.previous = nil
        count -= 1
    }
}
