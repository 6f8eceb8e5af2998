import Model

/// `drover submit --after ok:prep,any:cleanup`: Slurm's `--dependency` list with short type names
/// (`ok`, `notok`, `any`; the long `afterok` … and `after`, `singleton` as they are), turned into
/// the `drover.dev/depends-on` annotation value (pure).
enum DependencyFlag {
    static let shortNames = ["ok": "afterok", "notok": "afternotok", "any": "afterany"]

    /// The annotation value for every `--after` given (repeats are ANDed, like commas); nil for none.
    static func annotation(_ values: [String]) throws(UsageError) -> String? {
        var items: [String] = []
        for value in values {
            for item in value.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
                items.append(longForm(item))
            }
        }
        guard !items.isEmpty else { return nil }
        let text = items.joined(separator: ",")
        do {
            return JobDependencies.text(try JobDependencies.parse(text))
        } catch {
            throw UsageError("invalid --after \(values.joined(separator: ",").goQuoted): \(error.message) "
                             + "(e.g. --after ok:prep,any:cleanup; types: after, ok, notok, any, singleton)")
        }
    }

    /// `ok:prep` → `afterok:prep`; anything else unchanged.
    private static func longForm(_ item: String) -> String {
        let type = item.prefix { $0 != ":" }
        guard let long = shortNames[String(type)] else { return item }
        return long + item.dropFirst(type.count)
    }
}
