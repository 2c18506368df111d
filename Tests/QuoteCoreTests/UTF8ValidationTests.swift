import QuoteCore
import Testing

/// The byte scanner must accept exactly what `String(validating:as:)` accepts: the codec and
/// recovery check every string with it, and Swift's own decoder is the reference.
@Suite struct UTF8ValidationTests {
    private func agrees(_ bytes: [UInt8]) -> Bool {
        let scanned = bytes.withUnsafeBytes { UTF8Validation.isValid($0) }
        return scanned == (String(validating: bytes, as: UTF8.self) != nil)
    }

    @Test func everySequenceOfUpToTwoBytesAndEveryLeadWithContinuationEdges() {
        for first in UInt8.min...UInt8.max {
            #expect(agrees([first]), "\(first)")
            for second in UInt8.min...UInt8.max where !agrees([first, second]) {
                Issue.record("disagree on [\(first), \(second)]")
            }
        }
        let edges: [UInt8] = [0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF]
        for lead in UInt8(0xC0)...UInt8(0xFF) {
            for second in edges {
                for third in edges where !agrees([lead, second, third]) || !agrees([lead, second, third, 0x80]) {
                    Issue.record("disagree on [\(lead), \(second), \(third), …]")
                }
            }
        }
    }

    @Test(arguments: 0..<4 as Range<UInt64>)
    func randomMostlyUTF8TextAgrees(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        let pieces: [[UInt8]] = [Array("plain ascii words ".utf8), Array("é".utf8), Array("語".utf8), Array("😀".utf8),
                                 [0x80], [0xC3], [0xE2, 0x82], [0xF0, 0x9F], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]]
        for _ in 0..<2_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                bytes += pieces.randomElement(using: &generator)!
            }
            #expect(agrees(bytes), "\(bytes)")
        }
    }
}
