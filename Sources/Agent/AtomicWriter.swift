import Foundation

/// Writes the files of a secret, configMap, downwardAPI or projected volume the way the kubelet's
/// AtomicWriter does, so a reader never sees half an update:
///
///     <volume>/..2026_12_04_23_12_00.AbC123/   this version's files (directory 0755, files their mode)
///     <volume>/..data -> ..2026_12_04_23_12_00.AbC123
///     <volume>/<name> -> ..data/<name>         one link per top-level name
///
/// An update writes a new version directory, points `..data_tmp` at it and renames that over
/// `..data` (one atomic rename), adjusts the top-level links, then removes the old version.
/// A subPath mount binds the file the link resolved to at start, so it keeps the old version (as upstream).
struct AtomicWriter {
    var directory: String

    /// Writes `files` (paths relative, validated at admission) as the volume's new content.
    func write(_ files: [ProjectedFile]) throws(VolumeSetUpError) {
        func fail(_ what: String) -> VolumeSetUpError {
            VolumeSetUpError(message: "writing \(directory): \(what): \(String(cString: strerror(errno)))")
        }
        guard AgentPaths.makeDirectory(directory) else { throw fail("mkdir") }
        chmod(directory, 0o755)
        let previous = try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/..data")
        var template = Array("\(directory)/..\(Self.timestamp()).XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw fail("mkdtemp") }
        let version = String(cString: made)
        chmod(version, 0o755)
        for file in files {
            let path = version + "/" + file.path
            let parent = (path as NSString).deletingLastPathComponent
            if parent != version, !AgentPaths.makeDirectory(parent) { throw fail("mkdir \(parent)") }
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw fail("create \(file.path)") }
            let written = file.bytes.withUnsafeBufferPointer { Foundation.write(fd, $0.baseAddress, $0.count) }
            // The mode as told, whatever the umask.
            let ok = written == file.bytes.count && fchmod(fd, mode_t(file.mode)) == 0
            close(fd)
            guard ok else { throw fail("write \(file.path)") }
        }
        let temporary = directory + "/..data_tmp"
        unlink(temporary)
        guard symlink((version as NSString).lastPathComponent, temporary) == 0 else { throw fail("symlink ..data_tmp") }
        guard rename(temporary, directory + "/..data") == 0 else { throw fail("rename ..data_tmp") }
        try linkTopLevelNames(Set(files.map { String($0.path.split(separator: "/").first ?? "") }))
        if let previous, !previous.contains("/"), previous.hasPrefix("..") {
            try? FileManager.default.removeItem(atPath: directory + "/" + previous)
        }
    }

    /// One `name -> ..data/name` link per top-level name; links of names gone are removed.
    private func linkTopLevelNames(_ names: Set<String>) throws(VolumeSetUpError) {
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for entry in existing where !entry.hasPrefix("..") && !names.contains(entry) {
            if (try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/" + entry))?.hasPrefix("..data/") == true {
                unlink(directory + "/" + entry)
            }
        }
        for name in names where !name.isEmpty && !existing.contains(name) {
            guard symlink("..data/" + name, directory + "/" + name) == 0 || errno == EEXIST else {
                throw VolumeSetUpError(message: "writing \(directory): symlink \(name): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// `2006_01_02_15_04_05` in UTC, as the kubelet names versions.
    static func timestamp(_ date: Date = Date()) -> String {
        var time = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d_%02d_%02d_%02d_%02d_%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec)
    }
}
