/// Upstream's DefaultTolerationSeconds admission plugin: a pod that does not already tolerate the
/// `not-ready` and `unreachable` NoExecute taints gets a toleration of each for 300 s, so the pods
/// of a node that stops heartbeating are evicted five minutes after it is tainted — not at once
/// (a short blip costs nothing) and not never.
enum DefaultTolerationSeconds {
    static let seconds: Int64 = 300

    /// Adds the missing tolerations to a pod spec (create and update, as upstream; on update the
    /// additions are the kind of change the pod update rule allows).
    static func apply(to spec: inout JSONValue) {
        let given = spec["tolerations"]
        guard given == nil || given?.isNull == true || given?.array != nil else { return }  // validation reports it
        let tolerations = given?.array ?? []
        // As upstream: any toleration with the key (or no key) and the effect (or no effect) counts,
        // whatever its operator.
        func covered(_ key: String) -> Bool {
            tolerations.contains { toleration in
                let k = toleration["key"]?.string ?? "", effect = toleration["effect"]?.string ?? ""
                return (k == key || k.isEmpty) && (effect == "NoExecute" || effect.isEmpty)
            }
        }
        let missing = [Taint.notReadyKey, Taint.unreachableKey].filter { !covered($0) }
        guard !missing.isEmpty else { return }
        spec["tolerations"] = .array(tolerations + missing.map { key -> JSONValue in
            ["key": .string(key), "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": .int(seconds)]
        })
    }
}
