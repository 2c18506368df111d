/// The outcome of one quote of an ADD batch, in the batch's order.
public struct AddResult: Hashable, Sendable {
    /// What happened to the quote.
    public enum Status: UInt8, Sendable {
        /// Stored now.
        case added = 0
        /// An identical quote was already stored; nothing changed.
        case alreadyPresent = 1
        /// Refused; `code` and `message` say why.
        case rejected = 2
        /// A quote with these words by this speaker is stored with other metadata (date,
        /// source, lang or tags); nothing changed. Sending it with `replace` updates it.
        case differs = 3
        /// A quote with this id was stored with other metadata; the new metadata replaced it.
        case updated = 4

        /// The name PROTOCOL.md gives the status: `added`, `already_present`, `rejected`,
        /// `differs`, `updated`.
        public var name: String {
            switch self {
            case .added: return "added"
            case .alreadyPresent: return "already_present"
            case .rejected: return "rejected"
            case .differs: return "differs"
            case .updated: return "updated"
            }
        }
    }

    /// What happened to the quote.
    public var status: Status
    /// The quote's id (for `differs`, the stored quote's); all zero when rejected.
    public var id: QuoteID
    /// Why it was rejected; 0 otherwise.
    public var code: ErrorCode
    /// The reason in words: why it was rejected, or what differs; empty otherwise.
    public var message: String

    /// A quote stored now or before.
    public static func stored(_ id: QuoteID, new: Bool) -> AddResult {
        AddResult(status: new ? .added : .alreadyPresent, id: id, code: ErrorCode(rawValue: 0), message: "")
    }

    /// A quote stored with other metadata than the one sent, left as it was.
    public static func differs(_ id: QuoteID) -> AddResult {
        AddResult(status: .differs, id: id, code: ErrorCode(rawValue: 0),
                  message: "stored with other metadata (date, source, lang or tags); nothing changed; replace to update it")
    }

    /// A quote whose metadata the one sent replaced.
    public static func updated(_ id: QuoteID) -> AddResult {
        AddResult(status: .updated, id: id, code: ErrorCode(rawValue: 0), message: "")
    }

    /// A quote refused.
    public static func rejected(_ code: ErrorCode, _ message: String) -> AddResult {
        AddResult(status: .rejected, id: QuoteID(high: 0, low: 0), code: code, message: message)
    }

    /// Creates a result.
    public init(status: Status, id: QuoteID, code: ErrorCode, message: String) {
        self.status = status
        self.id = id
        self.code = code
        self.message = message
    }

    /// The fewest bytes a result encodes to: status, id, code and an empty message.
    static let minimumEncodedBytes = 1 + 16 + 2 + 4

    func encode(into writer: inout ByteWriter) {
        writer.writeInteger(status.rawValue)
        id.encode(into: &writer)
        writer.writeInteger(code.rawValue)
        writer.writeString(message)
    }

    static func decode(from reader: inout ByteReader) throws(DecodeError) -> AddResult {
        let offset = reader.offset
        guard let status = Status(rawValue: try reader.readInteger(as: UInt8.self)) else {
            throw .invalidValue(offset: offset, field: "add status")
        }
        let id = try QuoteID.decode(from: &reader)
        let code = ErrorCode(rawValue: try reader.readInteger(as: UInt16.self))
        let message = try reader.readString(maxBytes: WireLimits.maxAddMessageBytes)
        return AddResult(status: status, id: id, code: code, message: message)
    }
}
