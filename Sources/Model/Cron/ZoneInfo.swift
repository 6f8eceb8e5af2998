import Foundation

/// Time zones by IANA name, resolved as Go's `time.LoadLocation` resolves them for Kubernetes:
/// `""` and `"UTC"` are UTC, `"Local"` is the process's zone, and any other name must be a file of
/// the system's zoneinfo database (case-sensitive, so `america/new_york` is unknown even where
/// Foundation would guess). Errors carry Go's wording (`unknown time zone Mars/Olympus`).
///
/// This reads the file system (a lookup of one path), the only place in Model that does: the
/// system's zoneinfo is what decides, as it is for upstream.
public enum ZoneInfo {
    /// Where Go looks for zoneinfo files on Unix, in order.
    static let directories = ["/usr/share/zoneinfo/", "/usr/share/lib/zoneinfo/", "/usr/lib/locale/TZ/", "/etc/zoneinfo/"]

    /// The zone named `name`, or Go's error.
    public static func load(_ name: String) -> Result<TimeZone, CronParseError> {
        if name.isEmpty || name == "UTC" { return .success(TimeZone(identifier: "UTC") ?? .gmt) }
        if name == "Local" { return .success(TimeZone.current) }
        if name.contains("..") || name.hasPrefix("/") || name.hasPrefix("\\") {
            return .failure(CronParseError("time: invalid location name"))
        }
        let unknown = CronParseError("unknown time zone \(name)")
        let existing = directories.filter { directoryExists($0) }
        let inDatabase: Bool
        if existing.isEmpty {
            // No zoneinfo on this machine (a minimal container): fall back to Foundation's own list.
            inDatabase = TimeZone.knownTimeZoneIdentifiers.contains(name)
        } else {
            inDatabase = existing.contains { regularFileExists($0 + name) }
        }
        guard inDatabase, let zone = TimeZone(identifier: name) else { return .failure(unknown) }
        return .success(zone)
    }

    private static func directoryExists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    private static func regularFileExists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}
