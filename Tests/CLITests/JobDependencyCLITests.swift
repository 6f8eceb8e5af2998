@testable import CLI
import Client
import Foundation
import Model
import TestSupport
import Testing

@Suite struct DependencyFlagTests {
    @Test(arguments: [
        (["ok:prep,any:cleanup"], "afterok:prep,afterany:cleanup"),
        (["afterok:prep", "notok:a:b"], "afterok:prep,afternotok:a,afternotok:b"),
        (["after:warmup,singleton"], "after:warmup,singleton"),
    ])
    func shortAndLongFormsBecomeTheAnnotation(values: [String], annotation: String) throws {
        #expect(try DependencyFlag.annotation(values) == annotation)
    }

    @Test func noFlagMeansNoAnnotation() throws {
        #expect(try DependencyFlag.annotation([]) == nil)
    }

    @Test func aBadListIsAUsageErrorWithAnExample() {
        #expect(throws: UsageError("invalid --after \"okay:prep\": unknown dependency type \"okay\": use after, afterok, afternotok, "
                                   + "afterany or singleton (e.g. --after ok:prep,any:cleanup; types: after, ok, notok, any, singleton)")) {
            try DependencyFlag.annotation(["okay:prep"])
        }
    }
}

@Suite struct JobDependencyCLITests {
    @Test func submitAfterSetsTheAnnotation() async throws {
        let client = FakeAPIClient()
        let result = await runCLI(["submit", "train", "--after", "ok:prep,any:cleanup", "--", "true"], client: client)
        #expect(result.status == 0, "\(result.err)")
        let job = try #require(client.object(ResourceCatalog.jobs, namespace: "default", name: "train"))
        #expect(JobView(job).dependencyText == "afterok:prep,afterany:cleanup")
    }

    @Test func submitAfterAppliesToAManifestToo() async throws {
        let client = FakeAPIClient()
        let manifest = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: fromfile\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        command: [\"true\"]\n"
        let result = await runCLI(["submit", "-f", "job.yaml", "--after", "any:prep"], client: client, files: ["job.yaml": manifest])
        #expect(result.status == 0, "\(result.err)")
        #expect(JobView(client.object(ResourceCatalog.jobs, namespace: "default", name: "fromfile") ?? .null).dependencyText == "afterany:prep")
    }

    @Test func submitWithABadListCreatesNothing() async throws {
        let client = FakeAPIClient()
        let result = await runCLI(["submit", "train", "--after", "ok", "--", "true"], client: client)
        #expect(result.status == 2)
        #expect(result.err.contains("invalid --after \"ok\": afterok needs a job name"), "\(result.err)")
        #expect(try await client.list(ResourceCatalog.jobs, namespace: nil).items.isEmpty)
    }

    static func job(_ name: String, dependsOn: String? = nil, status: JSONValue = [:], suspend: Bool = false) -> JSONValue {
        var job = jobJSON(name)
        job.setValue(.bool(suspend), at: ["spec", "suspend"])
        job["status"] = status
        if let dependsOn {
            job.setValue(.stringMap([JobDependencies.annotation: dependsOn, JobDependencies.heldAnnotation: "true"]), at: ["metadata", "annotations"])
        }
        return job
    }

    @Test func describeShowsWhatAJobWaitsForAndWhatWaitsForIt() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.jobs,
                        Self.job("prep", status: ["succeeded": 1, "conditions": [["type": "Complete", "status": "True"]]]),
                        Self.job("clean", status: ["active": 1]),
                        Self.job("train", dependsOn: "afterok:prep,afterany:clean", suspend: true),
                        Self.job("report", dependsOn: "afterok:train", suspend: true),
                        Self.job("alert", dependsOn: "afternotok:train", suspend: true))
        let result = await runCLI(["describe", "job", "train"], client: client)
        #expect(result.status == 0, "\(result.err)")
        let expected = """
        Depends On:
          Requirement     State     Verdict
          -----------     -----     -------
          afterok:prep    Complete  satisfied
          afterany:clean  Running   waiting
        Dependents:
          Job        Requires          State
          ---        --------          -----
          alert      afternotok:train  Waiting
          report     afterok:train     Waiting
        Conditions:  <none>

        """
        #expect(result.out.contains(expected), "\(result.out)")

        let upstream = await runCLI(["describe", "job", "prep"], client: client)
        #expect(upstream.out.contains("Dependents:\n  Job    Requires      State\n  ---    --------      -----\n  train  afterok:prep  Waiting\n"), "\(upstream.out)")
        #expect(!upstream.out.contains("Depends On:"))
    }

    @Test func anOrdinaryJobDescribesWithoutDependencySections() async throws {
        let client = FakeAPIClient()
        try client.seed(ResourceCatalog.jobs, Self.job("plain"))
        let result = await runCLI(["describe", "job", "plain"], client: client)
        #expect(!result.out.contains("Depends On") && !result.out.contains("Dependents"))
    }
}

@Suite struct JobDependencyRerunTests {
    @Test func aRerunKeepsTheDependenciesButNotTheControllersBookkeeping() {
        var held = jobJSON("train")
        held.setValue(true, at: ["spec", "suspend"])
        held.setValue(.stringMap([JobDependencies.annotation: "afterok:prep", JobDependencies.heldAnnotation: "true",
                                  JobDependencies.satisfiedAnnotation: "afterok:prep"]), at: ["metadata", "annotations"])
        let copy = JobView(JobTemplates.rerun(of: held))
        #expect(copy.metadata.annotations == [JobDependencies.annotation: "afterok:prep", JobTemplates.rerunOfAnnotation: "train"])
        #expect(!copy.suspend, "the server holds the copy again")
        var mine = jobJSON("mine")
        mine.setValue(true, at: ["spec", "suspend"])
        #expect(JobView(JobTemplates.rerun(of: mine)).suspend, "a Job its user suspended stays suspended")
    }
}

@Suite struct JobDependencyWatchTests {
    @Test func aHeldJobsStatusLineSaysWhatItWaitsFor() {
        var job = jobJSON("b")
        job.setValue(true, at: ["spec", "suspend"])
        job["status"] = ["conditions": [["type": "Suspended", "status": "True"],
                                        ["type": "DependenciesSatisfied", "status": "False", "reason": "WaitingForDependencies",
                                         "message": "waiting for afterok:a (Running)"]]]
        let progress = JobProgress(JobView(job))
        #expect(progress.statusLine(now: Date(), withBar: false) == "job/b: 0/? succeeded, 0 active, waiting for afterok:a (Running)")
    }
}
