import QuoteCore
import Testing

@Suite struct CRC32CTests {
    @Test func checkValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    @Test func emptyInputIsZero() {
        #expect(CRC32C.checksum([]) == 0)
        #expect(CRC32C.update(0x1234_5678, UnsafeRawBufferPointer(start: nil, count: 0)) == 0x1234_5678)
    }

    /// RFC 3720, appendix B.4.
    @Test func iSCSIVectors() {
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).reversed().map { UInt8($0) }) == 0x113F_DB5C)
    }

    @Test func softwarePathMatchesCheckValue() {
        Array("123456789".utf8).withUnsafeBytes { bytes in
            #expect(CRC32C.softwareChecksum(bytes) == 0xE306_9283)
        }
    }

    @Test func incrementalMatchesOneShot() {
        var generator = SplitMix64(seed: 0xC0FF_EE)
        for _ in 0..<200 {
            let message = randomBytes(count: Int.random(in: 0...3000, using: &generator), using: &generator)
            let expected = CRC32C.checksum(message)
            message.withUnsafeBytes { bytes in
                var crc: UInt32 = 0
                var start = 0
                while start < bytes.count {
                    let end = min(bytes.count, start + Int.random(in: 0...97, using: &generator))
                    crc = CRC32C.update(crc, UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                    start = end
                }
                #expect(crc == expected)
            }
        }
    }

    @Test func softwareMatchesHardwareAcrossLengthsAndAlignments() {
        var generator = SplitMix64(seed: 42)
        let buffer = randomBytes(count: 4096 + 8, using: &generator)
        buffer.withUnsafeBytes { all in
            for alignment in 0..<8 {
                for count in Array(0...130) + [255, 256, 257, 1000, 4095, 4096] {
                    let slice = UnsafeRawBufferPointer(rebasing: all[alignment..<(alignment + count)])
                    #expect(CRC32C.softwareChecksum(slice) == CRC32C.checksum(slice),
                            "length \(count), alignment \(alignment)")
                }
            }
        }
    }
}

private func randomBytes(count: Int, using generator: inout SplitMix64) -> [UInt8] {
    (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
}
