import QuoteCore
import Testing

@Suite struct SHA256Tests {
    private func hexDigest(_ text: String) -> String {
        Hex.encode(SHA256.hash(Array(text.utf8)))
    }

    @Test func emptyMessage() {
        #expect(hexDigest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    /// FIPS 180-4 examples (NIST "SHA256.pdf" and the SHS validation messages).
    @Test func oneBlockMessage() {
        #expect(hexDigest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func twoBlockMessage() {
        #expect(hexDigest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func message896Bits() {
        let message = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
            + "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
        #expect(hexDigest(message) == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    @Test func oneMillionAs() {
        let digest = SHA256.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
        #expect(Hex.encode(digest) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Lengths around the 55/56/64-byte padding boundaries, where one or two padding blocks are needed.
    @Test func paddingBoundaries() {
        // Digests from an independent implementation (Python's hashlib) of "a" repeated n times.
        let expected: [Int: String] = [
            55: "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318",
            56: "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a",
            63: "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34",
            64: "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb",
            65: "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0",
        ]
        for (count, digest) in expected {
            #expect(Hex.encode(SHA256.hash([UInt8](repeating: UInt8(ascii: "a"), count: count))) == digest,
                    "length \(count)")
        }
    }

    @Test func streamingInOddChunksMatchesOneShot() {
        let message = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let expected = SHA256.hash(message)
        for chunkSize in [1, 3, 7, 13, 55, 63, 64, 65, 127, 1000] {
            var hasher = SHA256()
            message.withUnsafeBytes { bytes in
                var start = 0
                while start < bytes.count {
                    let end = min(bytes.count, start + chunkSize)
                    hasher.update(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                    start = end
                }
            }
            #expect(hasher.finalize() == expected, "chunk size \(chunkSize)")
        }
    }
}
