/// Reads big-endian integers and length-prefixed fields from raw memory without copying.
///
/// The codec's `ByteReader` hands its bytes to this reader for the quote layout, and the
/// store reads its log records and arena through it, so there is one reader of the format's
/// integers and fields. `read*` consumes; `integer(at:)` reads at an absolute index without
/// moving. Every declared length is checked against the bytes left and the caller's limit
/// before it is trusted; errors carry offsets counted from `base`, as the caller counts them.
public struct RawByteReader {
    /// The memory read; indexes below are into it.
    public let bytes: UnsafeRawBufferPointer
    /// The index of the next byte to read.
    public private(set) var index: Int
    /// One past the last byte this reader may read.
    public let endIndex: Int
    /// The index error offsets are counted from.
    let base: Int

    /// A reader over `bytes[range]` (all of it by default); errors count offsets from `base`
    /// (the range's start by default).
    public init(_ bytes: UnsafeRawBufferPointer, range: Range<Int>? = nil, offsetsFrom base: Int? = nil) {
        let range = range ?? 0..<bytes.count
        self.bytes = bytes
        index = range.lowerBound
        endIndex = range.upperBound
        self.base = base ?? range.lowerBound
    }

    /// The bytes not yet read.
    public var remaining: Int { endIndex - index }

    /// The position of the next byte, counted from `base`.
    public var offset: Int { index - base }

    /// The big-endian integer at `index`, which the caller knows is in range.
    @inlinable
    public func integer<T: FixedWidthInteger>(at index: Int, as: T.Type = T.self) -> T {
        T(bigEndian: bytes.loadUnaligned(fromByteOffset: index, as: T.self))
    }

    func require(_ count: Int) throws(DecodeError) {
        guard count <= endIndex - index else {
            throw .truncated(offset: offset, needed: count, available: endIndex - index)
        }
    }

    /// Reads a fixed-width big-endian integer.
    public mutating func readInteger<T: FixedWidthInteger>(as: T.Type = T.self) throws(DecodeError) -> T {
        try require(MemoryLayout<T>.size)
        let value = integer(at: index, as: T.self)
        index += MemoryLayout<T>.size
        return value
    }

    /// Skips `count` bytes.
    public mutating func skip(_ count: Int) throws(DecodeError) {
        try require(count)
        index += count
    }

    /// Reads a field (`u32` length, then that many bytes) of at most `maxBytes` and returns
    /// where its bytes are.
    public mutating func readField(maxBytes: Int) throws(DecodeError) -> Range<Int> {
        let lengthOffset = offset
        let length = Int(try readInteger(as: UInt32.self))
        guard length <= maxBytes else {
            throw .lengthTooLarge(offset: lengthOffset, length: length, limit: maxBytes)
        }
        try require(length)
        defer { index += length }
        return index..<(index + length)
    }

    /// Reads a list count (`u32`) and checks it against `maxCount` and, assuming each
    /// element takes at least `minElementBytes`, against the bytes left.
    public mutating func readCount(maxCount: Int, minElementBytes: Int) throws(DecodeError) -> Int {
        let countOffset = offset
        let count = Int(try readInteger(as: UInt32.self))
        guard count <= maxCount else {
            throw .lengthTooLarge(offset: countOffset, length: count, limit: maxCount)
        }
        guard count * minElementBytes <= remaining else {
            throw .truncated(offset: countOffset, needed: count * minElementBytes, available: remaining)
        }
        return count
    }
}
