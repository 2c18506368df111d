/// Consumes big-endian integers, length-prefixed strings and raw bytes from a buffer.
///
/// `read*` consumes, `peek*` does not. Every declared length is checked against the bytes
/// that remain (and the caller's limit) before anything is allocated, so a hostile length
/// costs nothing.
public struct ByteReader: Sendable {
    let storage: [UInt8]
    let endIndex: Int
    /// The position of the next byte to read, as an index into the underlying array.
    public private(set) var readerIndex: Int
    let baseIndex: Int

    /// Creates a reader over `bytes[range]` (the whole array by default) without copying.
    public init(_ bytes: [UInt8], range: Range<Int>? = nil) {
        let range = range ?? 0..<bytes.count
        storage = bytes
        readerIndex = range.lowerBound
        baseIndex = range.lowerBound
        endIndex = range.upperBound
    }

    /// The number of bytes not yet consumed.
    public var remaining: Int { endIndex - readerIndex }

    /// The offset of the next byte, counted from the start of the reader's range.
    public var offset: Int { readerIndex - baseIndex }

    func require(_ count: Int) throws(DecodeError) {
        guard count <= endIndex - readerIndex else {
            throw .truncated(offset: readerIndex - baseIndex, needed: count, available: endIndex - readerIndex)
        }
    }

    /// Reads a fixed-width big-endian integer.
    public mutating func readInteger<T: FixedWidthInteger>(as: T.Type = T.self) throws(DecodeError) -> T {
        try withRawReader { (raw) throws(DecodeError) in try raw.readInteger(as: T.self) }
    }

    /// Lets `parse` read the unread bytes in place through a `RawByteReader` (its offsets
    /// counted as this reader counts them), then consumes what it read.
    public mutating func withRawReader<Result>(
        _ parse: (inout RawByteReader) throws(DecodeError) -> Result
    ) throws(DecodeError) -> Result {
        let (start, end, base) = (readerIndex, endIndex, baseIndex)
        let outcome = storage.withUnsafeBytes { bytes in
            var raw = RawByteReader(bytes, range: start..<end, offsetsFrom: base)
            return Swift.Result { () throws(DecodeError) in (try parse(&raw), raw.index) }
        }
        let (value, index) = try outcome.get()
        readerIndex = index
        return value
    }

    /// Returns the next byte without consuming it, or nil at the end.
    public func peekByte() -> UInt8? {
        readerIndex < endIndex ? storage[readerIndex] : nil
    }

    /// Reads exactly `count` raw bytes.
    public mutating func readBytes(count: Int) throws(DecodeError) -> [UInt8] {
        try require(count)
        let slice = Array(storage[readerIndex..<(readerIndex + count)])
        readerIndex += count
        return slice
    }

    /// Reads a byte field (`u32` length, then bytes) of at most `maxBytes`.
    public mutating func readLengthPrefixed(maxBytes: Int) throws(DecodeError) -> [UInt8] {
        let lengthOffset = offset
        let length = Int(try readInteger(as: UInt32.self))
        guard length <= maxBytes else {
            throw .lengthTooLarge(offset: lengthOffset, length: length, limit: maxBytes)
        }
        return try readBytes(count: length)
    }

    /// Reads a string field (`u32` byte length, then UTF-8) of at most `maxBytes`.
    public mutating func readString(maxBytes: Int) throws(DecodeError) -> String {
        let lengthOffset = offset
        let length = Int(try readInteger(as: UInt32.self))
        guard length <= maxBytes else {
            throw .lengthTooLarge(offset: lengthOffset, length: length, limit: maxBytes)
        }
        try require(length)
        let start = readerIndex
        let string = storage.withUnsafeBufferPointer { buffer in
            String(validating: UnsafeBufferPointer(rebasing: buffer[start..<(start + length)]), as: UTF8.self)
        }
        guard let string else { throw .invalidUTF8(offset: lengthOffset + 4) }
        readerIndex += length
        return string
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

    /// Throws unless every byte has been consumed.
    public func expectEnd() throws(DecodeError) {
        guard remaining == 0 else { throw .trailingBytes(offset: offset, count: remaining) }
    }
}
