import Testing
@testable import Model

private func json(_ text: String) -> JSONValue {
    do { return try JSONValue.parse(text) } catch { fatalError("bad test JSON \(text): \(error)") }
}

@Suite struct StrategicMergePatchTests {
    /// (description, original, patch, expected)
    static let cases: [(String, String, String, String)] = [
        ("kubectl apply of a changed Job: annotations merge, scalars replace",
         #"{"metadata":{"name":"hello","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"old\":1}","team":"a"}},"spec":{"backoffLimit":6,"template":{"spec":{"containers":[{"name":"main","image":"busybox"}]}}}}"#,
         #"{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"new\":1}"}},"spec":{"backoffLimit":3}}"#,
         #"{"metadata":{"name":"hello","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"new\":1}","team":"a"}},"spec":{"backoffLimit":3,"template":{"spec":{"containers":[{"name":"main","image":"busybox"}]}}}}"#),
        ("cordon",
         #"{"metadata":{"name":"n1"},"spec":{"podCIDR":"10.0.0.0/24"}}"#,
         #"{"spec":{"unschedulable":true}}"#,
         #"{"metadata":{"name":"n1"},"spec":{"podCIDR":"10.0.0.0/24","unschedulable":true}}"#),
        ("uncordon: null deletes the field",
         #"{"metadata":{"name":"n1"},"spec":{"podCIDR":"10.0.0.0/24","unschedulable":true}}"#,
         #"{"spec":{"unschedulable":null}}"#,
         #"{"metadata":{"name":"n1"},"spec":{"podCIDR":"10.0.0.0/24"}}"#),
        ("set image: containers merge by name, honouring $setElementOrder",
         #"{"spec":{"containers":[{"name":"main","image":"web:1","ports":[{"containerPort":80}]},{"name":"side","image":"log:1"}]}}"#,
         #"{"spec":{"$setElementOrder/containers":[{"name":"main"},{"name":"side"}],"containers":[{"image":"web:2","name":"main"}]}}"#,
         #"{"spec":{"containers":[{"name":"main","image":"web:2","ports":[{"containerPort":80}]},{"name":"side","image":"log:1"}]}}"#),
        ("apply adds a container in the order it names",
         #"{"spec":{"containers":[{"name":"a","image":"x"},{"name":"c","image":"z"}]}}"#,
         #"{"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"b"},{"name":"c"}],"containers":[{"name":"b","image":"y"}]}}"#,
         #"{"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"},{"name":"c","image":"z"}]}}"#),
        ("$setElementOrder alone reorders; unnamed elements keep their places",
         #"{"spec":{"containers":[{"name":"a"},{"name":"server-only"},{"name":"b"}]}}"#,
         #"{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}]}}"#,
         #"{"spec":{"containers":[{"name":"b"},{"name":"server-only"},{"name":"a"}]}}"#),
        ("apply removes a container with $patch: delete",
         #"{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}"#,
         #"{"spec":{"$setElementOrder/containers":[{"name":"b"}],"containers":[{"$patch":"delete","name":"a"}]}}"#,
         #"{"spec":{"containers":[{"name":"b"}]}}"#),
        ("env merges by name, ports by containerPort, volumeMounts by mountPath",
         #"{"containers":[{"name":"m","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"ports":[{"containerPort":80,"protocol":"TCP"}],"volumeMounts":[{"name":"v","mountPath":"/data"}]}]}"#,
         #"{"containers":[{"name":"m","env":[{"name":"B","value":"3"},{"name":"C","value":"4"}],"ports":[{"containerPort":80,"name":"http"},{"containerPort":443}],"volumeMounts":[{"mountPath":"/data","readOnly":true}]}]}"#,
         #"{"containers":[{"name":"m","env":[{"name":"A","value":"1"},{"name":"B","value":"3"},{"name":"C","value":"4"}],"ports":[{"containerPort":80,"protocol":"TCP","name":"http"},{"containerPort":443}],"volumeMounts":[{"name":"v","mountPath":"/data","readOnly":true}]}]}"#),
        ("a field in a keyed element is removed with null",
         #"{"containers":[{"name":"m","image":"x","command":["sh"]}]}"#,
         #"{"containers":[{"name":"m","command":null}]}"#,
         #"{"containers":[{"name":"m","image":"x"}]}"#),
        ("tolerations, args and command replace wholesale",
         #"{"tolerations":[{"key":"a"}],"args":["1","2"],"command":["sh"]}"#,
         #"{"tolerations":[{"key":"b"}],"args":["3"],"command":["bash","-c"]}"#,
         #"{"tolerations":[{"key":"b"}],"args":["3"],"command":["bash","-c"]}"#),
        ("finalizers merge as a set",
         #"{"metadata":{"finalizers":["a","b"]}}"#,
         #"{"metadata":{"finalizers":["b","c"]}}"#,
         #"{"metadata":{"finalizers":["a","b","c"]}}"#),
        ("$deleteFromPrimitiveList removes finalizers",
         #"{"metadata":{"finalizers":["a","b","c"]}}"#,
         #"{"metadata":{"$deleteFromPrimitiveList/finalizers":["b","zzz"]}}"#,
         #"{"metadata":{"finalizers":["a","c"]}}"#),
        ("conditions merge by type",
         #"{"status":{"conditions":[{"type":"Ready","status":"False"},{"type":"MemoryPressure","status":"False"}]}}"#,
         #"{"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady"}]}}"#,
         #"{"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady"},{"type":"MemoryPressure","status":"False"}]}}"#),
        ("ownerReferences merge by uid",
         #"{"metadata":{"ownerReferences":[{"uid":"1","kind":"Job","name":"a"}]}}"#,
         #"{"metadata":{"ownerReferences":[{"uid":"2","kind":"Job","name":"b"},{"uid":"1","controller":true}]}}"#,
         #"{"metadata":{"ownerReferences":[{"uid":"1","kind":"Job","name":"a","controller":true},{"uid":"2","kind":"Job","name":"b"}]}}"#),
        ("volumes and imagePullSecrets merge by name",
         #"{"volumes":[{"name":"a","emptyDir":{}}],"imagePullSecrets":[{"name":"r1"}]}"#,
         #"{"volumes":[{"name":"b","emptyDir":{}}],"imagePullSecrets":[{"name":"r2"}]}"#,
         #"{"volumes":[{"name":"a","emptyDir":{}},{"name":"b","emptyDir":{}}],"imagePullSecrets":[{"name":"r1"},{"name":"r2"}]}"#),
        ("$patch: replace on a map",
         #"{"metadata":{"labels":{"a":"1","b":"2"}}}"#,
         #"{"metadata":{"labels":{"$patch":"replace","c":"3"}}}"#,
         #"{"metadata":{"labels":{"c":"3"}}}"#),
        ("$patch: delete on a map",
         #"{"spec":{"affinity":{"nodeAffinity":{}},"x":1}}"#,
         #"{"spec":{"affinity":{"$patch":"delete"}}}"#,
         #"{"spec":{"x":1}}"#),
        ("$patch: merge is the default",
         #"{"metadata":{"labels":{"a":"1"}}}"#,
         #"{"metadata":{"labels":{"$patch":"merge","b":"2"}}}"#,
         #"{"metadata":{"labels":{"a":"1","b":"2"}}}"#),
        ("a {$patch: replace} element replaces the whole keyed list",
         #"{"containers":[{"name":"a","image":"x"},{"name":"b"}]}"#,
         #"{"containers":[{"name":"c"},{"$patch":"replace"}]}"#,
         #"{"containers":[{"name":"c"}]}"#),
        ("$retainKeys drops the fields it does not list (Deployment strategy)",
         #"{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}"#,
         #"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}"#,
         #"{"spec":{"strategy":{"type":"Recreate"}}}"#),
        ("new values are stored without nulls or directives",
         #"{"spec":{}}"#,
         #"{"spec":{"template":{"metadata":{"labels":{"a":"1","b":null}},"spec":{"$setElementOrder/containers":[{"name":"m"}],"containers":[{"name":"m","args":null},{"$patch":"delete","name":"gone"}]}}}}"#,
         #"{"spec":{"template":{"metadata":{"labels":{"a":"1"}},"spec":{"containers":[{"name":"m"}]}}}}"#),
        ("a top-level $patch: delete empties the object",
         #"{"spec":{"a":1}}"#, #"{"$patch":"delete"}"#, #"{}"#),
    ]

    @Test(arguments: cases)
    func mergesLikeTheAPIServer(_ description: String, _ original: String, _ patch: String, _ expected: String) throws {
        let result = try StrategicMergePatch.apply(json(patch), to: json(original))
        #expect(result == json(expected), "\(description)")
        #expect(!result.jsonString().contains("$"), "\(description): directives must not survive")
    }

    @Test func keepsTheOriginalKeyOrder() throws {
        let result = try StrategicMergePatch.apply(json(#"{"spec":{"z":1,"b":2}}"#), to: json(#"{"metadata":{},"spec":{"a":0,"b":1}}"#))
        #expect(result.jsonString() == #"{"metadata":{},"spec":{"a":0,"b":2,"z":1}}"#)
    }

    /// (original, patch, status code, message fragment)
    static let failures: [(String, String, Int, String)] = [
        ("{}", "[1]", 400, "must be a JSON object, not array"),
        (#"{"containers":[]}"#, #"{"containers":[{"image":"x"}]}"#, 400, "does not contain its merge key \"name\""),
        (#"{"containers":[]}"#, #"{"containers":[{"$patch":"delete"}]}"#, 400, "does not contain its merge key \"name\""),
        (#"{"containers":[]}"#, #"{"containers":["a"]}"#, 400, "merges objects by \"name\""),
        (#"{"containers":[]}"#, #"{"containers":[["a"]]}"#, 422, "lists of lists are not supported"),
        (#"{"a":{}}"#, #"{"a":{"$patch":"explode"}}"#, 400, "unknown strategic merge patch directive"),
        (#"{"a":{}}"#, #"{"a":{"$retainKeys":"type"}}"#, 400, "invalid patch format of retainKeys"),
        (#"{"a":{}}"#, #"{"a":{"$retainKeys":["type"],"other":1}}"#, 400, "sets \"other\""),
        (#"{"containers":[{"name":"a"}]}"#, #"{"$setElementOrder/containers":[{"image":"a"}]}"#, 400, "invalid patch format of setElementOrder list"),
        (#"{"containers":[]}"#, #"{"$setElementOrder/containers":{"name":"a"}}"#, 400, "invalid patch format of setElementOrder list"),
        (#"{"finalizers":[]}"#, #"{"$deleteFromPrimitiveList/finalizers":"a"}"#, 400, "invalid patch format of primitive list"),
    ]

    @Test(arguments: failures)
    func rejectsMalformedPatches(_ original: String, _ patch: String, _ code: Int, _ fragment: String) {
        #expect {
            _ = try StrategicMergePatch.apply(json(patch), to: json(original))
        } throws: { error in
            guard let error = error as? StatusError else { return false }
            return error.code == code && error.message.contains(fragment)
        }
    }

    @Test(arguments: [
        ("containers", ListMergeStrategy.mergeByKey("name")),
        ("ports", .mergeByKey("containerPort")),
        ("volumeMounts", .mergeByKey("mountPath")),
        ("ownerReferences", .mergeByKey("uid")),
        ("finalizers", .mergePrimitives),
        ("tolerations", .replace),
        ("args", .replace),
    ])
    func knowsUpstreamListStrategies(_ field: String, _ strategy: ListMergeStrategy) {
        #expect(ListMergeStrategy.forField(field) == strategy)
    }
}
