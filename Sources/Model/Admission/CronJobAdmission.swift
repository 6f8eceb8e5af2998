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
        // Updates are checked by validateUpdate, which knows the old spec (TZ and timeZone rules).
        guard creating else { return }
        if let name = object["metadata"]?["name"]?.string, name.utf8.count > maxNameLength {
            errors.invalid(FieldPath("metadata").child("name"), .string(name), "must be no more than \(maxNameLength) characters")
        }
        validateSpec(object["spec"], oldSpec: nil, into: &errors)
    }

    static func validateUpdate(_ object: JSONValue, old: JSONValue, into errors: inout FieldErrors) {
        validateSpec(object["spec"], oldSpec: old["spec"] ?? .emptyObject, into: &errors)
    }

    /// upstream's validateCronJobSpec; `oldSpec` is nil on create.
    static func validateSpec(_ value: JSONValue?, oldSpec: JSONValue?, into errors: inout FieldErrors) {
        let path = FieldPath("spec")
        guard let spec = errors.object(value, path) else { return }
        var scratch = FieldErrors()
        let timeZone = scratch.string(spec["timeZone"], path.child("timeZone"))

        let schedulePath = path.child("schedule")
        let schedule = errors.string(spec["schedule"], schedulePath) ?? ""
        if schedule.isEmpty {
            errors.required(schedulePath)
        } else {
            // An object stored with TZ in its schedule (before the rule existed) may keep it.
            let allowTZ = oldSpec?["schedule"]?.string?.contains("TZ") ?? false
            validateSchedule(schedule, allowTZ: allowTZ, timeZone: timeZone, schedulePath, into: &errors)
        }
        errors.nonNegativeInt(spec["startingDeadlineSeconds"], path.child("startingDeadlineSeconds"))
        let timeZoneChanged = oldSpec.map { ($0["timeZone"] ?? .null) != (spec["timeZone"] ?? .null) } ?? true
        if timeZoneChanged, let timeZone = errors.string(spec["timeZone"], path.child("timeZone")) {
            validateTimeZone(timeZone, path.child("timeZone"), into: &errors)
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
        for key in ["successfulJobsHistoryLimit", "failedJobsHistoryLimit"] {
            errors.nonNegativeInt(spec[key], path.child(key))
        }
    }

    /// upstream's validateScheduleFormat: the robfig parse error and the TZ rule are separate causes.
    static func validateSchedule(_ schedule: String, allowTZ: Bool, timeZone: String?, _ path: FieldPath,
                                 into errors: inout FieldErrors) {
        do {
            _ = try CronSchedule.parse(schedule)
        } catch {
            errors.invalid(path, .string(schedule), error.message)
        }
        let hasTZ = schedule.contains("TZ")
        if allowTZ, hasTZ, timeZone != nil {
            errors.invalid(path, .string(schedule), "cannot use both timeZone field and TZ or CRON_TZ in schedule")
        } else if !allowTZ, hasTZ {
            errors.invalid(path, .string(schedule), "cannot use TZ or CRON_TZ in schedule, use timeZone field instead")
        }
    }

    /// upstream's validateTimeZone: IANA name syntax (components of 1–14 of `A-Za-z0-9._-+`, none
    /// `.`/`..` or starting with `-`), not `Local`, and present in the system's zoneinfo.
    static func validateTimeZone(_ zone: String, _ path: FieldPath, into errors: inout FieldErrors) {
        if zone.isEmpty {
            errors.invalid(path, .string(zone), "timeZone must be nil or non-empty string")
            return
        }
        let partIsValid: (Substring) -> Bool = { part in
            part != "." && part != ".." && !part.hasPrefix("-") && (1...14).contains(part.count)
                && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-+".contains($0)) }
        }
        if !zone.split(separator: "/", omittingEmptySubsequences: false).allSatisfy(partIsValid) {
            errors.invalid(path, .string(zone), "unknown time zone \(zone)")
            return
        }
        if zone.caseInsensitiveCompare("Local") == .orderedSame {
            errors.invalid(path, .string(zone), "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones")
        }
        if case .failure(let error) = ZoneInfo.load(zone) {
            errors.invalid(path, .string(zone), error.message)
        }
    }

    static func validateStatus(_ status: JSONValue, into errors: inout FieldErrors) {
        let path = FieldPath("status")
        _ = errors.array(status["active"], path.child("active"))
        _ = errors.string(status["lastScheduleTime"], path.child("lastScheduleTime"))
        _ = errors.string(status["lastSuccessfulTime"], path.child("lastSuccessfulTime"))
    }
}
