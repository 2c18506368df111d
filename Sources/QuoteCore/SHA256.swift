import CQuoteSupport

/// SHA-256 (FIPS 180-4), one-shot or streaming.
///
/// Streaming use: create a value, `update` it with the message in any number of pieces,
/// then `finalize` once to get the 32-byte digest.
///
/// Blocks go through the x86 SHA extensions when the CPU has them and through the
/// pure-Swift compression function otherwise; both give identical digests.
public struct SHA256: Sendable {
    /// The eight 32-bit working hash words, H0 through H7, in order and contiguous in memory.
    typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    /// The implementations of the compression function a hasher can run.
    enum CompressionPath: Sendable {
        /// The CPU's SHA-NI instructions, through `cqs_sha256_compress` in CQuoteSupport.
        case shaExtensions
        /// The rounds written out in Swift: the fallback on other CPUs and the reference in tests.
        case portable
    }

    /// The fastest compression path this CPU supports, decided once per process.
    static let fastestCompressionPath: CompressionPath =
        cqs_sha256_hardware_available() != 0 ? .shaExtensions : .portable

    /// The number of bytes in a digest.
    public static let digestByteCount = 32

    /// The number of bytes the compression function consumes at a time.
    static let blockByteCount = 64

    /// The eight working hash words, H0 through H7.
    private var state: State = (
        0x6A09_E667, 0xBB67_AE85, 0x3C6E_F372, 0xA54F_F53A,
        0x510E_527F, 0x9B05_688C, 0x1F83_D9AB, 0x5BE0_CD19
    )

    /// Bytes of an incomplete block carried to the next `update`; a tuple so hashing never allocates.
    private var pending: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)

    /// How many bytes of `pending` are in use, always less than a block.
    private var pendingCount = 0

    /// The message length so far, in bytes.
    private var messageLength: UInt64 = 0

    /// Which compression function this hasher runs; fixed at creation.
    private let compressionPath: CompressionPath

    /// Creates a hasher with no input yet.
    public init() {
        compressionPath = Self.fastestCompressionPath
    }

    /// Creates a hasher that runs `compressionPath`, so tests can compare the two.
    ///
    /// `.shaExtensions` is only valid on a CPU whose `fastestCompressionPath` it is.
    init(compressionPath: CompressionPath) {
        precondition(compressionPath == .portable || Self.fastestCompressionPath == .shaExtensions,
                     "this CPU has no SHA extensions")
        self.compressionPath = compressionPath
    }

    /// The digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Appends `bytes` to the message.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Appends `bytes` to the message.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        messageLength &+= UInt64(bytes.count)
        var offset = 0
        if pendingCount > 0 {
            offset = min(Self.blockByteCount - pendingCount, bytes.count)
            let start = pendingCount
            withUnsafeMutableBytes(of: &pending) { pending in
                UnsafeMutableRawBufferPointer(rebasing: pending[start..<(start + offset)])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<offset]))
            }
            pendingCount += offset
            guard pendingCount == Self.blockByteCount else { return }
            let block = pending
            withUnsafeBytes(of: block) { compress($0) }
            pendingCount = 0
        }
        let wholeBlocksEnd = offset + (bytes.count - offset) / Self.blockByteCount * Self.blockByteCount
        if wholeBlocksEnd > offset {
            compress(UnsafeRawBufferPointer(rebasing: bytes[offset..<wholeBlocksEnd]))
        }
        let remainder = bytes.count - wholeBlocksEnd
        if remainder > 0 {
            withUnsafeMutableBytes(of: &pending) { pending in
                UnsafeMutableRawBufferPointer(rebasing: pending[0..<remainder])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[wholeBlocksEnd...]))
            }
            pendingCount = remainder
        }
    }

    /// Pads the message and returns its 32-byte digest; the hasher is spent afterwards.
    public mutating func finalize() -> [UInt8] {
        let bitLength = messageLength &* 8
        // A 0x80 byte, zeros up to 56 mod 64, then the 64-bit length: 9 to 72 bytes.
        let zeroPaddedLength = pendingCount < 56 ? 56 - pendingCount : 120 - pendingCount
        var padding: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &padding) { padding in
            padding[0] = 0x80
            padding.storeBytes(of: bitLength.bigEndian, toByteOffset: zeroPaddedLength, as: UInt64.self)
            update(UnsafeRawBufferPointer(rebasing: padding[0..<(zeroPaddedLength + 8)]))
        }
        return withUnsafeBytes(of: state) { words in
            [UInt8](unsafeUninitializedCapacity: Self.digestByteCount) { digest, count in
                let raw = UnsafeMutableRawBufferPointer(digest)
                for offset in stride(from: 0, to: Self.digestByteCount, by: 4) {
                    let word = words.load(fromByteOffset: offset, as: UInt32.self)
                    raw.storeBytes(of: word.bigEndian, toByteOffset: offset, as: UInt32.self)
                }
                count = Self.digestByteCount
            }
        }
    }

    /// The round constants: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    private static let roundConstants: [UInt32] = [
        0x428A_2F98, 0x7137_4491, 0xB5C0_FBCF, 0xE9B5_DBA5, 0x3956_C25B, 0x59F1_11F1, 0x923F_82A4, 0xAB1C_5ED5,
        0xD807_AA98, 0x1283_5B01, 0x2431_85BE, 0x550C_7DC3, 0x72BE_5D74, 0x80DE_B1FE, 0x9BDC_06A7, 0xC19B_F174,
        0xE49B_69C1, 0xEFBE_4786, 0x0FC1_9DC6, 0x240C_A1CC, 0x2DE9_2C6F, 0x4A74_84AA, 0x5CB0_A9DC, 0x76F9_88DA,
        0x983E_5152, 0xA831_C66D, 0xB003_27C8, 0xBF59_7FC7, 0xC6E0_0BF3, 0xD5A7_9147, 0x06CA_6351, 0x1429_2967,
        0x27B7_0A85, 0x2E1B_2138, 0x4D2C_6DFC, 0x5338_0D13, 0x650A_7354, 0x766A_0ABB, 0x81C2_C92E, 0x9272_2C85,
        0xA2BF_E8A1, 0xA81A_664B, 0xC24B_8B70, 0xC76C_51A3, 0xD192_E819, 0xD699_0624, 0xF40E_3585, 0x106A_A070,
        0x19A4_C116, 0x1E37_6C08, 0x2748_774C, 0x34B0_BCB5, 0x391C_0CB3, 0x4ED8_AA4A, 0x5B9C_CA4F, 0x682E_6FF3,
        0x748F_82EE, 0x78A5_636F, 0x84C8_7814, 0x8CC7_0208, 0x90BE_FFFA, 0xA450_6CEB, 0xBEF9_A3F7, 0xC671_78F2,
    ]

    /// Folds `blocks`, whose length is a multiple of 64, into the state on this hasher's path.
    private mutating func compress(_ blocks: UnsafeRawBufferPointer) {
        switch compressionPath {
        case .shaExtensions:
            Self.compressWithSHAExtensions(&state, blocks: blocks)
        case .portable:
            Self.compressPortable(&state, blocks: blocks)
        }
    }

    /// Runs the compression function over `blocks`, whose length is a multiple of 64, on the SHA extensions.
    ///
    /// Only call it when `fastestCompressionPath` is `.shaExtensions`; elsewhere the C
    /// function leaves `state` unchanged.
    static func compressWithSHAExtensions(_ state: inout State, blocks: UnsafeRawBufferPointer) {
        guard let base = blocks.baseAddress, blocks.count > 0 else { return }
        withUnsafeMutablePointer(to: &state) { state in
            // A homogeneous tuple is laid out as a C array of its element type.
            state.withMemoryRebound(to: UInt32.self, capacity: 8) { words in
                cqs_sha256_compress(words, base, blocks.count / blockByteCount)
            }
        }
    }

    /// Runs the compression function over `blocks`, whose length is a multiple of 64, in Swift.
    ///
    /// The reference the SHA-extensions path is tested against, and the fallback on other CPUs.
    static func compressPortable(_ state: inout State, blocks: UnsafeRawBufferPointer) {
        roundConstants.withUnsafeBufferPointer { constants in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
                var blockStart = 0
                while blockStart < blocks.count {
                    for index in 0..<16 {
                        schedule[index] = UInt32(bigEndian: blocks.loadUnaligned(
                            fromByteOffset: blockStart + index * 4, as: UInt32.self))
                    }
                    for index in 16..<64 {
                        let early = schedule[index - 15]
                        let late = schedule[index - 2]
                        let sigma0 = rotateRight(early, 7) ^ rotateRight(early, 18) ^ (early >> 3)
                        let sigma1 = rotateRight(late, 17) ^ rotateRight(late, 19) ^ (late >> 10)
                        schedule[index] = schedule[index - 16] &+ sigma0 &+ schedule[index - 7] &+ sigma1
                    }

                    // The working variables keep their FIPS 180-4 names.
                    var (a, b, c, d, e, f, g, h) = state
                    for index in 0..<64 {
                        let bigSigma1 = rotateRight(e, 6) ^ rotateRight(e, 11) ^ rotateRight(e, 25)
                        let choice = (e & f) ^ (~e & g)
                        let temporary1 = h &+ bigSigma1 &+ choice &+ constants[index] &+ schedule[index]
                        let bigSigma0 = rotateRight(a, 2) ^ rotateRight(a, 13) ^ rotateRight(a, 22)
                        let majority = (a & b) ^ (a & c) ^ (b & c)
                        let temporary2 = bigSigma0 &+ majority
                        h = g
                        g = f
                        f = e
                        e = d &+ temporary1
                        d = c
                        c = b
                        b = a
                        a = temporary1 &+ temporary2
                    }
                    state = (
                        state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d,
                        state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h
                    )
                    blockStart += blockByteCount
                }
            }
        }
    }

    /// Rotates `value` right by `count` bits, 0 < `count` < 32.
    @inline(__always)
    private static func rotateRight(_ value: UInt32, _ count: UInt32) -> UInt32 {
        (value >> count) | (value << (32 - count))
    }
}
