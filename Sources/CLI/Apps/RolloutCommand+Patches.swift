import Client
import Foundation
import Model

/// `rollout pause`, `resume` and `restart`: one merge patch each, decided by `RolloutPatch` from
/// the Deployment as it is now (kubectl's ObjectPauser, ObjectResumer and ObjectRestarter).
extension RolloutCommand {
    func patch(_ client: any APIClient, _ context: CommandContext) async throws -> Int32 {
        // A DaemonSet has no pause; its restart is the same template annotation (nothing to refuse).
        let deployment = DeploymentView(try await client.get(resource, namespace: namespace, name: objectName))
        let change: (patch: JSONValue, done: String)
        switch RolloutPatch.make(action, for: deployment, now: context.now()) {
        case .success(let value): change = value
        case .failure(let refusal): throw CLIError("\(quotedName) \(refusal.reason)")
        }
        do {
            _ = try await client.patch(resource, namespace: namespace, name: objectName, type: .merge, body: change.patch)
        } catch let error as StatusError {
            throw CLIError("failed to patch: \(ErrorReport.serverError(error))")
        }
        context.print("\(displayName) \(change.done)")
        return 0
    }
}

/// The patches of pause, resume and restart (pure).
enum RolloutPatch {
    /// Why kubectl refuses: `is already paused`, `is not paused`, `can't restart paused deployment …`.
    struct Refusal: Error, Equatable {
        var reason: String
    }

    /// The restart annotation kubectl puts on the pod template; a new value is a new template, so a rollout.
    static let restartedAtAnnotation = "kubectl.kubernetes.io/restartedAt"

    /// The merge patch and the word printed after the name.
    static func make(_ action: RolloutCommand.Action, for deployment: DeploymentView, now: Date) -> Result<(patch: JSONValue, done: String), Refusal> {
        switch action {
        case .pause:
            if deployment.paused { return .failure(Refusal(reason: "is already paused")) }
            return .success((["spec": ["paused": true]], "paused"))
        case .resume:
            if !deployment.paused { return .failure(Refusal(reason: "is not paused")) }
            // false is written as a removal, as kubectl's computed patch does (the field is omitempty).
            return .success((["spec": ["paused": .null]], "resumed"))
        case .restart:
            if deployment.paused { return .failure(Refusal(reason: "can't restart paused deployment (run rollout resume first)")) }
            let annotations: JSONValue = [restartedAtAnnotation: .string(Timestamp.format(now))]
            return .success((["spec": ["template": ["metadata": ["annotations": annotations]]]], "restarted"))
        case .status, .history, .undo:
            return .failure(Refusal(reason: "has no patch for rollout \(action.rawValue)"))
        }
    }
}
