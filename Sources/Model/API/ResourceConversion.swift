/// Conversion between a stored object and the other versions its resource is served in
/// (`ResourceCatalog.convertedVersions`). Requests to a converted version are answered in it,
/// while the store, admission, controllers and watches see only the stored version.
public enum ResourceConversion {
    /// True when `resource` is served by converting to another stored version.
    public static func isConverted(_ resource: ResourceInfo) -> Bool {
        ResourceCatalog.storageVersion(of: resource) != resource
    }

    /// A stored object as `served` presents it; objects of other kinds (a Status) pass unchanged.
    public static func fromStorage(_ object: JSONValue, to served: ResourceInfo) -> JSONValue {
        guard isConverted(served), object["kind"]?.string == served.kind || object["kind"] == nil else { return object }
        switch served {
        case ResourceCatalog.horizontalPodAutoscalersV1: return HorizontalPodAutoscalerConversion.toV1(object)
        default: return object
        }
    }

    /// An object sent to `served` in its stored form.
    public static func toStorage(_ object: JSONValue, from served: ResourceInfo) -> JSONValue {
        guard isConverted(served), object.object != nil else { return object }
        switch served {
        case ResourceCatalog.horizontalPodAutoscalersV1: return HorizontalPodAutoscalerConversion.toV2(object)
        default: return object
        }
    }
}
