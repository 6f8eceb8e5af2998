import Foundation

/// Typed, forgiving reads of an object's fields for table cells: a missing or mistyped field reads
/// as empty, zero or nil, so a half-filled object still prints.
struct PrintedObject {
    let json: JSONValue

    init(_ json: JSONValue) { self.json = json }

    func value(_ path: [String]) -> JSONValue? { json.value(at: path) }
    func has(_ path: String...) -> Bool { json.value(at: path).map { !$0.isNull } ?? false }
    func string(_ path: String...) -> String { json.value(at: path)?.string ?? "" }
    func int(_ path: String...) -> Int64 { json.value(at: path)?.int ?? 0 }
    func array(_ path: String...) -> [JSONValue] { json.value(at: path)?.array ?? [] }
    func time(_ path: String...) -> Date? { json.value(at: path)?.string.flatMap(RFC3339.parse) }

    var name: String { string("metadata", "name") }
    var labels: [String: String] { json.value(at: ["metadata", "labels"])?.stringMap ?? [:] }

    /// The `status` of the first condition of `type` in `conditions`, or nil.
    func conditionStatus(_ type: String, in path: String...) -> String? {
        let conditions = json.value(at: path)?.array ?? []
        return conditions.first { $0["type"]?.string == type }?["status"]?.string
    }
}
