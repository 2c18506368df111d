import QuoteCore
import Testing

/// One file of Protocol/vectors/: the value it holds, how to encode it, and how to check
/// that the file decodes back to that value and re-encodes byte for byte.
struct GoldenVector: Sendable, CustomTestStringConvertible {
    /// What the file holds.
    enum Content: Sendable {
        /// A whole request frame.
        case request(Request, requestID: UInt32)
        /// A whole response frame.
        case response(Response, requestID: UInt32)
        /// A canonical quote's encoding, the `id` its hash gives, and the raw input it came from.
        case quote(Quote, id: String, raw: Quote?)
        /// One log record.
        case logRecord(SequencedOp)
        /// A whole log file: header, then one record per op.
        case logFile([SequencedOp])
    }

    /// The file name inside Protocol/vectors/.
    let file: String
    /// What the vector shows, for vectors.json.
    let summary: String
    /// The value.
    let content: Content
    /// Further facts for vectors.json (the archive a digest was computed from).
    var extra: [(String, JSONValue)] = []

    var testDescription: String { file }

    /// The kind named in vectors.json.
    var kind: String {
        switch content {
        case .request: return "request"
        case .response: return "response"
        case .quote: return "quote"
        case .logRecord: return "log-record"
        case .logFile: return "log-file"
        }
    }

    /// The exact bytes of the file.
    var bytes: [UInt8] {
        switch content {
        case let .request(request, requestID): return request.frame(requestID: requestID).encoded
        case let .response(response, requestID): return response.frame(requestID: requestID).encoded
        case let .quote(quote, _, _):
            var writer = ByteWriter()
            quote.encode(into: &writer)
            return writer.bytes
        case let .logRecord(sequenced): return GoldenVector.logRecord(sequenced)
        case let .logFile(records): return GoldenVector.logHeader + records.flatMap(GoldenVector.logRecord)
        }
    }

    /// Decodes `bytes` as this vector's kind and checks it against `content`.
    func verify(_ bytes: [UInt8]) throws {
        switch content {
        case let .request(request, requestID):
            let frame = try GoldenVector.singleFrame(bytes)
            #expect(frame.opcode == request.opcode)
            #expect(frame.requestID == requestID)
            #expect(try Request.decode(opcode: frame.opcode, payload: frame.payload) == request)
            #expect(frame.encoded == bytes)
        case let .response(response, requestID):
            let frame = try GoldenVector.singleFrame(bytes)
            #expect(frame.opcode == response.opcode)
            #expect(frame.requestID == requestID)
            #expect(try Response.decode(opcode: frame.opcode, payload: frame.payload) == response)
            var writer = ByteWriter()
            response.encodeFrame(requestID: requestID, into: &writer)
            #expect(writer.bytes == bytes)
        case let .quote(quote, id, raw):
            var reader = ByteReader(bytes)
            let decoded = try Quote.decode(from: &reader)
            try reader.expectEnd()
            #expect(decoded == quote)
            #expect(try decoded.canonicalized() == decoded, "a vector quote must already be canonical")
            #expect(decoded.id.description == id)
            if let raw {
                // Compare bytes: String equality would accept NFD for NFC.
                var writer = ByteWriter()
                try raw.canonicalized().encode(into: &writer)
                #expect(writer.bytes == bytes)
            }
        case let .logRecord(sequenced):
            var reader = ByteReader(bytes)
            #expect(try GoldenVector.readLogRecord(&reader) == sequenced)
            try reader.expectEnd()
        case let .logFile(records):
            #expect(Array(bytes.prefix(16)) == GoldenVector.logHeader)
            var reader = ByteReader(bytes, range: 16..<bytes.count)
            var decoded: [SequencedOp] = []
            while reader.remaining > 0 { decoded.append(try GoldenVector.readLogRecord(&reader)) }
            #expect(decoded == records)
        }
        #expect(self.bytes == bytes)
    }

    /// The log file header as STORAGE.md defines it: magic, version 2, flags 0.
    static let logHeader: [UInt8] = Array("QUOTELOG".utf8) + [0, 0, 0, 2, 0, 0, 0, 0]

    /// A log record built from STORAGE.md alone, not from the store's code:
    /// `u32 length, u32 CRC32C(type + payload), u8 type 1, u64 sequence, op`.
    static func logRecord(_ sequenced: SequencedOp) -> [UInt8] {
        var body = ByteWriter()
        body.writeInteger(UInt8(1))
        body.writeInteger(sequenced.sequence)
        sequenced.op.encode(into: &body)
        var record = ByteWriter()
        record.writeInteger(UInt32(body.count))
        record.writeInteger(CRC32C.checksum(body.bytes))
        record.writeBytes(body.bytes)
        return record.bytes
    }

    /// Reads one log record, checking its length, checksum and type.
    static func readLogRecord(_ reader: inout ByteReader) throws -> SequencedOp {
        let length = Int(try reader.readInteger(as: UInt32.self))
        let checksum = try reader.readInteger(as: UInt32.self)
        let body = try reader.readBytes(count: length)
        #expect(CRC32C.checksum(body) == checksum)
        var bodyReader = ByteReader(body)
        #expect(try bodyReader.readInteger(as: UInt8.self) == 1)
        let sequenced = try SequencedOp.decode(from: &bodyReader)
        try bodyReader.expectEnd()
        return sequenced
    }

    /// The one frame `bytes` holds, through the same decoder a connection uses.
    static func singleFrame(_ bytes: [UInt8]) throws -> Frame {
        var decoder = FrameDecoder()
        decoder.append(bytes)
        let frame = try #require(try decoder.next())
        #expect(decoder.bufferedBytes == 0)
        return frame
    }
}
