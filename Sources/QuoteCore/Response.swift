/// A response the server sends, one case per response opcode.
public enum Response: Hashable, Sendable {
    /// HELLO_OK.
    case hello(HelloReply)
    /// PING_OK: the bytes the PING carried.
    case pong([UInt8])
    /// ADD_OK: one result per quote, in order.
    case added([AddResult])
    /// GET_OK: the quote.
    case quote(ArchivedQuote)
    /// DELETE_OK: the full id of the quote deleted.
    case deleted(QuoteID)
    /// SEARCH_OK: a page of quotes and the cursor of the next page (empty when none).
    case searchPage([ArchivedQuote], cursor: [UInt8])
    /// RANDOM_OK: the quote picked.
    case randomQuote(ArchivedQuote)
    /// STATS_OK: named values.
    case stats([StatEntry])
    /// CHANGES_OK: ops in sequence order and the archive's last sequence number when sent.
    case changes([SequencedOp], lastSequence: UInt64)
    /// EDIT_OK: what happened to the new quote, and the id it replaced.
    case edited(AddResult, previous: QuoteID)
    /// DIGEST_OK: the number of live quotes, the 32-byte content digest (live quotes and
    /// their metadata) and the 32-byte digest of every id's winning op.
    case digest(liveCount: UInt64, content: [UInt8], ops: [UInt8])
    /// DIGEST_RANGE_OK: a range's count and content digest, and its sub-ranges or quotes.
    case digestRange(DigestRange)
    /// SPEAKERS_OK: how many speakers matched, and the first `limit` of them.
    case speakers(matching: UInt32, [SpeakerCount])
    /// COUNT_OK: how many live quotes match.
    case count(UInt64)
    /// APPLY_OK: how many of the ops were appended.
    case applied(UInt32)
    /// AUTH_OK: the token's role and the server's proof that it knows the token too.
    case authenticated(role: UInt8, serverProof: [UInt8])
    /// ERROR: a code and a message.
    case error(ErrorCode, String)

    /// The response's opcode.
    public var opcode: Opcode {
        switch self {
        case .hello: return Opcode.hello.response
        case .pong: return Opcode.ping.response
        case .added: return Opcode.add.response
        case .quote: return Opcode.get.response
        case .deleted: return Opcode.delete.response
        case .searchPage: return Opcode.search.response
        case .randomQuote: return Opcode.random.response
        case .stats: return Opcode.stats.response
        case .changes: return Opcode.changes.response
        case .edited: return Opcode.edit.response
        case .digest: return Opcode.digest.response
        case .digestRange: return Opcode.digestRange.response
        case .speakers: return Opcode.speakers.response
        case .count: return Opcode.count.response
        case .applied: return Opcode.apply.response
        case .authenticated: return Opcode.auth.response
        case .error: return .error
        }
    }

    /// Writes the payload (not the frame header).
    public func encodePayload(into writer: inout ByteWriter) {
        switch self {
        case let .hello(reply): reply.encode(into: &writer)
        case let .pong(bytes): writer.writeLengthPrefixed(bytes)
        case let .added(results):
            writer.writeInteger(UInt32(results.count))
            for result in results { result.encode(into: &writer) }
        case let .quote(quote), let .randomQuote(quote): quote.encode(into: &writer)
        case let .deleted(id): id.encode(into: &writer)
        case let .searchPage(quotes, cursor):
            writer.writeInteger(UInt32(quotes.count))
            for quote in quotes { quote.encode(into: &writer) }
            writer.writeLengthPrefixed(cursor)
        case let .stats(entries):
            writer.writeInteger(UInt32(entries.count))
            for entry in entries { entry.encode(into: &writer) }
        case let .changes(ops, lastSequence):
            writer.writeInteger(UInt32(ops.count))
            for op in ops { op.encode(into: &writer) }
            writer.writeInteger(lastSequence)
        case let .edited(result, previous):
            result.encode(into: &writer)
            previous.encode(into: &writer)
        case let .digest(liveCount, content, ops):
            writer.writeInteger(liveCount)
            writer.writeBytes(content)
            writer.writeBytes(ops)
        case let .digestRange(range): range.encode(into: &writer)
        case let .count(count): writer.writeInteger(count)
        case let .speakers(matching, speakers):
            writer.writeInteger(matching)
            writer.writeInteger(UInt32(speakers.count))
            for speaker in speakers { speaker.encode(into: &writer) }
        case let .applied(count):
            writer.writeInteger(count)
        case let .authenticated(role, proof):
            writer.writeInteger(role)
            writer.writeLengthPrefixed(proof)
        case let .error(code, message):
            writer.writeInteger(code.rawValue)
            writer.writeString(message)
        }
    }

    /// Appends the whole frame for this response to `writer`.
    public func encodeFrame(requestID: UInt32, into writer: inout ByteWriter) {
        Frame.encode(opcode: opcode, requestID: requestID, into: &writer) { encodePayload(into: &$0) }
    }

    /// The whole frame for this response.
    public func frame(requestID: UInt32) -> Frame {
        var writer = ByteWriter()
        encodePayload(into: &writer)
        return Frame(opcode: opcode, requestID: requestID, payload: writer.bytes)
    }

    /// Decodes a response payload; an opcode that is not a response yields nil.
    public static func decode(opcode: Opcode, payload: [UInt8]) throws(DecodeError) -> Response? {
        var reader = ByteReader(payload)
        let response: Response
        switch opcode {
        case Opcode.hello.response: response = .hello(try HelloReply.decode(from: &reader))
        case Opcode.ping.response: response = .pong(try reader.readLengthPrefixed(maxBytes: payload.count))
        case Opcode.add.response:
            let count = try reader.readCount(maxCount: Int(UInt32.max), minElementBytes: AddResult.minimumEncodedBytes)
            var results: [AddResult] = []
            results.reserveCapacity(count)
            for _ in 0..<count { results.append(try AddResult.decode(from: &reader)) }
            response = .added(results)
        case Opcode.get.response: response = .quote(try ArchivedQuote.decode(from: &reader))
        case Opcode.delete.response: response = .deleted(try QuoteID.decode(from: &reader))
        case Opcode.search.response:
            let count = try reader.readCount(
                maxCount: Int(UInt32.max), minElementBytes: ArchivedQuote.minimumEncodedBytes)
            var quotes: [ArchivedQuote] = []
            quotes.reserveCapacity(count)
            for _ in 0..<count { quotes.append(try ArchivedQuote.decode(from: &reader)) }
            response = .searchPage(quotes, cursor: try reader.readLengthPrefixed(maxBytes: WireLimits.maxCursorBytes))
        case Opcode.random.response: response = .randomQuote(try ArchivedQuote.decode(from: &reader))
        case Opcode.stats.response:
            let count = try reader.readCount(maxCount: WireLimits.maxStatEntries, minElementBytes: 9)
            var entries: [StatEntry] = []
            for _ in 0..<count { entries.append(try StatEntry.decode(from: &reader)) }
            response = .stats(entries)
        case Opcode.changes.response:
            let count = try reader.readCount(maxCount: Int(UInt32.max), minElementBytes: SequencedOp.Layout.fixedBytes)
            var ops: [SequencedOp] = []
            ops.reserveCapacity(count)
            for _ in 0..<count { ops.append(try SequencedOp.decode(from: &reader)) }
            response = .changes(ops, lastSequence: try reader.readInteger(as: UInt64.self))
        case Opcode.digest.response:
            let liveCount = try reader.readInteger(as: UInt64.self)
            let content = try reader.readBytes(count: 32)
            response = .digest(liveCount: liveCount, content: content, ops: try reader.readBytes(count: 32))
        case Opcode.digestRange.response: response = .digestRange(try DigestRange.decode(from: &reader))
        case Opcode.count.response: response = .count(try reader.readInteger(as: UInt64.self))
        case Opcode.speakers.response:
            let matching = try reader.readInteger(as: UInt32.self)
            let count = try reader.readCount(maxCount: WireLimits.maxSearchLimit, minElementBytes: SpeakerCount.minimumEncodedBytes)
            var speakers: [SpeakerCount] = []
            speakers.reserveCapacity(count)
            for _ in 0..<count { speakers.append(try SpeakerCount.decode(from: &reader)) }
            response = .speakers(matching: matching, speakers)
        case Opcode.edit.response:
            let result = try AddResult.decode(from: &reader)
            response = .edited(result, previous: try QuoteID.decode(from: &reader))
        case Opcode.apply.response: response = .applied(try reader.readInteger(as: UInt32.self))
        case Opcode.auth.response:
            let role = try reader.readInteger(as: UInt8.self)
            response = .authenticated(role: role, serverProof: try reader.readLengthPrefixed(maxBytes: WireLimits.maxAuthFieldBytes))
        case .error:
            let code = ErrorCode(rawValue: try reader.readInteger(as: UInt16.self))
            response = .error(code, try reader.readString(maxBytes: WireLimits.maxErrorMessageBytes))
        default: return nil
        }
        try reader.expectEnd()
        return response
    }
}
