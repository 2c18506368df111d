/// Appends big-endian integers, length-prefixed strings and raw bytes to a growing buffer.
///
/// Every encoder in the project writes through this type, so the wire and log formats
/// share one definition of "a string" or "a u32": the one in Protocol/PROTOCOL.md.
public struct ByteWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    /// Creates an empty writer, reserving room for `capacity` bytes.
    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The number of bytes written so far.
    public var count: Int { bytes.count }

    /// Appends a fixed-width integer in big-endian byte order.

    public mutating func writeInteger<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends raw bytes with no length prefix.
    public mutating func writeBytes<C: Collection>(_ raw: C) where C.Element == UInt8 {
        bytes.append(contentsOf: raw)
    }

    /// Appends a byte field: a `u32` length, then the bytes.
    public mutating func writeLengthPrefixed<C: Collection>(_ raw: C) where C.Element == UInt8 {
        writeInteger(UInt32(raw.count))
        bytes.append(contentsOf: raw)
    }

    /// Appends a string field: a `u32` byte length, then its UTF-8 bytes.
    public mutating func writeString(_ string: String) {
        var copy = string
        copy.withUTF8 { utf8 in
            writeInteger(UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Drops the first `count` bytes (already sent).
    public mutating func removeFirst(_ count: Int) {
        if count == bytes.count {
            bytes.removeAll(keepingCapacity: bytes.capacity <= 1 << 20)
        } else {
            bytes.removeFirst(count)
        }
    }

    /// Overwrites a `u32` previously written at `offset`; used to patch frame lengths.
    public mutating func setInteger(_ value: UInt32, at offset: Int) {
        precondition(offset >= 0 && offset + 4 <= bytes.count, "patch outside the written bytes")
        bytes[offset] = UInt8(truncatingIfNeeded: value >> 24)
        bytes[offset + 1] = UInt8(truncatingIfNeeded: value >> 16)
        bytes[offset + 2] = UInt8(truncatingIfNeeded: value >> 8)
        bytes[offset + 3] = UInt8(truncatingIfNeeded: value)
    }
}
