import Foundation
import Model
import Store

extension APIServer {
    /// The part of Job admission that needs other Jobs: every Job `drover.dev/depends-on` names
    /// must be stored in the namespace, and none may lead back to this one (422 otherwise). Read
    /// from the store, not the watch hub's view, so a Job created a moment ago counts.
    func checkJobDependencies(_ job: JSONValue, old: JSONValue?, namespace: String) throws(StatusError) {
        try JobDependencyAdmission.checkReferences(job, old: old) { name in
            let key = ObjectKey(resource: ResourceCatalog.jobs.storageName, namespace: namespace, name: name)
            return (try? store.get(key)).flatMap { try? parse($0) }
        }
    }
}
