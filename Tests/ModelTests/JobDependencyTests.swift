import Foundation
import Model
import Testing

/// Jobs as dependencies see them, built from conditions and counters.
enum DependencyFixture {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    enum Shape { case held, suspended, pending, running, ranThenSuspended, complete, failed, failing }

    static func job(_ name: String, _ shape: Shape = .pending, dependsOn: String? = nil, generateName: String? = nil,
                    created: Date = t0, satisfied: String? = nil) -> JobView {
        var metadata: JSONValue = ["name": .string(name), "namespace": "default", "uid": .string("uid-\(name)"),
                                   "creationTimestamp": .string(Timestamp.format(created))]
        if let generateName { metadata["generateName"] = .string(generateName) }
        var annotations: [String: String] = [:]
        if let dependsOn { annotations[JobDependencies.annotation] = dependsOn }
        if shape == .held { annotations[JobDependencies.heldAnnotation] = "true" }
        if let satisfied { annotations[JobDependencies.satisfiedAnnotation] = satisfied }
        if !annotations.isEmpty { metadata["annotations"] = .stringMap(annotations) }
        let suspended = [Shape.held, .suspended, .ranThenSuspended].contains(shape)
        var status: JSONValue = [:]
        switch shape {
        case .running: status = ["active": 1, "startTime": .string(Timestamp.format(t0))]
        case .ranThenSuspended: status = ["succeeded": 1, "startTime": .string(Timestamp.format(t0))]
        case .complete: status = ["succeeded": 1, "conditions": [["type": "Complete", "status": "True"]]]
        case .failed: status = ["failed": 1, "conditions": [["type": "Failed", "status": "True"]]]
        case .failing: status = ["active": 1, "conditions": [["type": "FailureTarget", "status": "True"]]]
        default: break
        }
        return JobView(["apiVersion": "batch/v1", "kind": "Job", "metadata": metadata, "spec": ["suspend": .bool(suspended)],
                        "status": status])
    }
}

@Suite struct JobDependencyParsingTests {
    @Test(arguments: [
        ("afterok:prep", ["afterok:prep"]),
        ("afterok:a:b,afterany:c", ["afterok:a", "afterok:b", "afterany:c"]),
        (" after:x , afternotok:y ", ["after:x", "afternotok:y"]),
        ("singleton", ["singleton"]),
        ("afterok:a,afterok:a", ["afterok:a"]),
        ("", []),
        ("   ", []),
    ])
    func validListsParseIntoOneRequirementPerJob(text: String, expected: [String]) throws {
        #expect(try JobDependencies.parse(text).map(\.description) == expected)
    }

    @Test(arguments: [
        ("afterok", "afterok needs a job name: afterok:NAME[:NAME...]"),
        ("afterwards:x", "unknown dependency type \"afterwards\": use after, afterok, afternotok, afterany or singleton"),
        ("aftercorr:x", "unknown dependency type \"aftercorr\": use after, afterok, afternotok, afterany or singleton"),
        ("afterok:a,,afterany:b", "empty dependency: items are TYPE:JOB[:JOB...] separated by single commas"),
        ("afterok:a?afterok:b", "'?' (any one of several) is not supported; dependencies are separated by ',' and all must hold"),
        ("afterok:a:", "empty job name in \"afterok:a:\""),
        ("singleton:x", "singleton takes no job name: it waits for the earlier jobs of its own generateName"),
        ("after:prep+10", "\"after:prep+10\": a delay (+minutes) is not supported"),
    ])
    func badSyntaxSaysWhatIsWrong(text: String, message: String) {
        #expect(throws: DependencySyntaxError(message)) { try JobDependencies.parse(text) }
    }

    @Test func jobNamesFollowTheObjectNameRule() {
        #expect(throws: DependencySyntaxError.self) { try JobDependencies.parse("afterok:Prep") }
    }

    @Test func theCanonicalTextRoundTrips() throws {
        let parsed = try JobDependencies.parse("afterok:a:b,singleton")
        #expect(JobDependencies.text(parsed) == "afterok:a,afterok:b,singleton")
        #expect(try JobDependencies.parse(JobDependencies.text(parsed)) == parsed)
    }
}

@Suite struct JobDependencyVerdictTests {
    typealias Shape = DependencyFixture.Shape
    static let ok = DependencyVerdict.satisfied, waiting = DependencyVerdict.waiting

    /// Every type against every state of the Job it names (nil: deleted).
    @Test(arguments: [
        (JobDependency.Kind.after, Shape?.some(.held), waiting), (.after, .pending, waiting), (.after, .suspended, waiting),
        (.after, .running, ok), (.after, .ranThenSuspended, ok), (.after, .complete, ok), (.after, .failed, ok), (.after, nil, ok),
        (.afterok, .pending, waiting), (.afterok, .running, waiting), (.afterok, .failing, waiting), (.afterok, .complete, ok),
        (.afterok, .failed, .never("prep failed")), (.afterok, nil, .never("prep was deleted before it completed")),
        (.afternotok, .running, waiting), (.afternotok, .failed, ok), (.afternotok, .complete, .never("prep completed")),
        (.afternotok, nil, .never("prep was deleted before it failed")),
        (.afterany, .held, waiting), (.afterany, .running, waiting), (.afterany, .complete, ok), (.afterany, .failed, ok),
        (.afterany, nil, ok),
    ] as [(JobDependency.Kind, Shape?, DependencyVerdict)])
    func eachTypeAgainstEachUpstreamState(kind: JobDependency.Kind, upstream: Shape?, expected: DependencyVerdict) {
        let target = upstream.map { DependencyFixture.job("prep", $0) }
        #expect(JobDependency(kind, "prep").verdict(upstream: target) == expected)
    }

    @Test(arguments: [
        (Shape.held, JobDependencyState.waiting), (.suspended, .suspended), (.pending, .pending), (.running, .running),
        (.ranThenSuspended, .suspended), (.complete, .complete), (.failed, .failed), (.failing, .running),
    ])
    func statesAreOneWordEach(shape: Shape, state: JobDependencyState) {
        #expect(DependencyFixture.job("x", shape).dependencyState == state)
    }
}

@Suite struct DependencyEvaluationTests {
    typealias F = DependencyFixture

    func evaluate(_ job: JobView, _ others: [JobView]) -> [DependencyStatus] {
        DependencyEvaluation.evaluate(job, upstream: { name in others.first { $0.name == name } }, group: others)
    }

    @Test func allRequirementsAreAndedAndTheMessageNamesWhatWaits() {
        let job = F.job("c", .held, dependsOn: "afterok:a,afterany:b")
        let statuses = evaluate(job, [F.job("a", .complete), F.job("b", .running)])
        let outcome = DependencyEvaluation.outcome(statuses)
        #expect(outcome == .waiting([DependencyStatus(dependency: JobDependency(.afterany, "b"), state: .running, verdict: .waiting)]))
        #expect(DependencyEvaluation.message(outcome, all: statuses) == "waiting for afterany:b (Running)")
    }

    @Test func neverWinsOverWaiting() {
        let job = F.job("c", .held, dependsOn: "afterok:a,afterok:b")
        let statuses = evaluate(job, [F.job("a", .failed), F.job("b", .running)])
        let outcome = DependencyEvaluation.outcome(statuses)
        guard case .never(let never) = outcome else { Issue.record("expected never, got \(outcome)"); return }
        #expect(never.map(\.dependency.description) == ["afterok:a"])
        #expect(DependencyEvaluation.message(outcome, all: statuses) == "afterok:a can never be satisfied: a failed")
    }

    @Test func satisfiedListsEveryRequirementWithItsState() {
        let job = F.job("c", .held, dependsOn: "afterok:a,afterany:b")
        let statuses = evaluate(job, [F.job("a", .complete), F.job("b", .failed)])
        #expect(DependencyEvaluation.outcome(statuses) == .satisfied)
        #expect(DependencyEvaluation.message(.satisfied, all: statuses) == "afterok:a (Complete), afterany:b (Failed)")
    }

    @Test func aRecordedRequirementStaysSatisfiedAfterItsJobIsGone() {
        let job = F.job("c", .held, dependsOn: "afterok:a,afterok:b", satisfied: "afterok:a")
        let outcome = DependencyEvaluation.outcome(evaluate(job, [F.job("b", .running)]))
        #expect(outcome == .waiting([DependencyStatus(dependency: JobDependency(.afterok, "b"), state: .running, verdict: .waiting)]))
    }

    @Test func chainsAreJudgedOneLinkAtATime() {
        // a → b (afterok) → c (afterany): c waits while b waits on a, and runs once b failed.
        let b = F.job("b", .held, dependsOn: "afterok:a")
        let c = F.job("c", .held, dependsOn: "afterany:b")
        #expect(DependencyEvaluation.outcome(evaluate(c, [F.job("a", .running), b])) != .satisfied)
        #expect(DependencyEvaluation.outcome(evaluate(b, [F.job("a", .failed)])) != .satisfied)
        #expect(DependencyEvaluation.outcome(evaluate(c, [F.job("b", .failed, dependsOn: "afterok:a")])) == .satisfied)
    }

    @Test func singletonWaitsForEveryEarlierUnfinishedJobOfItsGroup() {
        let t = F.t0
        let first = F.job("sweep-aaaaa", .running, generateName: "sweep-", created: t)
        let done = F.job("sweep-bbbbb", .complete, generateName: "sweep-", created: t)
        let me = F.job("sweep-ccccc", .held, dependsOn: "singleton", generateName: "sweep-", created: t.addingTimeInterval(5))
        let later = F.job("sweep-ddddd", .running, generateName: "sweep-", created: t.addingTimeInterval(9))
        let stranger = F.job("other-eeeee", .running, generateName: "other-", created: t)
        let statuses = evaluate(me, [first, done, me, later, stranger])
        #expect(statuses.map(\.summary) == ["singleton (sweep-aaaaa Running)"])
        #expect(DependencyEvaluation.outcome(statuses) != .satisfied)
        let afterFirst = evaluate(me, [F.job("sweep-aaaaa", .failed, generateName: "sweep-", created: t), done, me, later])
        #expect(DependencyEvaluation.outcome(afterFirst) == .satisfied)
    }

    @Test func singletonTiesInTheSameSecondGoByName() {
        let a = F.job("sweep-aaaaa", .held, dependsOn: "singleton", generateName: "sweep-")
        let b = F.job("sweep-bbbbb", .held, dependsOn: "singleton", generateName: "sweep-")
        #expect(DependencyEvaluation.outcome(evaluate(a, [a, b])) == .satisfied)
        #expect(evaluate(b, [a, b]).map(\.summary) == ["singleton (sweep-aaaaa Waiting)"])
    }
}

@Suite struct DependencyGraphTests {
    /// The stored Jobs' dependencies, by name.
    static func graph(_ edges: [String: [String]]) -> (String) -> [String]? { { edges[$0] } }

    @Test(arguments: [
        // (new job, its dependencies, stored graph, expected cycle)
        ("a", ["b"], ["b": ["a"]], ["a", "b", "a"]),
        ("a", ["a"], [:], ["a", "a"]),
        ("a", ["b"], ["b": ["c"], "c": ["d"], "d": ["a"]], ["a", "b", "c", "d", "a"]),
        ("a", ["b", "x"], ["b": ["c"], "c": ["a"], "x": ["a"]], ["a", "x", "a"]),
        ("a", ["b"], ["b": ["c"], "c": []], nil),
        ("a", ["b", "c"], ["b": ["d"], "c": ["d"], "d": []], nil),
        ("a", ["b"], ["b": ["c"], "c": ["b"]], nil),
    ] as [(String, [String], [String: [String]], [String]?)])
    func cyclesThroughTheNewJobAreFoundShortestFirst(start: String, first: [String], edges: [String: [String]], expected: [String]?) {
        #expect(DependencyGraph.cycle(from: start, through: first, dependencies: Self.graph(edges)) == expected)
    }

    @Test func theSearchStopsAtItsLimit() {
        var edges: [String: [String]] = [:]
        for i in 0..<50 { edges["j\(i)"] = ["j\(i + 1)"] }
        edges["j50"] = ["a"]
        #expect(DependencyGraph.cycle(from: "a", through: ["j0"], dependencies: Self.graph(edges), limit: 10) == nil)
        #expect(DependencyGraph.cycle(from: "a", through: ["j0"], dependencies: Self.graph(edges))?.count == 53)
    }
}
