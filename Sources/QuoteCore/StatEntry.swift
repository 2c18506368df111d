/// One named value of a STATS response: a counter or a piece of text.
public struct StatEntry: Hashable, Sendable {
    /// A counter or a text.
    public enum Value: Hashable, Sendable, CustomStringConvertible {
        /// A number (counts, bytes, seconds, ids).
        case integer(UInt64)
        /// Text (a state, an address, an error).
        case text(String)

        public var description: String {
            switch self {
            case let .integer(value): return String(value)
            case let .text(value): return value
            }
        }
    }

    /// A dotted name such as `quotes.live` or `ops.add`.
    public var name: String
    /// Its value.
    public var value: Value

    /// Creates an entry.
    public init(_ name: String, _ value: Value) {
        self.name = name
        self.value = value
    }

    func encode(into writer: inout ByteWriter) {
        writer.writeString(name)
        switch value {
        case let .integer(number):
            writer.writeInteger(UInt8(0))
            writer.writeInteger(number)
        case let .text(text):
            writer.writeInteger(UInt8(1))
            writer.writeString(text)
        }
    }

    static func decode(from reader: inout ByteReader) throws(DecodeError) -> StatEntry {
        let name = try reader.readString(maxBytes: WireLimits.maxStatNameBytes)
        let offset = reader.offset
        switch try reader.readInteger(as: UInt8.self) {
        case 0: return StatEntry(name, .integer(try reader.readInteger(as: UInt64.self)))
        case 1: return StatEntry(name, .text(try reader.readString(maxBytes: WireLimits.maxStatTextBytes)))
        default: throw .invalidValue(offset: offset, field: "stat kind")
        }
    }
}
