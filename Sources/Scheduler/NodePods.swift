import Scheduling

/// The pods bound to one node, kept as an array (what preemption reads for every candidate node,
/// handed out without copying a pod) with each key's position in it.
struct NodePods {
    private(set) var list: [PodInfo] = []
    private var keys: [String] = []
    private var position: [String: Int] = [:]

    var isEmpty: Bool { list.isEmpty }

    subscript(key: String) -> PodInfo? {
        get { position[key].map { list[$0] } }
        set {
            if let pod = newValue {
                if let i = position[key] { list[i] = pod } else {
                    position[key] = list.count
                    list.append(pod)
                    keys.append(key)
                }
            } else if let i = position.removeValue(forKey: key) {
                // The last pod takes the removed one's place.
                let last = list.count - 1
                if i != last {
                    list[i] = list[last]
                    keys[i] = keys[last]
                    position[keys[i]] = i
                }
                list.removeLast()
                keys.removeLast()
            }
        }
    }
}
