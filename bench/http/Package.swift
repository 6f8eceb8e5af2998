// swift-tools-version:6.0
// Throughput bench for the HTTP module: a hello handler to point wrk at. The module sources are
// symlinked from the main package so this builds alone: `swift build -c release`.
import PackageDescription

let package = Package(
    name: "HTTPBench",
    targets: [
        .systemLibrary(name: "CMicroHTTPD", path: "Sources/CMicroHTTPD", pkgConfig: "libmicrohttpd"),
        .systemLibrary(name: "CSupport", path: "Sources/CSupport"),
        .target(name: "HTTP", dependencies: ["CMicroHTTPD", "CSupport"], exclude: ["README.md"]),
        .executableTarget(name: "hello", dependencies: ["HTTP"]),
    ]
)
