import Foundation
@testable import QuoteCore
import Testing

/// The SHA-extensions compression path against the portable Swift one, its reference.
///
/// The published FIPS 180-4 vectors are in SHA256Tests and run on whichever path the CPU
/// selects; these tests check that the two paths agree everywhere else.
@Suite struct SHA256AccelerationTests {
    private static let hasSHAExtensions = SHA256.fastestCompressionPath == .shaExtensions

    /// Tells which path this machine runs, and checks it against what the kernel reports.
    @Test func activePathMatchesTheCPUsFeatures() throws {
        print("SHA-256 compression path: \(SHA256.fastestCompressionPath)")
        #if os(Linux) && arch(x86_64)
        let cpuFlags = try Self.cpuFlags()
        let hasEverythingNeeded = ["sha_ni", "ssse3", "sse4_1"].allSatisfy(cpuFlags.contains)
        #expect(SHA256.fastestCompressionPath == (hasEverythingNeeded ? .shaExtensions : .portable))
        #elseif !arch(x86_64)
        #expect(SHA256.fastestCompressionPath == .portable)
        #endif
    }

    @Test(.enabled(if: hasSHAExtensions, "this CPU has no SHA extensions"))
    func pathsAgreeOnEveryMessageLengthUpTo300() {
        var generator = SplitMix64(seed: 0x5348_4132_3536)
        for count in 0...300 {
            let message = randomBytes(count: count, using: &generator)
            #expect(Self.digest(of: message, on: .shaExtensions) == Self.digest(of: message, on: .portable),
                    "length \(count)")
        }
    }

    @Test(.enabled(if: hasSHAExtensions, "this CPU has no SHA extensions"))
    func pathsAgreeOnLargeMessages() {
        var generator = SplitMix64(seed: 0x4C41_5247_45)
        for count in [4096, 65_536 + 13, 1_000_003] {
            let message = randomBytes(count: count, using: &generator)
            #expect(Self.digest(of: message, on: .shaExtensions) == Self.digest(of: message, on: .portable),
                    "length \(count)")
        }
    }

    /// Arbitrary starting states and unaligned blocks, which whole messages never produce.
    @Test(.enabled(if: hasSHAExtensions, "this CPU has no SHA extensions"))
    func blockFunctionsAgreeOnRandomStatesAndUnalignedBlocks() {
        var generator = SplitMix64(seed: 0xB10C)
        let buffer = randomBytes(count: 16 * SHA256.blockByteCount + 15, using: &generator)
        buffer.withUnsafeBytes { all in
            for alignment in 0..<16 {
                for blockCount in 0...16 where alignment + blockCount * SHA256.blockByteCount <= all.count {
                    let blocks = UnsafeRawBufferPointer(
                        rebasing: all[alignment..<(alignment + blockCount * SHA256.blockByteCount)])
                    let start = randomState(using: &generator)
                    var accelerated = start
                    var portable = start
                    SHA256.compressWithSHAExtensions(&accelerated, blocks: blocks)
                    SHA256.compressPortable(&portable, blocks: blocks)
                    #expect(words(of: accelerated) == words(of: portable),
                            "\(blockCount) blocks at alignment \(alignment)")
                }
            }
        }
    }

    private static func digest(of message: [UInt8], on path: SHA256.CompressionPath) -> [UInt8] {
        var hasher = SHA256(compressionPath: path)
        hasher.update(message)
        return hasher.finalize()
    }

    /// The `flags` line of /proc/cpuinfo, split into words; the first CPU speaks for all.
    private static func cpuFlags() throws -> Set<Substring> {
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flagsLine = try #require(cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") })
        return Set(flagsLine.split(separator: " "))
    }
}

private func randomBytes(count: Int, using generator: inout SplitMix64) -> [UInt8] {
    (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
}

private func randomState(using generator: inout SplitMix64) -> SHA256.State {
    (
        UInt32.random(in: .min ... .max, using: &generator), UInt32.random(in: .min ... .max, using: &generator),
        UInt32.random(in: .min ... .max, using: &generator), UInt32.random(in: .min ... .max, using: &generator),
        UInt32.random(in: .min ... .max, using: &generator), UInt32.random(in: .min ... .max, using: &generator),
        UInt32.random(in: .min ... .max, using: &generator), UInt32.random(in: .min ... .max, using: &generator)
    )
}

/// The state as an array, because tuples of eight are not `Equatable`.
private func words(of state: SHA256.State) -> [UInt32] {
    [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
}
