/// Formatting helpers shared by the printers, after upstream's.
enum CellText {
    /// `labels.FormatLabels`: `a=1,b=2` sorted by key, or `<none>`.
    static func labels(_ map: [String: String]) -> String {
        map.isEmpty ? "<none>" : map.keys.sorted().map { "\($0)=\(map[$0] ?? "")" }.joined(separator: ",")
    }

    /// A `metav1.LabelSelector` in query form with requirements sorted by key and values sorted,
    /// as upstream prints it; `ifEmpty` for a missing or empty selector, `ifInvalid` when it
    /// cannot be read.
    static func selector(_ json: JSONValue?, ifEmpty: String, ifInvalid: String) -> String {
        guard let json, !json.isNull else { return ifEmpty }
        do {
            var selector = try LabelSelector.from(json)
            selector.requirements = selector.requirements
                .map { LabelSelector.Requirement(key: $0.key, op: $0.op, values: $0.values.sorted()) }
                .enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }.map(\.element)
            return selector.isEmpty ? ifEmpty : selector.description
        } catch {
            return ifInvalid
        }
    }

    /// `metav1.FormatLabelSelector`: the selector, `<none>` when empty, `<error>` when invalid.
    static func formattedSelector(_ json: JSONValue?) -> String {
        selector(json, ifEmpty: "<none>", ifInvalid: "<error>")
    }

    /// Container names and images of a pod spec, comma-separated (upstream `layoutContainerCells`).
    static func containers(ofPodSpec spec: JSONValue?) -> (names: JSONValue, images: JSONValue) {
        let containers = spec?["containers"]?.array ?? []
        let names = containers.map { $0["name"]?.string ?? "" }.joined(separator: ",")
        let images = containers.map { $0["image"]?.string ?? "" }.joined(separator: ",")
        return (.string(names), .string(images))
    }
}

extension String {
    /// `<none>` for an empty string, as printers show absent values.
    var orNone: String { isEmpty ? "<none>" : self }
}
