import Foundation

/// Settings every Drover session runs with, added to the conninfo so they survive reconnects.
///
/// `jit=off`: PostgreSQL compiles a query with LLVM once its estimated cost passes
/// `jit_above_cost`, and a store's short, repeated statements only ever pay for that. Measured
/// under the scheduler benchmark: LLVM took 15% of all CPU on the machine before this.
enum SessionSettings {
    static let options = "-c jit=off"

    /// `conninfo` (a `key=value` string or a `postgresql://` URL) with `options` added, unless it
    /// already sets options of its own, which then win.
    static func apply(to conninfo: String) -> String {
        guard !conninfo.contains("options=") else { return conninfo }
        if conninfo.hasPrefix("postgresql://") || conninfo.hasPrefix("postgres://") {
            let separator = conninfo.contains("?") ? "&" : "?"
            let encoded = options.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-"])) ?? options
            return conninfo + separator + "options=" + encoded
        }
        return conninfo + (conninfo.isEmpty ? "" : " ") + "options='\(options)'"
    }
}
