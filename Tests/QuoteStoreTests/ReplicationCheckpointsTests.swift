import Foundation
import QuoteCore
import QuoteStore
import Testing

/// The `replication-checkpoints` file (STORAGE.md §1): its lines, what an earlier version
/// wrote, and the checkpoints a shorter log drops.
@Suite struct ReplicationCheckpointsTests {
    func file(_ directory: String) -> String { directory + "/replication-checkpoints" }

    func read(_ directory: String) throws -> String { try String(contentsOfFile: file(directory), encoding: .utf8) }

    @Test func aCheckpointIsSavedWithItsFingerprintAndTheLocalSequenceAndOnlyMovesForward() async throws {
        try await withTemporaryDirectory { directory in
            let checkpoints = ReplicationCheckpoints(directory: directory, logLastSequence: 0)
            #expect(checkpoints.checkpoint(for: 0xAB) == .start)
            try checkpoints.advance(0xAB, to: ReplicationCheckpoint(sequence: 200, fingerprint: 0x0123_4567_89AB_CDEF), localSequence: 250)
            try checkpoints.advance(0x01, to: ReplicationCheckpoint(sequence: 7, fingerprint: 0xFF), localSequence: 251)
            try checkpoints.advance(0xAB, to: ReplicationCheckpoint(sequence: 150, fingerprint: 0x1), localSequence: 252)
            #expect(try read(directory) == "0000000000000001 7 00000000000000ff 251\n00000000000000ab 200 0123456789abcdef 250\n")
            let reloaded = ReplicationCheckpoints(directory: directory, logLastSequence: 251)
            #expect(reloaded.checkpoint(for: 0xAB) == ReplicationCheckpoint(sequence: 200, fingerprint: 0x0123_4567_89AB_CDEF))
            #expect(reloaded.dropped.isEmpty)
            try reloaded.reset(0xAB)
            #expect(try read(directory) == "0000000000000001 7 00000000000000ff 251\n")
            #expect(reloaded.checkpoint(for: 0xAB) == .start)
        }
    }

    @Test func aLineAnEarlierVersionWroteHasNoFingerprintAndIsNotVerifiable() async throws {
        try await withTemporaryDirectory { directory in
            try "00000000000000ab 200\nnot a line\n00000000000000cd 3 zz 4\n".write(toFile: file(directory), atomically: true, encoding: .utf8)
            let checkpoints = ReplicationCheckpoints(directory: directory, logLastSequence: 0)
            let legacy = checkpoints.checkpoint(for: 0xAB)
            #expect(legacy == ReplicationCheckpoint(sequence: 200, fingerprint: nil))
            #expect(!legacy.isVerifiable)
            #expect(checkpoints.checkpoint(for: 0xCD) == .start)
            #expect(checkpoints.dropped.isEmpty)
        }
    }

    /// A log cut by a power loss (or restored without its checkpoint file) ends before the
    /// sequence number a checkpoint was saved at: the ops it covered may be gone, so it is
    /// dropped, durably, and the others kept.
    @Test func aCheckpointSavedWhenTheLogWasLongerIsDropped() async throws {
        try await withTemporaryDirectory { directory in
            let checkpoints = ReplicationCheckpoints(directory: directory, logLastSequence: 0)
            try checkpoints.advance(0x01, to: ReplicationCheckpoint(sequence: 10, fingerprint: 1), localSequence: 90)
            try checkpoints.advance(0x02, to: ReplicationCheckpoint(sequence: 20, fingerprint: 2), localSequence: 120)
            let reloaded = ReplicationCheckpoints(directory: directory, logLastSequence: 100)
            #expect(reloaded.dropped.map(\.node) == [0x02])
            #expect(reloaded.dropped.first?.localSequence == 120)
            #expect(reloaded.checkpoint(for: 0x02) == .start)
            #expect(reloaded.checkpoint(for: 0x01).sequence == 10)
            #expect(try read(directory) == "0000000000000001 10 0000000000000001 90\n")
        }
    }

    /// The fingerprint is the first 8 bytes of the SHA-256 of the op's encoding, as
    /// STORAGE.md §1 says, so any implementation can compute it.
    @Test func theFingerprintIsTheHeadOfTheSHA256OfTheOpsEncoding() throws {
        let quote = try Quote(text: "Someone broke into our home.", speaker: "Mark Chen").canonicalized()
        let op = Op.put(quote, id: quote.id, timestamp: HybridTimestamp(rawValue: 0x0190_0000_0000_0001), origin: 0xAB)
        var writer = ByteWriter()
        op.encode(into: &writer)
        let digest = SHA256.hash(writer.bytes)
        #expect(op.fingerprint == digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        let delete = Op.delete(quote.id, timestamp: op.timestamp, origin: op.origin)
        #expect(delete.fingerprint != op.fingerprint)
        #expect(ReplicationCheckpoint(after: SequencedOp(sequence: 5, op: op)) == ReplicationCheckpoint(sequence: 5, fingerprint: op.fingerprint))
    }
}
