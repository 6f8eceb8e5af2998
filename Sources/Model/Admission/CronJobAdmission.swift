import Foundation

/// CronJobs (batch/v1): defaults, schedule and time zone checks, and the job template.
enum CronJobAdmission: KindAdmission {
    /// Job names get an 11-character suffix and must stay DNS-1035 labels (63).
    static let maxNameLength = 52

    static func applyDefaults(to object: inout JSONValue, creating: Bool) {
        object.withChild("spec") { spec in
            spec.setDefault("concurrencyPolicy", "Allow")
            spec.setDefault("suspend", false)
            spec.setDefault("successfulJobsHistoryLimit", 3)
            spec.setDefault("failedJobsHistoryLimit", 1)
            spec.withChild("jobTemplate") { jobTemplate in
                jobTemplate.withChild("spec") { jobSpec in
                    jobSpec.withChild("template") { $0.withChild("spec", PodDefaults.applyToSpec) }
                }
            }
        }
    }

    static func validate(_ object: JSONValue, creating: Bool, into errors: inout FieldErrors) {
        if creating, let name = object["metadata"]?["name"]?.string, name.utf8.count > maxNameLength {
            errors.invalid(FieldPath("metadata").child("name"), .string(name), "must be no more than \(maxNameLength) characters")
        }
        let path = FieldPath("spec")
        guard let spec = errors.object(object["spec"], path) else { return }
        let timeZone = errors.string(spec["timeZone"], path.child("timeZone"))
        if let timeZone { validateTimeZone(timeZone, path.child("timeZone"), into: &errors) }

        let schedulePath = path.child("schedule")
        let schedule = errors.string(spec["schedule"], schedulePath) ?? ""
        if schedule.isEmpty {
            errors.required(schedulePath)
        } else if schedule.contains("TZ") {
            let detail = timeZone != nil ? "cannot use both timeZone field and TZ or CRON_TZ in schedule"
                                         : "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
            errors.invalid(schedulePath, .string(schedule), detail)
        } else {
            do {
                _ = try CronSchedule.parse(schedule)
            } catch {
                errors.invalid(schedulePath, .string(schedule), error.message)
            }
        }
        for key in ["startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"] {
            errors.nonNegativeInt(spec[key], path.child(key))
        }
        _ = errors.bool(spec["suspend"], path.child("suspend"))
        errors.oneOf(spec["concurrencyPolicy"], path.child("concurrencyPolicy"), ["Allow", "Forbid", "Replace"], required: true)

        let templatePath = path.child("jobTemplate")
        let jobTemplate = errors.object(spec["jobTemplate"], templatePath) ?? .emptyObject
        if let metadata = errors.object(jobTemplate["metadata"], templatePath.child("metadata")) {
            MetadataValidation.validateLabels(metadata["labels"], templatePath.child("metadata", "labels"), into: &errors)
            MetadataValidation.validateAnnotations(metadata["annotations"], templatePath.child("metadata", "annotations"), into: &errors)
        }
        let jobSpec = errors.object(jobTemplate["spec"], templatePath.child("spec")) ?? .emptyObject
        JobAdmission.validateSpec(jobSpec, templatePath.child("spec"), isTemplate: true, into: &errors)
    }

    /// An explicit IANA zone name that Foundation knows.
    static func validateTimeZone(_ zone: String, _ path: FieldPath, into errors: inout FieldErrors) {
        if zone.isEmpty {
            errors.invalid(path, .string(zone), "timeZone must be nil or non-empty string")
            return
        }
        if zone.caseInsensitiveCompare("Local") == .orderedSame {
            errors.invalid(path, .string(zone), "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones")
            return
        }
        let partIsValid: (Substring) -> Bool = { part in
            part != "." && part != ".." && !part.hasPrefix("-") && !part.isEmpty
                && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-+".contains($0)) }
        }
        if !zone.split(separator: "/", omittingEmptySubsequences: false).allSatisfy(partIsValid) || TimeZone(identifier: zone) == nil {
            errors.invalid(path, .string(zone), "unknown time zone \(zone)")
        }
    }

    static func validateStatus(_ status: JSONValue, into errors: inout FieldErrors) {
        let path = FieldPath("status")
        _ = errors.array(status["active"], path.child("active"))
        _ = errors.string(status["lastScheduleTime"], path.child("lastScheduleTime"))
        _ = errors.string(status["lastSuccessfulTime"], path.child("lastSuccessfulTime"))
    }
}
