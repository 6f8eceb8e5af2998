@testable import CLI
import Client
import Foundation
import Model
import Testing

@Suite struct ConfigTests {
    @Test func configPathComesFromEnvironmentThenHome() {
        #expect(ClientConfig.defaultPath(environment: ["DROVER_CONFIG": "/x/cfg", "HOME": "/h"]) == "/x/cfg")
        #expect(ClientConfig.defaultPath(environment: ["HOME": "/h"]) == "/h/.drover/config")
    }

    @Test func writesAndReadsBack() throws {
        let path = NSTemporaryDirectory() + "drover-config-\(UUID().uuidString)/sub/config"
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let config = ClientConfig(server: "http://127.0.0.1:8080", token: "s3cret")
        try config.write(to: path)
        #expect(try ClientConfig.load(from: path) == config)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func badConfigsGiveSentences() {
        #expect(throws: ConfigError.self) { try ClientConfig.load(from: "/nonexistent/drover/config") }
        #expect(throws: ConfigError("The config file p has no \"server\" address.")) {
            try ClientConfig.parse(Array("{\"token\":\"x\"}".utf8), path: "p")
        }
        #expect(throws: ConfigError.self) { try ClientConfig.parse(Array("nope".utf8), path: "p") }
    }

    @Test func flagsOverrideTheConfigFile() throws {
        let options = ConnectionOptions(server: "http://h:1", token: "t")
        #expect(try options.resolve(environment: [:]) == ClientConfig(server: "http://h:1", token: "t"))
    }

    @Test func kubeconfigIsValidYAMLForKubectl() throws {
        let text = Kubeconfig.render(server: "http://127.0.0.1:8080", token: "abc: #1")
        let value = try #require(try YAMLReader.documents(Array(text.utf8)).first)
        #expect(value["current-context"] == "drover")
        #expect(value["clusters"]?[0]?["cluster"]?["server"] == "http://127.0.0.1:8080")
        #expect(value["users"]?[0]?["user"]?["token"] == "abc: #1")
        #expect(value["contexts"]?[0]?["context"] == ["cluster": "drover", "user": "drover"])
        let anonymous = try YAMLReader.documents(Array(Kubeconfig.render(server: "http://h", token: nil).utf8))
        #expect(anonymous.first?["users"]?[0]?["user"] == .emptyObject)
    }
}
