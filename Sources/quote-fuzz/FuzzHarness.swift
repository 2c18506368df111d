import Foundation
import QuoteCore

/// The entry both drivers share: libFuzzer's `LLVMFuzzerTestOneInput` and the replayer.
///
/// An input's first byte picks the target (its value modulo the number of targets) and the
/// rest is that target's data, so one corpus covers every target and a saved crasher
/// replays exactly. Setting `QUOTE_FUZZ_TARGET` to `frames`, `codec` or `recovery` sends
/// whole inputs to that one target instead. A broken invariant traps with a message: to
/// libFuzzer and to the replayer alike, a crash is a crash.
enum FuzzHarness {
    /// What one input is fed to.
    enum Target: String, CaseIterable {
        /// FrameDecoder fed in random chunk sizes, then every frame through
        /// `Request.decode` and `Response.decode` and back.
        case frames
        /// Quote, Op, SequencedOp (and the other structures) decoded, canonicalized and
        /// re-encoded.
        case codec
        /// `LogRecovery.scan` over a log image, with and without repair.
        case recovery
    }

    /// The target named by `QUOTE_FUZZ_TARGET`, read once.
    static let forcedTarget: Target? = {
        guard let name = ProcessInfo.processInfo.environment["QUOTE_FUZZ_TARGET"], !name.isEmpty else { return nil }
        guard let target = Target(rawValue: name) else {
            FileHandle.standardError.write(Data("quote-fuzz: QUOTE_FUZZ_TARGET must be frames, codec or recovery, not '\(name)'\n".utf8))
            exit(2)
        }
        return target
    }()

    /// Feeds one input to its target; returns normally unless an invariant breaks.
    static func run(_ input: [UInt8]) {
        let target: Target
        let data: [UInt8]
        if let forcedTarget {
            target = forcedTarget
            data = input
        } else {
            guard let selector = input.first else { return }
            target = Target.allCases[Int(selector) % Target.allCases.count]
            data = Array(input.dropFirst())
        }
        switch target {
        case .frames: FrameFuzzing.run(data)
        case .codec: CodecFuzzing.run(data)
        case .recovery: RecoveryFuzzing.run(data)
        }
    }
}

extension SplitMix64 {
    /// A generator seeded with the FNV-1a hash of `bytes`, so that chunk sizes and other
    /// choices replay identically with the input.
    init(seededBy bytes: [UInt8]) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        self.init(seed: hash)
    }
}

/// Traps with `message` when `condition` is false, in every build configuration: a fuzz
/// invariant must not vanish under `-Ounchecked`.
func invariant(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("invariant broken: \(message())") }
}
