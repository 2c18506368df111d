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

    // The concrete forms below are what other modules call: a generic method of this
    // module runs unspecialized from theirs, through witness tables, and the store and the
    // server write every record and response through them.

    /// Appends a byte.
    public mutating func writeInteger(_ value: UInt8) {
        bytes.append(value)
    }

    /// Appends a `u16`, big-endian.
    public mutating func writeInteger(_ value: UInt16) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends a `u32`, big-endian.
    public mutating func writeInteger(_ value: UInt32) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends a `u64`, big-endian.
    public mutating func writeInteger(_ value: UInt64) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends raw bytes with no length prefix.
    public mutating func writeBytes<C: Collection>(_ raw: C) where C.Element == UInt8 {
        bytes.append(contentsOf: raw)
    }

    /// Appends raw bytes with no length prefix.
    public mutating func writeBytes(_ raw: [UInt8]) {
        bytes.append(contentsOf: raw)
    }

    /// Appends raw bytes with no length prefix.
    public mutating func writeBytes(_ raw: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: raw)
    }

    /// Drops everything after the first `count` bytes, as when a response being written
    /// turns into an error.
    public mutating func truncate(to count: Int) {
        precondition(count >= 0 && count <= bytes.count, "truncating past the written bytes")
        bytes.removeSubrange(count...)
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
