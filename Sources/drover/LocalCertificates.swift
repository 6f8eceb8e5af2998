import Foundation

/// The TLS certificate `drover up` serves its secure port with: a private CA and a server
/// certificate for 127.0.0.1/localhost signed by it, made once with the `openssl` command and kept
/// in DIR/tls. kubectl and other client-go programs refuse to send bearer tokens over plain HTTP,
/// so the kubeconfig points at this port and trusts the CA.
struct LocalCertificates {
    let directory: String

    var caPath: String { "\(directory)/ca.crt" }
    var certificatePath: String { "\(directory)/server.crt" }
    var keyPath: String { "\(directory)/server.key" }

    /// Creates the CA and server certificate unless they already exist.
    func ensure() throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: certificatePath) && fm.fileExists(atPath: keyPath) && fm.fileExists(atPath: caPath) { return }
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let caKey = "\(directory)/ca.key"
        let csr = "\(directory)/server.csr"
        let extensions = "\(directory)/server.ext"
        try "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\nbasicConstraints=critical,CA:FALSE\n"
            .write(toFile: extensions, atomically: true, encoding: .utf8)
        let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509"] + curve + ["-keyout", caKey, "-out", caPath, "-days", "3650", "-subj", "/CN=drover-local-ca",
                                                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        try openssl(["req", "-new"] + curve + ["-keyout", keyPath, "-out", csr, "-subj", "/CN=127.0.0.1"])
        try openssl(["x509", "-req", "-in", csr, "-CA", caPath, "-CAkey", caKey, "-CAcreateserial", "-out", certificatePath,
                     "-days", "3650", "-extfile", extensions])
        for path in [caKey, keyPath] { try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path) }
        try? fm.removeItem(atPath: csr)
        try? fm.removeItem(atPath: extensions)
    }

    private func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw UsageError(message: "making the local TLS certificate failed (is openssl installed?): openssl \(arguments.first ?? ""): \(String(decoding: message, as: UTF8.self))")
        }
    }
}
