import Foundation

extension PodWorker {
    /// Writes the pod's secret, configMap, downwardAPI and projected volumes whose content differs
    /// from what was last written (the first time, and after their objects changed), atomically
    /// (`AtomicWriter`). Returns whether every one has been written at least once. A volume whose
    /// object went missing later keeps its last content, as with the kubelet; a problem is one
    /// FailedMount event per distinct message, never with a value in it.
    func refreshConfigVolumes() -> Bool {
        let contents = VolumeContents(pod: pod, lookup: context.configObjects.lookup)
        var ready = true
        for volume in pod.value(at: ["spec", "volumes"])?.array ?? [] where VolumeContents.isProjected(volume) {
            guard let name = volume["name"]?.string else { continue }
            do throws(VolumeSetUpError) {
                let files = try contents.files(of: volume)
                if writtenVolumes[name] != files {
                    try AtomicWriter(directory: context.paths.volume(uid, name)).write(files)
                    writtenVolumes[name] = files
                }
                volumeProblems[name] = nil
            } catch {
                if writtenVolumes[name] == nil { ready = false }
                guard !error.pending, volumeProblems[name] != error.message else { continue }
                volumeProblems[name] = error.message
                events.append(AgentEvent(type: "Warning", reason: "FailedMount",
                                         message: "MountVolume.SetUp failed for volume \"\(name)\" : \(error.message)"))
            }
        }
        return ready
    }

    /// A Secret or ConfigMap the pod uses changed: a container waiting out the back-off of a
    /// missing object or key tries again at once.
    func sourcesChanged() {
        func retry(_ record: inout ContainerRecord) {
            if case .waiting(let reason, _) = record.state, reason == "CreateContainerConfigError" { record.nextStart = nil }
        }
        for index in initContainers.indices { retry(&initContainers[index]) }
        for index in containers.indices { retry(&containers[index]) }
    }
}
