import Foundation
import Model

/// A PodGroup's status from its members (pure): the counts and the phase of the coscheduling
/// API. Members are the pods labelled `scheduling.x-k8s.io/pod-group: <name>` in its namespace.
///
/// Phases: Pending until minMember members are bound; Scheduling once they are but fewer than
/// minMember run or succeeded; Running once minMember run or succeeded; Finished once minMember
/// succeeded and none runs; Failed when a member failed and fewer than minMember are left running,
/// succeeded or bound (the gang cannot go on as it is; a Job that replaces the pod brings it back
/// to Pending).
public enum PodGroupStatusPlan {
    public static func status(minMember: Int, pods: [PodView], existing: JSONValue?, now: Date) -> JSONValue {
        var running = 0, succeeded = 0, failed = 0, scheduled = 0
        for pod in pods {
            switch pod.phase {
            case "Running": running += 1
            case "Succeeded": succeeded += 1
            case "Failed": failed += 1
            default: break
            }
            if pod.nodeName != nil && pod.phase != "Failed" { scheduled += 1 }
        }
        let phase: String
        if succeeded >= minMember && running == 0 {
            phase = "Finished"
        } else if running + succeeded >= minMember {
            phase = "Running"
        } else if failed > 0 && scheduled < minMember {
            phase = "Failed"
        } else if scheduled >= minMember {
            phase = "Scheduling"
        } else {
            phase = "Pending"
        }
        var status = existing?.object.map(JSONValue.object) ?? .emptyObject
        status["phase"] = .string(phase)
        status["scheduled"] = .int(Int64(scheduled))
        status["running"] = .int(Int64(running))
        status["succeeded"] = .int(Int64(succeeded))
        status["failed"] = .int(Int64(failed))
        if status["scheduleStartTime"] == nil { status["scheduleStartTime"] = .string(Timestamp.format(now)) }
        return status
    }
}
