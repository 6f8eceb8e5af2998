import CMicroHTTPD

/// Starting the libmicrohttpd daemon: epoll with an internal thread pool, suspend/resume, our callbacks.
enum DaemonOptions {
    /// Starts listening on `address` (whose port is `port`); nil when libmicrohttpd fails (the logger has said why).
    /// With `tls` (PEM certificate and key as C strings that outlive the daemon) it serves HTTPS.
    /// Every connection keeps libmicrohttpd's default timeout (`inactivitySeconds`, suspended connections
    /// never time out): one of its own would put it on a list the epoll loop walks in full on every
    /// iteration. Header and idle deadlines, the per-address limit and making room at the total are
    /// `ConnectionTracker`'s, through the accept policy and the connection notifications.
    static func start(address: UnsafeMutableRawPointer, port: UInt16, isIPv6: Bool, ioThreads: Int,
                      tls: (certificate: UnsafeMutablePointer<CChar>, key: UnsafeMutablePointer<CChar>)?,
                      connectionLimit: Int, inactivitySeconds: Int,
                      context: UnsafeMutableRawPointer) -> OpaquePointer? {
        var flags = MHD_USE_EPOLL_INTERNAL_THREAD.rawValue | MHD_ALLOW_SUSPEND_RESUME.rawValue
            | MHD_USE_ITC.rawValue | MHD_USE_ERROR_LOG.rawValue
        if isIPv6 {
            flags |= MHD_USE_IPv6.rawValue
        }
        // The logger goes first so that libmicrohttpd routes messages about later options through it.
        var options = [
            MHD_OptionItem(option: .EXTERNAL_LOGGER, value: unsafeBitCast(daemonLogger, to: Int.self),
                           ptr_value: context),
            MHD_OptionItem(option: .SOCK_ADDR, value: 0, ptr_value: address),
            MHD_OptionItem(option: .CONNECTION_TIMEOUT, value: inactivitySeconds, ptr_value: nil),
            MHD_OptionItem(option: .CONNECTION_LIMIT, value: connectionLimit, ptr_value: nil),
            MHD_OptionItem(option: .NOTIFY_CONNECTION, value: unsafeBitCast(connectionNotified, to: Int.self),
                           ptr_value: context),
            MHD_OptionItem(option: .URI_LOG_CALLBACK, value: unsafeBitCast(beginRequest, to: Int.self),
                           ptr_value: context),
            MHD_OptionItem(option: .NOTIFY_COMPLETED, value: unsafeBitCast(requestCompleted, to: Int.self),
                           ptr_value: context),
        ]
        if let tls {
            flags |= MHD_USE_TLS.rawValue
            options.append(MHD_OptionItem(option: .HTTPS_MEM_CERT, value: 0, ptr_value: UnsafeMutableRawPointer(tls.certificate)))
            options.append(MHD_OptionItem(option: .HTTPS_MEM_KEY, value: 0, ptr_value: UnsafeMutableRawPointer(tls.key)))
        }
        if ioThreads > 1 {
            // With one thread libmicrohttpd wants no pool at all (it warns about a pool of 1).
            options.append(MHD_OptionItem(option: .THREAD_POOL_SIZE, value: ioThreads, ptr_value: nil))
        }
        options.append(MHD_OptionItem(option: .END, value: 0, ptr_value: nil))
        return options.withUnsafeMutableBufferPointer { items in
            withVaList([MHD_OPTION.ARRAY.rawValue, items.baseAddress!, MHD_OPTION.END.rawValue]) { arguments in
                // The port is taken from the address; this one only appears in libmicrohttpd's messages.
                MHD_start_daemon_va(UInt32(flags), port, acceptPolicy, context, accessHandler, context, arguments)
            }
        }
    }
}
