import Foundation

/// The network probes over plain sockets with one deadline for connect, send and receive.
enum ProbeConnection {
    static func tcpConnect(host: String, port: Int, deadline: Date) -> ProbeResult {
        switch connect(host: host, port: port, deadline: deadline) {
        case .success(let fd):
            close(fd)
            return ProbeResult(success: true, message: "")
        case .failure(let error):
            return ProbeResult(success: false, message: "dial tcp \(hostPort(host, port)): \(error.message)")
        }
    }

    /// One HTTP/1.1 GET with `Connection: close`; only the status line is needed.
    static func httpGet(host: String, port: Int, path: String, scheme: String, headers: [String: String],
                        deadline: Date) -> ProbeResult {
        let target = path.hasPrefix("/") ? path : "/" + path
        let url = "\(scheme.lowercased())://\(hostPort(host, port))\(target)"
        guard scheme.uppercased() == "HTTP" else {
            return ProbeResult(success: false, message: "Get \"\(url)\": scheme \(scheme) is not supported by this agent's probes")
        }
        let fd: Int32
        switch connect(host: host, port: port, deadline: deadline) {
        case .success(let connected): fd = connected
        case .failure(let error):
            return ProbeResult(success: false, message: "Get \"\(url)\": dial tcp \(hostPort(host, port)): \(error.message)")
        }
        defer { close(fd) }
        var request = "GET \(target) HTTP/1.1\r\nHost: \(hostPort(host, port))\r\nUser-Agent: kube-probe/1.30\r\nAccept: */*\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { request += "\(name): \(value)\r\n" }
        request += "Connection: close\r\n\r\n"
        let bytes = Array(request.utf8)
        guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else {
            return ProbeResult(success: false, message: "Get \"\(url)\": write: \(PosixSpawner.errnoText(errno))")
        }
        var response = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 1024)
        while !response.contains(UInt8(ascii: "\n")) {
            guard wait(fd, for: Int16(POLLIN), until: deadline) else {
                return ProbeResult(success: false, message: "Get \"\(url)\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)")
            }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return ProbeResult(success: false, message: "Get \"\(url)\": EOF before the status line") }
            response.append(contentsOf: buffer[0..<count])
        }
        let statusLine = String(decoding: response.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let code = Int(parts[1]) else {
            return ProbeResult(success: false, message: "Get \"\(url)\": malformed HTTP response \"\(statusLine)\"")
        }
        if (200..<400).contains(code) { return ProbeResult(success: true, message: "") }
        return ProbeResult(success: false, message: "HTTP probe failed with statuscode: \(code)")
    }

    private static func hostPort(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    struct Failure: Error { var message: String }

    /// Resolves `host` and connects (non-blocking, bounded by `deadline`) to the first address that answers.
    private static func connect(host: String, port: Int, deadline: Date) -> Result<Int32, Failure> {
        guard (1...65535).contains(port) else { return .failure(Failure(message: "invalid port \(port)")) }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let lookup = getaddrinfo(host, String(port), &hints, &list)
        guard lookup == 0, let first = list else {
            return .failure(Failure(message: "lookup \(host): \(String(cString: gai_strerror(lookup)))"))
        }
        defer { freeaddrinfo(list) }
        var lastError = "connect: no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue),
                            info.pointee.ai_protocol)
            guard fd >= 0 else { lastError = "socket: \(PosixSpawner.errnoText(errno))"; continue }
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return .success(fd) }
            guard errno == EINPROGRESS else {
                lastError = "connect: \(PosixSpawner.errnoText(errno))"
                close(fd)
                continue
            }
            guard wait(fd, for: Int16(POLLOUT), until: deadline) else {
                close(fd)
                return .failure(Failure(message: "i/o timeout"))
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            if error == 0 { return .success(fd) }
            lastError = "connect: \(PosixSpawner.errnoText(error))"
            close(fd)
        }
        return .failure(Failure(message: lastError))
    }

    /// Polls until `fd` is ready for `events` or the deadline passes.
    private static func wait(_ fd: Int32, for events: Int16, until deadline: Date) -> Bool {
        while true {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return false }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(min(remaining * 1000 + 1, 60_000)))
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return false }
        }
    }
}
