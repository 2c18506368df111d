/// HMAC-SHA-256 (RFC 2104), the keyed digest that authenticates peers.
public enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key`.
    public static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        // Keys longer than a block are hashed first; shorter ones are zero-padded to a block.
        var blockKey = key.count > SHA256.blockByteCount ? SHA256.hash(key) : key
        blockKey.append(contentsOf: repeatElement(0, count: SHA256.blockByteCount - blockKey.count))

        var inner = SHA256()
        inner.update(blockKey.map { $0 ^ 0x36 })
        inner.update(message)
        let innerDigest = inner.finalize()

        var outer = SHA256()
        outer.update(blockKey.map { $0 ^ 0x5C })
        outer.update(innerDigest)
        return outer.finalize()
    }

    /// Whether `a` and `b` are equal, taking the same time wherever they differ.
    ///
    /// Use it to compare authentication codes, so response timing does not reveal how
    /// many leading bytes of a forgery were right. Lengths are not secret: unequal
    /// lengths return false at once.
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices {
            difference |= a[index] ^ b[index]
        }
        return difference == 0
    }
}
