import Foundation
import Model
import Testing

@Suite struct AdmissionJobDependencyTests {
    let jobs = ResourceCatalog.jobs
    static let field = "metadata.annotations[drover.dev/depends-on]"

    func job(dependsOn: String?, suspend: Bool? = nil) -> JSONValue {
        var job = Fixture.job
        if let dependsOn { job.setValue(.string(dependsOn), at: ["metadata", "annotations", JobDependencies.annotation]) }
        if let suspend { job.setValue(.bool(suspend), at: ["spec", "suspend"]) }
        return job
    }

    @Test func aJobWithDependenciesIsCreatedSuspendedAndMarkedAsHeld() {
        let admitted = Fixture.defaulted(job(dependsOn: "afterok:prep"), jobs)
        #expect(admitted.at("spec.suspend") == true)
        #expect(JobView(admitted).isHeldByDependencies)
    }

    @Test func aJobItsUserSuspendedIsNotMarkedAsHeld() {
        let admitted = Fixture.defaulted(job(dependsOn: "afterok:prep", suspend: true), jobs)
        #expect(admitted.at("spec.suspend") == true)
        #expect(!JobView(admitted).isHeldByDependencies)
    }

    @Test func aJobWithoutDependenciesKeepsRunning() {
        let admitted = Fixture.defaulted(job(dependsOn: nil), jobs)
        #expect(admitted.at("spec.suspend") == false)
        #expect(!JobView(admitted).isHeldByDependencies)
    }

    @Test func badSyntaxIsA422OnTheAnnotation() {
        let causes = Fixture.causes(job(dependsOn: "afterok"), jobs)
        #expect(causes == [StatusCause(reason: "FieldValueInvalid",
                                       message: "Invalid value: \"afterok\": afterok needs a job name: afterok:NAME[:NAME...]",
                                       field: Self.field)])
    }

    @Test func singletonNeedsAGenerateName() {
        #expect(Fixture.causes(job(dependsOn: "singleton"), jobs).map(\.field) == [Self.field])
        var named = job(dependsOn: "singleton")
        named.setValue("pi-", at: ["metadata", "generateName"])
        #expect(Fixture.causes(named, jobs).isEmpty)
    }

    @Test func dependenciesChangeOnlyWhileTheJobWaits() {
        let running = Fixture.defaulted(job(dependsOn: nil), jobs)
        let changed = running.setting("metadata.annotations", ["drover.dev/depends-on": "afterok:prep"])
        #expect(Fixture.causes(changed, jobs, .update(old: running)) == [
            StatusCause(reason: "FieldValueForbidden",
                        message: "Forbidden: dependencies can only be added or changed while the Job is suspended and has not started",
                        field: Self.field)])

        let held = Fixture.defaulted(job(dependsOn: "afterok:prep"), jobs)
        let more = held.setting("metadata.annotations", ["drover.dev/depends-on": "afterok:prep,afterany:other",
                                                           "drover.dev/held-by-dependencies": "true"])
        #expect(Fixture.causes(more, jobs, .update(old: held)).isEmpty)

        var started = held
        started.setValue(["startTime": "2026-01-01T00:00:00Z"], at: ["status"])
        #expect(Fixture.causes(more, jobs, .update(old: started)).map(\.field) == [Self.field])
        // Removing them is always allowed.
        #expect(Fixture.causes(started.setting("metadata.annotations", [:]), jobs, .update(old: started)).isEmpty)
    }

    // MARK: references (the API server passes a lookup into its store)

    func check(_ name: String, dependsOn: String, stored: [String: String?], old: JSONValue? = nil) -> [String] {
        var job = job(dependsOn: dependsOn)
        job.setValue(.string(name), at: ["metadata", "name"])
        let lookup: (String) -> JSONValue? = { name in
            guard let entry = stored[name] else { return nil }
            var other = Fixture.job
            other.setValue(.string(name), at: ["metadata", "name"])
            if let deps = entry { other.setValue(.string(deps), at: ["metadata", "annotations", JobDependencies.annotation]) }
            return other
        }
        do {
            try JobDependencyAdmission.checkReferences(job, old: old, lookup: lookup)
            return []
        } catch {
            #expect(error.code == 422)
            #expect(error.causes.allSatisfy { $0.field == Self.field })
            return error.causes.map(\.message)
        }
    }

    @Test func existingDependenciesWithoutACycleAreAccepted() {
        #expect(check("c", dependsOn: "afterok:a,afterany:b", stored: ["a": nil, "b": "afterok:a"]).isEmpty)
    }

    @Test func aJobThatDoesNotExistIsRefused() {
        #expect(check("c", dependsOn: "afterok:a,afterok:ghost", stored: ["a": nil]) == [
            "Invalid value: \"afterok:a,afterok:ghost\": job \"ghost\" does not exist in namespace \"default\": dependencies name existing Jobs, so submit ghost first"])
    }

    @Test func cyclesThroughStoredJobsAreRefusedWithThePath() {
        #expect(check("a", dependsOn: "afterok:b", stored: ["b": "afterany:c", "c": "afterok:a"]) == [
            "Invalid value: \"afterok:b\": dependency cycle: a → b → c → a"])
        #expect(check("a", dependsOn: "after:a", stored: [:]) == ["Invalid value: \"after:a\": a job cannot depend on itself (a)"])
    }

    @Test func anUnchangedAnnotationIsNotCheckedAgain() {
        // The dependency may be gone by now; an update of something else must still pass.
        let old = job(dependsOn: "afterok:gone").setting("metadata.name", "c")
        #expect(check("c", dependsOn: "afterok:gone", stored: [:], old: old).isEmpty)
    }
}
