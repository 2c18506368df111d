/// Why a quote was rejected; each case maps to one wire error code (see `ErrorCode`).
public enum ValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text is empty once whitespace is trimmed.
    case emptyText
    /// The text exceeds `QuoteLimits.maxTextBytes` bytes of UTF-8.
    case textTooLong(bytes: Int)
    /// A field is not valid UTF-8 (only possible for bytes that arrive undecoded).
    case invalidUTF8(field: String)
    /// The speaker is empty once whitespace is trimmed.
    case missingSpeaker
    /// The date is malformed or does not exist (`2025-02-30`).
    case invalidDate(String)
    /// A field other than the text exceeds its byte limit.
    case fieldTooLong(field: String, bytes: Int, limit: Int)
    /// More tags than `QuoteLimits.maxTags`.
    case tooManyTags(count: Int)
    /// A tag is empty or holds characters tags may not hold.
    case invalidTag(String)
    /// The language tag is not of the form `fr`, `en`, `pt-br`.
    case invalidLanguage(String)
    /// A field holds a control character other than newline or tab in the text.
    case controlCharacter(field: String)

    /// The wire error code for this failure.
    public var code: ErrorCode {
        switch self {
        case .emptyText: return .emptyText
        case .textTooLong: return .textTooLong
        case .invalidUTF8: return .invalidUTF8
        case .missingSpeaker: return .missingSpeaker
        case .invalidDate: return .invalidDate
        case .fieldTooLong: return .fieldTooLong
        case .tooManyTags: return .tooManyTags
        case .invalidTag: return .invalidTag
        case .invalidLanguage: return .invalidLanguage
        case .controlCharacter: return .controlCharacter
        }
    }

    public var description: String {
        switch self {
        case .emptyText: return "the text is empty"
        case let .textTooLong(bytes): return "the text is \(bytes) bytes; the limit is \(QuoteLimits.maxTextBytes)"
        case let .invalidUTF8(field): return "the \(field) is not valid UTF-8"
        case .missingSpeaker: return "the speaker is missing"
        case let .invalidDate(reason): return "invalid date: \(reason)"
        case let .fieldTooLong(field, bytes, limit): return "the \(field) is \(bytes) bytes; the limit is \(limit)"
        case let .tooManyTags(count): return "\(count) tags; the limit is \(QuoteLimits.maxTags)"
        case let .invalidTag(reason): return "invalid tag: \(reason)"
        case let .invalidLanguage(tag): return "invalid language tag '\(tag)': expected letters like 'fr', 'en' or 'pt-br'"
        case let .controlCharacter(field): return "the \(field) holds a control character"
        }
    }
}

/// The size limits a quote must respect; Protocol/STORAGE.md lists the same numbers.
public enum QuoteLimits {
    /// The largest text, in bytes of UTF-8 after canonicalization.
    public static let maxTextBytes = 65_536
    /// The largest speaker name, in bytes.
    public static let maxSpeakerBytes = 256
    /// The largest source, in bytes.
    public static let maxSourceBytes = 1_024
    /// The largest language tag, in bytes.
    public static let maxLanguageBytes = 35
    /// The most tags on one quote.
    public static let maxTags = 32
    /// The largest tag, in bytes.
    public static let maxTagBytes = 64
}
