import CNettle

/// AES-256-GCM from nettle (no cryptography of our own): `seal` returns nonce ‖ ciphertext ‖ tag
/// with a fresh random 96-bit nonce; `open` checks the tag in constant time and returns the
/// plaintext, or nil when the key, the associated data or any byte does not match.
struct AESGCM: Sendable {
    static let keySize = 32
    static let nonceSize = 12
    static let tagSize = 16

    private let key: [UInt8]

    /// `key` must be `keySize` bytes.
    init?(key: [UInt8]) {
        guard key.count == Self.keySize else { return nil }
        self.key = key
    }

    /// Encrypts `plaintext`, authenticating `associatedData` (the object's key, so a ciphertext
    /// copied to another row does not open there).
    func seal(_ plaintext: [UInt8], associatedData: [UInt8]) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()   // getrandom(2)
        let nonce = (0..<Self.nonceSize).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var ctx = gcm_aes256_ctx()
        var out = [UInt8](repeating: 0, count: Self.nonceSize + plaintext.count + Self.tagSize)
        key.withUnsafeBufferPointer { nettle_gcm_aes256_set_key(&ctx, $0.baseAddress) }
        nonce.withUnsafeBufferPointer { nettle_gcm_aes256_set_iv(&ctx, Self.nonceSize, $0.baseAddress) }
        associatedData.withUnsafeBufferPointer { nettle_gcm_aes256_update(&ctx, $0.count, $0.baseAddress) }
        out.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            for i in 0..<Self.nonceSize { base[i] = nonce[i] }
            plaintext.withUnsafeBufferPointer { nettle_gcm_aes256_encrypt(&ctx, $0.count, base + Self.nonceSize, $0.baseAddress) }
            nettle_gcm_aes256_digest(&ctx, Self.tagSize, base + Self.nonceSize + plaintext.count)
        }
        return out
    }

    /// Decrypts what `seal` produced with the same key and associated data; nil otherwise.
    func open(_ sealed: [UInt8], associatedData: [UInt8]) -> [UInt8]? {
        guard sealed.count >= Self.nonceSize + Self.tagSize else { return nil }
        let length = sealed.count - Self.nonceSize - Self.tagSize
        var ctx = gcm_aes256_ctx()
        var plaintext = [UInt8](repeating: 0, count: length)
        var tag = [UInt8](repeating: 0, count: Self.tagSize)
        key.withUnsafeBufferPointer { nettle_gcm_aes256_set_key(&ctx, $0.baseAddress) }
        let matches = sealed.withUnsafeBufferPointer { input -> Bool in
            let base = input.baseAddress!
            nettle_gcm_aes256_set_iv(&ctx, Self.nonceSize, base)
            associatedData.withUnsafeBufferPointer { nettle_gcm_aes256_update(&ctx, $0.count, $0.baseAddress) }
            plaintext.withUnsafeMutableBufferPointer { nettle_gcm_aes256_decrypt(&ctx, length, $0.baseAddress, base + Self.nonceSize) }
            tag.withUnsafeMutableBufferPointer { nettle_gcm_aes256_digest(&ctx, Self.tagSize, $0.baseAddress) }
            return tag.withUnsafeBufferPointer { nettle_memeql_sec($0.baseAddress, base + Self.nonceSize + length, Self.tagSize) } != 0
        }
        return matches ? plaintext : nil
    }
}
