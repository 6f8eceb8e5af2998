import Foundation
import Model

/// The dependency chain of a Job in `describe job`: what it waits for (`Depends On:`, each
/// requirement with the named Job's state and the verdict) and what waits for it (`Dependents:`,
/// the Jobs naming it and the later singleton Jobs of its group). Written only for Jobs that have
/// either, so ordinary Jobs read as kubectl prints them.
enum DependencySection {
    static func write(_ job: JobView, namespaceJobs: [JSONValue], to w: inout DescribeWriter) {
        let others = namespaceJobs.map(JobView.init).filter { $0.namespace == job.namespace }
        let upstream = upstreamRows(job, jobs: others)
        let downstream = downstreamRows(job, jobs: others)
        if let error = job.dependencySyntaxError {
            w.line(0, "Depends On:", "\(job.dependencyText ?? "") (invalid: \(error.message))")
        } else if !upstream.isEmpty {
            w.line(0, "Depends On:")
            w.table(1, header: ["Requirement", "State", "Verdict"], rows: upstream)
        }
        if !downstream.isEmpty {
            w.line(0, "Dependents:")
            w.table(1, header: ["Job", "Requires", "State"], rows: downstream)
        }
    }

    /// One row per requirement: `afterok:prep  Complete  satisfied`.
    static func upstreamRows(_ job: JobView, jobs: [JobView]) -> [[String]] {
        let byName = Dictionary(jobs.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let group = job.dependencyGroup.map { name in jobs.filter { $0.dependencyGroup == name } } ?? []
        return DependencyEvaluation.evaluate(job, upstream: { byName[$0] }, group: group).map { status in
            let state: String
            if let named = status.state {
                state = named.rawValue
            } else {
                state = status.blockers.isEmpty ? "-" : status.blockers.map { "\($0.name) \($0.state.rawValue)" }.joined(separator: ", ")
            }
            return [status.dependency.description, state, verdict(status.verdict)]
        }
    }

    /// One row per Job that waits for this one: `report  afterok:hello  Waiting`.
    static func downstreamRows(_ job: JobView, jobs: [JobView]) -> [[String]] {
        var rows: [[String]] = []
        for other in jobs.sorted(by: { $0.name < $1.name }) where other.name != job.name {
            for dependency in other.dependencies {
                let waitsForThis = dependency.job == job.name
                    || (dependency.kind == .singleton && other.dependencyGroup != nil
                        && other.dependencyGroup == job.dependencyGroup && job.createdBefore(other))
                if waitsForThis { rows.append([other.name, dependency.description, other.dependencyState.rawValue]) }
            }
        }
        return rows
    }

    static func verdict(_ verdict: DependencyVerdict) -> String {
        switch verdict {
        case .satisfied: return "satisfied"
        case .waiting: return "waiting"
        case .never(let why): return "never: \(why)"
        }
    }
}
