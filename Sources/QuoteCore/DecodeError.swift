/// Why bytes could not be decoded; offsets are relative to the start of the decoded buffer.
public enum DecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer bytes remain than the field at `offset` needs.
    case truncated(offset: Int, needed: Int, available: Int)
    /// A declared length exceeds what the format allows for that field.
    case lengthTooLarge(offset: Int, length: Int, limit: Int)
    /// A string field holds bytes that are not valid UTF-8.
    case invalidUTF8(offset: Int)
    /// A field holds a value the format does not define (an unknown tag, a bad flag).
    case invalidValue(offset: Int, field: String)
    /// Bytes remain after the message ended.
    case trailingBytes(offset: Int, count: Int)

    public var description: String {
        switch self {
        case let .truncated(offset, needed, available):
            return "truncated at byte \(offset): needed \(needed), \(available) left"
        case let .lengthTooLarge(offset, length, limit):
            return "length \(length) at byte \(offset) exceeds the limit of \(limit)"
        case let .invalidUTF8(offset):
            return "invalid UTF-8 in the string at byte \(offset)"
        case let .invalidValue(offset, field):
            return "invalid \(field) at byte \(offset)"
        case let .trailingBytes(offset, count):
            return "\(count) unexpected bytes after the message at byte \(offset)"
        }
    }
}
