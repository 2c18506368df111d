/// A quote's identity: the first 16 bytes of SHA-256 over its canonical encoding.
///
/// Printed as 32 lowercase hex characters. Stored as two big-endian halves so that
/// comparing ids compares their bytes.
public struct QuoteID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The first 8 bytes, big-endian.
    public let high: UInt64
    /// The last 8 bytes, big-endian.
    public let low: UInt64

    /// The number of bytes in an id.
    public static let byteCount = 16
    /// The shortest hex prefix accepted where an id is expected.
    public static let minimumPrefixLength = 6

    /// Creates an id from its two halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Creates an id from the first 16 of `bytes`, such as a SHA-256 digest.
    ///
    /// Not generic: called from other modules, the generic form ran unspecialized, looking
    /// up type metadata per byte, and cost a tenth of an ADD.
    public init(bytes: [UInt8]) {
        precondition(bytes.count >= 16, "an id needs 16 bytes")
        self = bytes.withUnsafeBytes { raw in
            QuoteID(high: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                    low: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }
    }

    /// Creates an id from the first 16 of `bytes`.
    public init<C: Collection>(bytes: C) where C.Element == UInt8 {
        precondition(bytes.count >= 16, "an id needs 16 bytes")
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in bytes.prefix(16).enumerated() {
            if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
        }
        self.init(high: high, low: low)
    }

    /// Parses 32 hex characters (either case); nil otherwise.
    public init?(hex: String) {
        guard hex.utf8.count == 32, let prefix = QuoteIDPrefix(hex: hex) else { return nil }
        self.init(high: prefix.high, low: prefix.low)
    }

    /// The id's 16 bytes.
    public var bytes: [UInt8] {
        var writer = ByteWriter(capacity: 16)
        writer.writeInteger(high)
        writer.writeInteger(low)
        return writer.bytes
    }

    /// The id as 32 lowercase hex characters.
    public var description: String { Hex.encode(bytes) }

    /// The first `length` hex characters, for human output.
    public func short(_ length: Int = 8) -> String { String(description.prefix(length)) }

    public static func < (lhs: QuoteID, rhs: QuoteID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    /// Writes the 16 raw bytes.
    public func encode(into writer: inout ByteWriter) {
        writer.writeInteger(high)
        writer.writeInteger(low)
    }

    /// Reads 16 raw bytes.
    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> QuoteID {
        let high = try reader.readInteger(as: UInt64.self)
        let low = try reader.readInteger(as: UInt64.self)
        return QuoteID(high: high, low: low)
    }
}

/// A hex prefix of an id (6 to 32 characters) and the range of ids it covers.
public struct QuoteIDPrefix: Hashable, Sendable, CustomStringConvertible {
    /// The prefix's bits, left-aligned: the smallest id it covers, high half.
    public let high: UInt64
    /// The smallest id it covers, low half.
    public let low: UInt64
    /// The number of hex digits given.
    public let length: Int

    /// Parses 1 to 32 hex characters; callers enforce `QuoteID.minimumPrefixLength`.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard (1...32).contains(digits.count) else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, digit) in digits.enumerated() {
            guard let value = Hex.value(of: digit) else { return nil }
            if index < 16 {
                high |= UInt64(value) << (60 - 4 * index)
            } else {
                low |= UInt64(value) << (60 - 4 * (index - 16))
            }
        }
        self.high = high
        self.low = low
        self.length = digits.count
    }

    /// The smallest id this prefix covers.
    public var lowerBound: QuoteID { QuoteID(high: high, low: low) }

    /// Whether `id` starts with this prefix.
    public func matches(_ id: QuoteID) -> Bool {
        if length >= 16 {
            let lowBits = (length - 16) * 4
            let mask: UInt64 = lowBits == 0 ? 0 : ~UInt64(0) << (64 - lowBits)
            return id.high == high && (id.low & mask) == low
        }
        let mask = ~UInt64(0) << (64 - length * 4)
        return (id.high & mask) == high
    }

    /// The prefix as lowercase hex.
    public var description: String { String(QuoteID(high: high, low: low).description.prefix(length)) }
}

/// Lowercase hex encoding shared by ids, digests and test vectors.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Encodes bytes as lowercase hex.
    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes hex (either case, whitespace ignored); nil on any other character or odd length.
    public static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var pending: UInt8?
        for character in text.utf8 {
            if character == 0x20 || character == 0x0A || character == 0x09 || character == 0x0D { continue }
            guard let value = value(of: character) else { return nil }
            if let high = pending {
                out.append(high << 4 | value)
                pending = nil
            } else {
                pending = value
            }
        }
        return pending == nil ? out : nil
    }

    static func value(of digit: UInt8) -> UInt8? {
        switch digit {
        case 0x30...0x39: return digit - 0x30
        case 0x61...0x66: return digit - 0x61 + 10
        case 0x41...0x46: return digit - 0x41 + 10
        default: return nil
        }
    }
}
