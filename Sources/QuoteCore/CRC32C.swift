import CQuoteSupport

/// CRC32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum on log records and frames.
///
/// Uses the SSE4.2 `crc32` instruction when the CPU has it and a slicing-by-8 table
/// implementation otherwise; both give identical results.
public enum CRC32C {
    /// Whether checksums run on the CPU's CRC32C instruction rather than the table fallback.
    public static let isHardwareAccelerated = cqs_crc32c_hardware_available() != 0

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        update(0, bytes)
    }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// Extends a finished checksum with more bytes: the checksum of the previous bytes followed by `bytes`.
    ///
    /// Start from 0, the checksum of no bytes. `update(checksum(a), b)` equals the
    /// checksum of `a` followed by `b`, so data can be checksummed as it arrives.
    public static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        if isHardwareAccelerated {
            return ~cqs_crc32c_update(~crc, base, bytes.count)
        }
        return ~softwareUpdate(~crc, bytes)
    }

    /// The checksum of `bytes` computed by the table fallback, whatever the CPU supports.
    ///
    /// Exists so tests can check the fallback against the hardware path.
    public static func softwareChecksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        ~softwareUpdate(~0, bytes)
    }

    /// Eight 256-entry tables, concatenated: table `k` advances a byte followed by `k` zero bytes.
    ///
    /// Slicing-by-8 looks up all eight bytes of a word independently, so the
    /// lookups do not wait on one another as a byte-at-a-time loop would.
    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 {
                crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1
            }
            tables[byte] = crc
        }
        for slice in 1..<8 {
            for byte in 0..<256 {
                let previous = tables[(slice - 1) * 256 + byte]
                tables[slice * 256 + byte] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        return tables
    }()

    /// Folds `bytes` into the raw (pre-inverted) CRC register with the tables.
    private static func softwareUpdate(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        tables.withUnsafeBufferPointer { table in
            var crc = crc
            var offset = 0
            let wordEnd = bytes.count & ~7
            while offset < wordEnd {
                let low = crc ^ UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
                let high = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
                crc = table[7 * 256 + Int(low & 0xFF)]
                    ^ table[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ table[5 * 256 + Int((low >> 16) & 0xFF)]
                    ^ table[4 * 256 + Int(low >> 24)]
                    ^ table[3 * 256 + Int(high & 0xFF)]
                    ^ table[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ table[1 * 256 + Int((high >> 16) & 0xFF)]
                    ^ table[Int(high >> 24)]
                offset += 8
            }
            while offset < bytes.count {
                crc = (crc >> 8) ^ table[Int((crc ^ UInt32(bytes[offset])) & 0xFF)]
                offset += 1
            }
            return crc
        }
    }
}
