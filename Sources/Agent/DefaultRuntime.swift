import Foundation

/// The runtime and probe executor are not wired yet: the real ones (LinuxProcessRuntime,
/// ProbeRunner) are written in parallel.
public struct RuntimeUnavailable: Error, CustomStringConvertible {
    public var description: String
}

/// The process runtime `drover agent` uses, keeping its state (adoption records) in `stateDirectory`.
/// TODO(merge): return `LinuxProcessRuntime(stateDirectory:)` once it is merged.
public func makeDefaultRuntime(stateDirectory: String) throws -> any ProcessRuntime {
    throw RuntimeUnavailable(description: "no process runtime is built into this drover yet (state directory \(stateDirectory))")
}

/// The probe executor `drover agent` uses. TODO(merge): return the runtime's ProbeRunner.
public func makeDefaultProbeExecutor(runtime: any ProcessRuntime) throws -> any ProbeExecutor {
    throw RuntimeUnavailable(description: "no probe executor is built into this drover yet")
}
