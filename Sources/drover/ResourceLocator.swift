import Foundation

/// Finds the directories the binary needs at run time (web/, migrations/) relative to the
/// executable's real path, so a moved or installed binary keeps working and nothing depends on a
/// compile-time bundle path.
enum ResourceLocator {
    /// The first ancestor directory of the executable holding `marker` (a relative path), joined
    /// with `directory`; nil if none does.
    static func find(_ directory: String, marker: String) -> String? {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var current = URL(fileURLWithPath: exe).deletingLastPathComponent()
        for _ in 0..<8 {
            let candidate = current.appendingPathComponent(directory)
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(marker).path) { return candidate.path }
            // Installed layout: <prefix>/bin/drover with <prefix>/share/drover/<directory>.
            let shared = current.appendingPathComponent("share/drover").appendingPathComponent(directory)
            if FileManager.default.fileExists(atPath: shared.appendingPathComponent(marker).path) { return shared.path }
            current.deleteLastPathComponent()
        }
        return nil
    }

    static var webDirectory: String? { find("web", marker: "index.html") }
    static var migrationsDirectory: String? { find("migrations", marker: "0001_init.sql") }
}
