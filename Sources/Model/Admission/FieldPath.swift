/// A path to a field as Kubernetes prints it: `spec.template.spec.containers[0].name`,
/// `metadata.labels`, `spec.containers[0].resources.limits[cpu]`.
struct FieldPath: Sendable, Equatable, CustomStringConvertible {
    let description: String

    init(_ root: String) { description = root }

    /// A member: `spec` → `spec.template`.
    func child(_ name: String) -> FieldPath { FieldPath(description.isEmpty ? name : "\(description).\(name)") }

    /// Several members at once: `child("template", "spec")`.
    func child(_ first: String, _ rest: String...) -> FieldPath {
        rest.reduce(child(first)) { $0.child($1) }
    }

    /// A list element: `containers` → `containers[0]`.
    func index(_ i: Int) -> FieldPath { FieldPath("\(description)[\(i)]") }

    /// A map entry: `limits` → `limits[cpu]`.
    func key(_ k: String) -> FieldPath { FieldPath("\(description)[\(k)]") }
}
