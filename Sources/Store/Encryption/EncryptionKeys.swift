import Foundation

/// The keys of upstream's `aesgcm` provider, read from `drover server --encryption-key-file`: one
/// key a line as `NAME:BASE64` (32 random bytes, AES-256), `#` comments and blank lines ignored.
/// The first key encrypts every write; every key decrypts, so a rotation adds the new key first,
/// rewrites the Secrets, then drops the old key.
public struct EncryptionKeys: Sendable {
    /// A named key.
    public struct Key: Sendable {
        public var name: String
        let cipher: AESGCM
    }

    /// In file order; the first is the one that encrypts.
    public let keys: [Key]

    /// Parses a key file's text; the error says which line is wrong and why.
    public init(parsing text: String) throws(EncryptionKeyError) {
        var keys: [Key] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw EncryptionKeyError(message: "line \(number + 1): expected NAME:BASE64")
            }
            let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
            let secret = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
                throw EncryptionKeyError(message: "line \(number + 1): a key name consists of letters, digits, '-', '_' or '.'")
            }
            guard !keys.contains(where: { $0.name == name }) else {
                throw EncryptionKeyError(message: "line \(number + 1): key \"\(name)\" appears twice")
            }
            guard let bytes = Data(base64Encoded: secret), let cipher = AESGCM(key: Array(bytes)) else {
                throw EncryptionKeyError(message: "line \(number + 1): key \"\(name)\" must be \(AESGCM.keySize) bytes in base64")
            }
            keys.append(Key(name: name, cipher: cipher))
        }
        guard !keys.isEmpty else { throw EncryptionKeyError(message: "the file holds no key") }
        self.keys = keys
    }

    /// Reads a key file, refusing one that others may read (the keys unlock every Secret).
    public init(file path: String) throws(EncryptionKeyError) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw EncryptionKeyError(message: "cannot read \(path): \(String(cString: strerror(errno)))") }
        guard info.st_mode & 0o077 == 0 else {
            throw EncryptionKeyError(message: "\(path) may be read by other users (mode \(String(info.st_mode & 0o777, radix: 8))); chmod 600 it")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw EncryptionKeyError(message: "cannot read \(path)")
        }
        do { try self.init(parsing: text) } catch { throw EncryptionKeyError(message: "\(path): \(error.message)") }
    }

    /// A new key line, `NAME:BASE64` of 32 random bytes.
    public static func generateLine(name: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<AESGCM.keySize).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return "\(name):\(Data(bytes).base64EncodedString())"
    }

    /// Writes a key file with one new key, mode 0600, unless the file exists; true when it wrote one.
    @discardableResult
    public static func createFile(at path: String, keyName: String = "key1") throws(EncryptionKeyError) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if fd < 0 {
            if errno == EEXIST { return false }
            throw EncryptionKeyError(message: "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let text = "# Drover's Secret encryption keys (aesgcm): the first encrypts, all decrypt.\n\(generateLine(name: keyName))\n"
        let written = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        guard written == text.utf8.count else { throw EncryptionKeyError(message: "cannot write \(path)") }
        return true
    }
}

/// A key file that cannot be used.
public struct EncryptionKeyError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
