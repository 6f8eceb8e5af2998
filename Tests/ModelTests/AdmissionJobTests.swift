import Foundation
import Model
import Testing

@Suite struct AdmissionJobTests {
    let jobs = ResourceCatalog.jobs
    let cronJobs = ResourceCatalog.cronJobs

    static let jobDefaults: [(String, JSONValue)] = [
        ("spec.parallelism", 1),
        ("spec.completions", 1),
        ("spec.backoffLimit", 6),
        ("spec.completionMode", "NonIndexed"),
        ("spec.suspend", false),
        ("spec.podReplacementPolicy", "TerminatingOrFailed"),
        ("spec.selector", ["matchLabels": ["batch.kubernetes.io/controller-uid": "j-1"]]),
        ("spec.template.metadata.labels", ["batch.kubernetes.io/controller-uid": "j-1", "batch.kubernetes.io/job-name": "pi",
                                           "controller-uid": "j-1", "job-name": "pi"]),
        ("spec.template.spec.dnsPolicy", "ClusterFirst"),
        ("spec.template.spec.containers.0.imagePullPolicy", "Always"),
    ]

    @Test(arguments: jobDefaults)
    func createFillsJobDefaults(path: String, expected: JSONValue) {
        #expect(Fixture.defaulted(Fixture.job, jobs).at(path) == expected)
    }

    @Test func parallelismAloneLeavesCompletionsUnset() {
        let admitted = Fixture.defaulted(Fixture.job.setting("spec.parallelism", 3), jobs)
        #expect(admitted.at("spec.parallelism") == 3)
        #expect(admitted.at("spec.completions") == nil)
    }

    @Test func missingContainersGiveTheUpstreamMessage() {
        let job = Fixture.job.setting("spec.template.spec.containers", nil)
        guard case .failure(let error) = Fixture.admit(job, jobs) else {
            Issue.record("expected the job to be rejected")
            return
        }
        #expect(error.code == 422)
        #expect(error.reason == "Invalid")
        #expect(error.message == "Job.batch \"pi\" is invalid: spec.template.spec.containers: Required value")
        #expect(error.causes == [StatusCause(reason: "FieldValueRequired", message: "Required value", field: "spec.template.spec.containers")])
        #expect(error.kind == "Job")
        #expect(error.group == "batch")
    }

    static let invalidJobs: [Fixture.Change] = [
        ("spec.template.spec.restartPolicy", nil, "spec.template.spec.restartPolicy", "FieldValueNotSupported",
         "Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\""),
        ("spec.parallelism", -1, "spec.parallelism", "FieldValueInvalid", "Invalid value: -1: must be greater than or equal to 0"),
        ("spec.completions", -2, "spec.completions", "FieldValueInvalid", "Invalid value: -2: must be greater than or equal to 0"),
        ("spec.backoffLimit", -1, "spec.backoffLimit", "FieldValueInvalid", "Invalid value: -1: must be greater than or equal to 0"),
        ("spec.activeDeadlineSeconds", -5, "spec.activeDeadlineSeconds", "FieldValueInvalid", "Invalid value: -5: must be greater than or equal to 0"),
        ("spec.ttlSecondsAfterFinished", -1, "spec.ttlSecondsAfterFinished", "FieldValueInvalid", "Invalid value: -1: must be greater than or equal to 0"),
        ("spec.completionMode", "Sometimes", "spec.completionMode", "FieldValueNotSupported",
         "Unsupported value: \"Sometimes\": supported values: \"NonIndexed\", \"Indexed\""),
        ("spec.parallelism", "two", "spec.parallelism", "FieldValueTypeInvalid", "Invalid value: \"two\": must be of type integer"),
        ("spec.template", "nope", "spec.template", "FieldValueTypeInvalid", "Invalid value: \"nope\": must be of type object"),
        ("spec.template.metadata.labels", ["job-name": "other"], "spec.template.metadata.labels[job-name]", "FieldValueInvalid",
         "Invalid value: \"other\": must be 'pi'"),
        ("spec.selector", ["matchLabels": ["app": "x"]], "spec.selector", "FieldValueInvalid",
         "Invalid value: {\"matchLabels\":{\"app\":\"x\",\"batch.kubernetes.io/controller-uid\":\"j-1\"}}: `selector` not auto-generated"),
    ]

    @Test(arguments: invalidJobs)
    func invalidJobReportsTheFieldReasonAndMessage(change: Fixture.Change) {
        let (found, causes) = Fixture.reports(change, on: Fixture.job, jobs)
        #expect(found, "got \(causes)")
    }

    @Test func indexedJobsNeedCompletions() {
        let job = Fixture.job.setting("spec.completionMode", "Indexed").setting("spec.parallelism", 2)
        #expect(Fixture.causes(job, jobs).map(\.summary) == ["spec.completions FieldValueRequired Required value: when completion mode is Indexed"])
    }

    @Test func manualSelectorMustMatchTemplateLabels() {
        let job = Fixture.job.setting("spec.manualSelector", true)
            .setting("spec.selector", ["matchLabels": ["app": "pi"]])
            .setting("spec.template.metadata.labels", ["app": "other"])
        #expect(Fixture.causes(job, jobs).map(\.summary) == [
            "spec.template.metadata.labels FieldValueInvalid Invalid value: {\"app\":\"other\"}: `selector` does not match template `labels`",
        ])
        #expect(Fixture.causes(job.setting("spec.template.metadata.labels", ["app": "pi"]), jobs).isEmpty)
    }

    @Test func manualSelectorIsRequiredWhenNotGenerated() {
        let job = Fixture.job.setting("spec.manualSelector", true)
        #expect(Fixture.causes(job, jobs).map(\.summary) == ["spec.selector FieldValueRequired Required value"])
    }

    @Test(arguments: ["completions", "selector", "template"])
    func jobSpecFieldsAreImmutable(field: String) {
        let old = Fixture.defaulted(Fixture.job, jobs)
        let changed: JSONValue = switch field {
        case "completions": 5
        case "selector": ["matchLabels": ["batch.kubernetes.io/controller-uid": "j-1", "x": "y"]]
        default: old.at("spec.template")?.setting("spec.containers.0.image", "perl:2") ?? .null
        }
        let causes = Fixture.causes(old.setting("spec.\(field)", changed), jobs, .update(old: old))
        #expect(causes.contains { $0.field == "spec.\(field)" && $0.message.hasSuffix(": field is immutable") }, "got \(causes.map(\.summary))")
    }

    @Test func jobUpdateMayChangeParallelismAndSuspend() {
        let old = Fixture.defaulted(Fixture.job, jobs)
        let new = old.setting("spec.parallelism", 4).setting("spec.suspend", true)
        #expect(Fixture.causes(new, jobs, .update(old: old)).isEmpty)
    }

    @Test func jobStatusCountersMayNotBeNegative() {
        let old = Fixture.defaulted(Fixture.job, jobs)
        let causes = Fixture.causes(old.setting("status", ["active": -1, "succeeded": 1]), jobs, .updateStatus(old: old))
        #expect(causes.map(\.summary) == ["status.active FieldValueInvalid Invalid value: -1: must be greater than or equal to 0"])
    }

    @Test(arguments: [
        ("spec.concurrencyPolicy", JSONValue.string("Allow")),
        ("spec.suspend", false),
        ("spec.successfulJobsHistoryLimit", 3),
        ("spec.failedJobsHistoryLimit", 1),
        ("spec.jobTemplate.spec.template.spec.terminationGracePeriodSeconds", 30),
    ])
    func createFillsCronJobDefaults(path: String, expected: JSONValue) {
        #expect(Fixture.defaulted(Fixture.cronJob, cronJobs).at(path) == expected)
    }

    @Test func cronJobTemplateGetsNoJobDefaults() {
        let admitted = Fixture.defaulted(Fixture.cronJob, cronJobs)
        #expect(admitted.at("spec.jobTemplate.spec.backoffLimit") == nil)
        #expect(admitted.at("spec.jobTemplate.spec.selector") == nil)
    }

    static let invalidCronJobs: [Fixture.Change] = [
        ("spec.schedule", nil, "spec.schedule", "FieldValueRequired", "Required value"),
        ("spec.schedule", "bad", "spec.schedule", "FieldValueInvalid", "Invalid value: \"bad\": expected exactly 5 fields, found 1: [bad]"),
        ("spec.schedule", "61 * * * *", "spec.schedule", "FieldValueInvalid", "Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61"),
        ("spec.schedule", "TZ=UTC 0 * * * *", "spec.schedule", "FieldValueInvalid",
         "Invalid value: \"TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead"),
        ("spec.timeZone", "Mars/Olympus", "spec.timeZone", "FieldValueInvalid", "Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus"),
        ("spec.timeZone", "Local", "spec.timeZone", "FieldValueInvalid",
         "Invalid value: \"Local\": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"),
        ("spec.concurrencyPolicy", "Sometimes", "spec.concurrencyPolicy", "FieldValueNotSupported",
         "Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\""),
        ("spec.startingDeadlineSeconds", -1, "spec.startingDeadlineSeconds", "FieldValueInvalid", "Invalid value: -1: must be greater than or equal to 0"),
        ("spec.jobTemplate.spec.template.spec.restartPolicy", "Always", "spec.jobTemplate.spec.template.spec.restartPolicy",
         "FieldValueNotSupported", "Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\""),
        ("spec.jobTemplate.spec.selector", ["matchLabels": ["a": "b"]], "spec.jobTemplate.spec.selector", "FieldValueInvalid",
         "Invalid value: {\"matchLabels\":{\"a\":\"b\"}}: `selector` will be auto-generated"),
        ("spec.jobTemplate.spec.template.spec.containers", nil, "spec.jobTemplate.spec.template.spec.containers", "FieldValueRequired", "Required value"),
        ("metadata.name", .string(String(repeating: "a", count: 53)), "metadata.name", "FieldValueInvalid",
         "Invalid value: \"\(String(repeating: "a", count: 53))\": must be no more than 52 characters"),
    ]

    @Test(arguments: invalidCronJobs)
    func invalidCronJobReportsTheFieldReasonAndMessage(change: Fixture.Change) {
        let (found, causes) = Fixture.reports(change, on: Fixture.cronJob, cronJobs)
        #expect(found, "got \(causes)")
    }

    @Test func cronJobWithTimeZoneAndDescriptorIsValid() {
        let cronJob = Fixture.cronJob.setting("spec.schedule", "@daily").setting("spec.timeZone", "Europe/Berlin")
        #expect(Fixture.causes(cronJob, cronJobs).isEmpty)
    }
}
