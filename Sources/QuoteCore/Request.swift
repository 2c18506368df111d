/// A request a client sends, one case per request opcode.
public enum Request: Hashable, Sendable {
    /// Opens the session.
    case hello(Hello)
    /// Liveness check; the bytes are echoed.
    case ping([UInt8])
    /// Adds quotes; each is validated on its own. A quote stored with other metadata is
    /// left as it is (`differs`) unless `replace` is set (`updated`).
    case add([Quote], replace: Bool = false)
    /// Replaces the live quote `id` (an id or unique prefix) by `quote` in one durable batch:
    /// its metadata under the same id, or, when the text or speaker changed, a new id whose
    /// put goes with a delete of the old one.
    case edit(id: String, Quote)
    /// Fetches a quote by id or unique hex prefix.
    case get(String)
    /// Deletes a quote by id or unique hex prefix.
    case delete(String)
    /// Searches: filters, a page size, and the cursor of the previous page (empty at first).
    case search(SearchFilter, limit: UInt32, cursor: [UInt8])
    /// Picks a matching quote: uniformly when `day` is 0, else the quote of that day
    /// (days since 1970-01-01, UTC), the same for every client.
    case random(SearchFilter, day: UInt32)
    /// Asks for server and archive counters.
    case stats
    /// Asks for ops with a sequence number above `since`, at most `maxOps` per response;
    /// with `follow`, the server keeps sending new ops as they are appended.
    case changes(since: UInt64, maxOps: UInt32, follow: Bool)
    /// Asks for the archive's digest.
    case digest
    /// Asks for the content digest of the live quotes whose ids start with `prefix`
    /// (0 to 16 bytes), and its sub-ranges' or its quotes.
    case digestRange(prefix: [UInt8])
    /// Asks for the speakers whose names have every word of `query` (the last a prefix
    /// when it ends in `*`), most quotes first, at most `limit`.
    case speakers(query: String, limit: UInt32)
    /// Asks how many live quotes match the filter.
    case count(SearchFilter)
    /// Hands ops to apply; ops that lose or are known are skipped.
    case apply([Op])
    /// Proves knowledge of the token named `tokenName`: `proof` is
    /// `Authentication.clientProof` over the server's nonce and `clientNonce`.
    case auth(tokenName: String, clientNonce: [UInt8], proof: [UInt8])

    /// ADD's flag bit asking that quotes stored with other metadata be updated.
    public static let replaceFlag: UInt8 = 0x01

    /// The largest ADD batch a server accepts.
    public static let maxBatchCount = WireLimits.maxAddBatch
    /// The largest page a SEARCH may ask for.
    public static let maxSearchLimit = UInt32(WireLimits.maxSearchLimit)

    /// The request's opcode.
    public var opcode: Opcode {
        switch self {
        case .hello: return .hello
        case .ping: return .ping
        case .add: return .add
        case .edit: return .edit
        case .get: return .get
        case .delete: return .delete
        case .search: return .search
        case .random: return .random
        case .stats: return .stats
        case .changes: return .changes
        case .digest: return .digest
        case .digestRange: return .digestRange
        case .speakers: return .speakers
        case .count: return .count
        case .apply: return .apply
        case .auth: return .auth
        }
    }

    /// Writes the payload (not the frame header).
    public func encodePayload(into writer: inout ByteWriter) {
        switch self {
        case let .hello(hello): hello.encode(into: &writer)
        case let .ping(bytes): writer.writeLengthPrefixed(bytes)
        case let .add(quotes, replace):
            writer.writeInteger(replace ? Request.replaceFlag : 0)
            writer.writeInteger(UInt32(quotes.count))
            for quote in quotes { quote.encode(into: &writer) }
        case let .get(id), let .delete(id): writer.writeString(id)
        case let .edit(id, quote):
            writer.writeString(id)
            quote.encode(into: &writer)
        case let .search(filter, limit, cursor):
            filter.encode(into: &writer)
            writer.writeInteger(limit)
            writer.writeLengthPrefixed(cursor)
        case let .random(filter, day):
            filter.encode(into: &writer)
            writer.writeInteger(day)
        case .stats, .digest: break
        case let .digestRange(prefix): writer.writeLengthPrefixed(prefix)
        case let .speakers(query, limit):
            writer.writeString(query)
            writer.writeInteger(limit)
        case let .count(filter): filter.encode(into: &writer)
        case let .apply(ops):
            writer.writeInteger(UInt32(ops.count))
            for op in ops { op.encode(into: &writer) }
        case let .auth(name, clientNonce, proof):
            writer.writeString(name)
            writer.writeLengthPrefixed(clientNonce)
            writer.writeLengthPrefixed(proof)
        case let .changes(since, maxOps, follow):
            writer.writeInteger(since)
            writer.writeInteger(maxOps)
            writer.writeInteger(UInt8(follow ? 1 : 0))
        }
    }

    /// The whole frame for this request.
    public func frame(requestID: UInt32) -> Frame {
        var writer = ByteWriter()
        encodePayload(into: &writer)
        return Frame(opcode: opcode, requestID: requestID, payload: writer.bytes)
    }

    /// Decodes a request payload; an opcode that is not a request yields nil.
    public static func decode(opcode: Opcode, payload: [UInt8]) throws(DecodeError) -> Request? {
        guard let kind = RequestKind(opcode) else { return nil }
        var reader = ByteReader(payload)
        let request: Request
        switch kind {
        case .hello: request = .hello(try Hello.decode(from: &reader))
        case .ping: request = .ping(try reader.readLengthPrefixed(maxBytes: payload.count))
        case .add:
            let flagsOffset = reader.offset
            let flags = try reader.readInteger(as: UInt8.self)
            guard flags & ~Request.replaceFlag == 0 else { throw .invalidValue(offset: flagsOffset, field: "add flags") }
            let count = try reader.readCount(maxCount: Int(UInt32.max), minElementBytes: QuoteFields.minimumEncodedBytes)
            var quotes: [Quote] = []
            quotes.reserveCapacity(count)
            for _ in 0..<count { quotes.append(try Quote.decode(from: &reader)) }
            request = .add(quotes, replace: flags & Request.replaceFlag != 0)
        case .edit:
            let id = try reader.readString(maxBytes: WireLimits.maxIDTextBytes)
            request = .edit(id: id, try Quote.decode(from: &reader))
        case .get: request = .get(try reader.readString(maxBytes: WireLimits.maxIDTextBytes))
        case .delete: request = .delete(try reader.readString(maxBytes: WireLimits.maxIDTextBytes))
        case .search:
            let filter = try SearchFilter.decode(from: &reader)
            let limit = try reader.readInteger(as: UInt32.self)
            request = .search(filter, limit: limit, cursor: try reader.readLengthPrefixed(maxBytes: WireLimits.maxCursorBytes))
        case .random:
            let filter = try SearchFilter.decode(from: &reader)
            request = .random(filter, day: try reader.readInteger(as: UInt32.self))
        case .stats: request = .stats
        case .digest: request = .digest
        case .digestRange: request = .digestRange(prefix: try reader.readLengthPrefixed(maxBytes: WireLimits.maxDigestRangePrefixBytes))
        case .speakers:
            let query = try reader.readString(maxBytes: WireLimits.maxFilterSpeakerBytes)
            request = .speakers(query: query, limit: try reader.readInteger(as: UInt32.self))
        case .count: request = .count(try SearchFilter.decode(from: &reader))
        case .apply:
            let count = try reader.readCount(maxCount: Int(UInt32.max), minElementBytes: Op.fixedBytes)
            var ops: [Op] = []
            ops.reserveCapacity(count)
            for _ in 0..<count { ops.append(try Op.decode(from: &reader)) }
            request = .apply(ops)
        case .auth:
            let name = try reader.readString(maxBytes: WireLimits.maxAuthFieldBytes)
            let clientNonce = try reader.readLengthPrefixed(maxBytes: WireLimits.maxAuthFieldBytes)
            request = .auth(tokenName: name, clientNonce: clientNonce,
                            proof: try reader.readLengthPrefixed(maxBytes: WireLimits.maxAuthFieldBytes))
        case .changes:
            let since = try reader.readInteger(as: UInt64.self)
            let maxOps = try reader.readInteger(as: UInt32.self)
            let followOffset = reader.offset
            let follow = try reader.readInteger(as: UInt8.self)
            guard follow <= 1 else { throw .invalidValue(offset: followOffset, field: "follow flag") }
            request = .changes(since: since, maxOps: maxOps, follow: follow == 1)
        }
        try reader.expectEnd()
        return request
    }
}
