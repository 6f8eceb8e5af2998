import Foundation
import Model

/// The process runtime `drover agent` uses: real processes under cgroups, keeping its adoption
/// records in `stateDirectory`.
public func makeDefaultRuntime(stateDirectory: String) throws -> any ProcessRuntime {
    try LinuxProcessRuntime(stateDirectory: stateDirectory)
}

/// The probe executor `drover agent` uses: `ProbeRunner` with each probe read from the pod spec.
public func makeDefaultProbeExecutor(runtime: any ProcessRuntime) throws -> any ProbeExecutor {
    RunnerProbeExecutor()
}

/// Adapts the pod spec's probe (`exec`, `httpGet`, `tcpSocket`) to `ProbeRunner`.
struct RunnerProbeExecutor: ProbeExecutor {
    let runner = ProbeRunner()

    func run(_ request: ProbeRequest) async -> ProbeOutcome {
        guard let action = Self.action(request.probe, host: request.host) else {
            return ProbeOutcome(success: false, message: "the probe has no exec, httpGet or tcpSocket handler this agent supports")
        }
        let result = await runner.run(action, timeout: request.timeout, environment: request.process.environment,
                                      workingDirectory: request.process.workingDirectory, mounts: request.process.mounts)
        return ProbeOutcome(success: result.success, message: result.message)
    }

    /// The runnable action of a probe spec; named ports are not resolved (nil).
    static func action(_ probe: JSONValue, host: String) -> ProbeAction? {
        if let command = probe.value(at: ["exec", "command"])?.array {
            return .exec(command: command.compactMap(\.string))
        }
        if let http = probe["httpGet"], let port = http["port"]?.int {
            var headers: [String: String] = [:]
            for header in http["httpHeaders"]?.array ?? [] {
                if let name = header["name"]?.string { headers[name] = header["value"]?.string ?? "" }
            }
            return .httpGet(host: http["host"]?.string ?? host, port: Int(port), path: http["path"]?.string ?? "/",
                            scheme: http["scheme"]?.string ?? "HTTP", headers: headers)
        }
        if let tcp = probe["tcpSocket"], let port = tcp["port"]?.int {
            return .tcpSocket(host: tcp["host"]?.string ?? host, port: Int(port))
        }
        return nil
    }
}
