import CLI
import Client
import Foundation
import Model
import TestSupport

/// Captures what a command writes.
final class CapturedOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var outText = ""
    private var errText = ""

    var out: String { lock.withLock { outText } }
    var err: String { lock.withLock { errText } }

    func context(client: FakeAPIClient, files: [String: String] = [:], now: Date = Date()) -> CommandContext {
        CommandContext(
            out: { text in self.lock.withLock { self.outText += text } },
            err: { text in self.lock.withLock { self.errText += text } },
            readFile: { path in
                guard let text = files[path] else { throw CocoaError(.fileNoSuchFile) }
                return Array(text.utf8)
            },
            now: { now },
            makeClient: { _ in client })
    }
}

/// Runs `drover ARGS` against `client`; returns the exit status and the output.
func runCLI(_ arguments: [String], client: FakeAPIClient = FakeAPIClient(), files: [String: String] = [:],
            now: Date = Date()) async -> (status: Int32, out: String, err: String) {
    let output = CapturedOutput()
    let status = await DroverCLI.run(arguments, context: output.context(client: client, files: files, now: now))
    return (status, output.out, output.err)
}

/// A Job manifest as JSON.
func jobJSON(_ name: String, namespace: String? = nil, labels: [String: String] = [:]) -> JSONValue {
    var metadata: JSONValue = ["name": .string(name)]
    if let namespace { metadata["namespace"] = .string(namespace) }
    if !labels.isEmpty { metadata["labels"] = JSONValue.stringMap(labels) }
    return ["apiVersion": "batch/v1", "kind": "Job", "metadata": metadata,
            "spec": ["template": ["spec": ["containers": [["name": "main", "command": ["true"]]], "restartPolicy": "Never"]]]]
}
