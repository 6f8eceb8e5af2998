// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Drover",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "drover", targets: ["drover"]),
    ],
    targets: [
        // C libraries from Debian, reached through system library targets.
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CMicroHTTPD", path: "Sources/CMicroHTTPD", pkgConfig: "libmicrohttpd",
                       providers: [.apt(["libmicrohttpd-dev"])]),
        .systemLibrary(name: "CYAML", path: "Sources/CYAML", pkgConfig: "yaml-0.1",
                       providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CNettle", path: "Sources/CNettle", pkgConfig: "nettle",
                       providers: [.apt(["nettle-dev"])]),
        // Header-only shims for Linux calls Swift's Glibc module hides (prctl, pidfd, wait macros).
        .systemLibrary(name: "CSupport", path: "Sources/CSupport"),

        .target(name: "Model", exclude: ["README.md"]),
        .target(name: "Metrics", exclude: ["README.md"]),
        .target(name: "Logging", exclude: ["README.md"]),
        .target(name: "Postgres", dependencies: ["CLibPQ", "CSupport"], exclude: ["README.md"]),
        .target(name: "Store", dependencies: ["Model", "Postgres", "CSupport", "CNettle", "Metrics", "Logging"], exclude: ["README.md"]),
        .target(name: "HTTP", dependencies: ["CMicroHTTPD", "CSupport", "Logging"], exclude: ["README.md"]),
        .target(name: "APIServer", dependencies: ["Model", "Store", "HTTP", "Metrics", "Logging"], exclude: ["README.md"]),
        .target(name: "Client", dependencies: ["Model"], exclude: ["README.md"]),
        .target(name: "CLI", dependencies: ["Model", "Client", "CYAML"], exclude: ["README.md"]),
        .target(name: "Scheduling", dependencies: ["Model"], exclude: ["README.md"]),
        .target(name: "Queueing", dependencies: ["Model"], exclude: ["README.md"]),
        .target(name: "Scheduler", dependencies: ["Model", "Client", "ControllerRuntime", "Scheduling", "Metrics"], exclude: ["README.md"]),
        .target(name: "ControllerRuntime", dependencies: ["Model", "Client", "Metrics", "Logging"], exclude: ["README.md"]),
        .target(name: "Controllers", dependencies: ["Model", "Client", "ControllerRuntime", "Queueing", "Scheduling", "Metrics"], exclude: ["README.md"]),
        .target(name: "Agent", dependencies: ["Model", "Client", "HTTP", "CSupport", "Metrics", "Logging"], exclude: ["README.md"]),
        .executableTarget(name: "drover", dependencies: ["Model", "Store", "HTTP", "APIServer", "Client", "CLI", "Scheduling",
                                                        "Scheduler", "Agent", "ControllerRuntime", "Controllers", "Queueing", "CSupport", "Metrics", "Logging"],
                          exclude: ["README.md"]),

        // Load generators for bench/ (not part of the product).
        .executableTarget(name: "drover-bench", dependencies: ["Model", "Scheduling", "Agent"], path: "bench/Sources/drover-bench"),

        .target(name: "TestSupport", dependencies: ["Model", "Store", "Postgres", "Client", "CSupport"], path: "Tests/TestSupport",
                exclude: ["README.md"]),
        .testTarget(name: "ModelTests", dependencies: ["Model"]),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics"]),
        .testTarget(name: "LoggingTests", dependencies: ["Logging"]),
        .testTarget(name: "StoreTests", dependencies: ["Model", "Store", "Postgres", "TestSupport"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "CSupport", "TestSupport"]),
        .testTarget(name: "APIServerTests", dependencies: ["Model", "Store", "HTTP", "APIServer", "Client", "Metrics", "TestSupport"]),
        .testTarget(name: "SchedulingTests", dependencies: ["Model", "Scheduling"]),
        .testTarget(name: "QueueingTests", dependencies: ["Model", "Queueing"]),
        .testTarget(name: "SchedulerTests", dependencies: ["Model", "Client", "ControllerRuntime", "Scheduling", "Scheduler", "TestSupport"]),
        .testTarget(name: "ControllerRuntimeTests", dependencies: ["Model", "Client", "ControllerRuntime", "Logging", "TestSupport"]),
        .testTarget(name: "ControllersTests", dependencies: ["Model", "Client", "ControllerRuntime", "Controllers", "Queueing", "Scheduling",
                                                          "TestSupport"]),
        .testTarget(name: "AgentTests", dependencies: ["Model", "Store", "Client", "HTTP", "APIServer", "Agent", "CSupport", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["Model", "Client", "CLI", "TestSupport"]),
        .testTarget(name: "IntegrationTests", dependencies: ["Model", "Store", "HTTP", "APIServer", "Client", "CLI", "Scheduling", "Scheduler",
                                                          "ControllerRuntime", "Controllers", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["Model", "Client", "TestSupport"]),
    ]
)
