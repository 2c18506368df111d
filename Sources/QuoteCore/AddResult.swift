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
    }

    /// What happened to the quote.
    public var status: Status
    /// The quote's id; all zero when rejected.
    public var id: QuoteID
    /// Why it was rejected; 0 otherwise.
    public var code: ErrorCode
    /// The reason in words; empty unless rejected.
    public var message: String

    /// A quote stored now or before.
    public static func stored(_ id: QuoteID, new: Bool) -> AddResult {
        AddResult(status: new ? .added : .alreadyPresent, id: id, code: ErrorCode(rawValue: 0), message: "")
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
