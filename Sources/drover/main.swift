import CLI
import Foundation

// The executable only dispatches: `up` and `server` wire the control plane together, `agent` runs
// a worker, every other verb is a client command.
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "server":
    exit(ServerCommand.main(Array(arguments.dropFirst())))
case "up":
    exit(UpCommand.main(Array(arguments.dropFirst())))
case "agent":
    exit(await AgentCommand.main(Array(arguments.dropFirst())))
default:
    exit(await DroverCLI.run(arguments))
}
