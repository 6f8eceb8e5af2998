/// The controllers `drover server` and `drover up` run, by the names their flags use
/// (`--controllers=job,cronjob` or `--no-controller=garbagecollector`).
public enum ControllerKind: String, CaseIterable, Sendable {
    case job
    case cronjob
    case garbagecollector

    /// The component name written in Events' `source.component`, as upstream spells it.
    public var component: String {
        switch self {
        case .job: return "job-controller"
        case .cronjob: return "cronjob-controller"
        case .garbagecollector: return "garbage-collector-controller"
        }
    }
}
