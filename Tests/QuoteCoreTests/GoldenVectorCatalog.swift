import QuoteCore

/// Every golden vector in Protocol/vectors/, in the order vectors.json lists them.
///
/// Changing a value here changes a file there: run the tests with
/// `QUOTES_REGENERATE_VECTORS=1` and review the diff like any other contract change.
enum GoldenVectorCatalog {
    static let markChenID = Samples.id(of: Samples.markChen)

    /// The archive the digest_ok vector describes: one live quote, one deleted.
    static let digestArchive: [Op] = [
        Samples.markChenPut.op,
        .delete(Samples.id(of: Samples.dijkstra), timestamp: Samples.deleteTimestamp, origin: Samples.otherNodeID),
    ]

    /// The ops digest PROTOCOL.md defines: the sum modulo 2^256 of
    /// SHA-256(id ‖ u8 kind ‖ u64 timestamp ‖ u64 origin), each read as a big-endian number.
    static func opsDigest(of winners: [Op]) -> [UInt8] {
        sum(winners.map { op in
            var writer = ByteWriter()
            op.id.encode(into: &writer)
            writer.writeInteger(op.kind.rawValue)
            writer.writeInteger(op.timestamp.rawValue)
            writer.writeInteger(op.origin)
            return SHA256.hash(writer.bytes)
        })
    }

    /// The content digest PROTOCOL.md defines: the sum modulo 2^256 of
    /// SHA-256(id ‖ date ‖ string source ‖ string lang ‖ list<string> tags) over live quotes.
    static func contentDigest(of winners: [Op]) -> [UInt8] {
        sum(winners.compactMap { op in
            guard let quote = op.quote else { return nil }
            var writer = ByteWriter()
            op.id.encode(into: &writer)
            QuoteDate.encode(quote.date, into: &writer)
            writer.writeString(quote.source ?? "")
            writer.writeString(quote.lang ?? "")
            writer.writeInteger(UInt32(quote.tags.count))
            for tag in quote.tags { writer.writeString(tag) }
            return SHA256.hash(writer.bytes)
        })
    }

    static func sum(_ terms: [[UInt8]]) -> [UInt8] {
        var sum = [UInt8](repeating: 0, count: 32)
        for term in terms {
            var carry = 0
            for index in (0..<32).reversed() {
                let total = Int(sum[index]) + Int(term[index]) + carry
                sum[index] = UInt8(total & 0xFF)
                carry = total >> 8
            }
        }
        return sum
    }

    /// An opaque search cursor such as a server might issue.
    static let cursor: [UInt8] = [1] + [0x07, 0xE9, 0x06, 0x1C] + markChenID.bytes

    static let everything = SearchFilter(
        speaker: "chen", from: Samples.date(2025, 6), to: Samples.date(2025), words: "maison volé",
        tags: ["openai", "talent"], lang: "fr")

    static let all: [GoldenVector] = [
        GoldenVector(
            file: "hello.bin", summary: "HELLO: a client speaking versions 2 to 2, no authentication",
            content: .request(.hello(Hello(clientName: "quotes-python/0.1")), requestID: 1)),
        GoldenVector(
            file: "hello_ok.bin", summary: "HELLO_OK: version 2, node id, 1 MiB frames, no flags, empty nonce",
            content: .response(.hello(HelloReply(
                version: 2, nodeID: Samples.nodeID, serverName: "quoted/0.1.0", maxFrameBytes: 1_048_576)), requestID: 1)),
        GoldenVector(
            file: "ping.bin", summary: "PING with 8 bytes to echo and a request id using all 32 bits",
            content: .request(.ping([0, 1, 2, 3, 0xFC, 0xFD, 0xFE, 0xFF]), requestID: 0xDEAD_BEEF)),
        GoldenVector(
            file: "ping_ok.bin", summary: "PING_OK echoing the PING's bytes under its request id",
            content: .response(.pong([0, 1, 2, 3, 0xFC, 0xFD, 0xFE, 0xFF]), requestID: 0xDEAD_BEEF)),
        GoldenVector(
            file: "add.bin", summary: "ADD of one quote (the Mark Chen quote)",
            content: .request(.add([Samples.markChen]), requestID: 3)),
        GoldenVector(
            file: "add_batch.bin",
            summary: "ADD of four quotes as a client typed them: a year-only date and no tags; "
                + "French with accents and a mixed-case tag; a blank speaker the server will reject; "
                + "the Mark Chen quote with another tag than the one stored",
            content: .request(.add([Samples.dijkstra, Samples.pascal, Samples.anonymous, Samples.markChenRetagged]),
                              requestID: 4)),
        GoldenVector(
            file: "add_ok.bin",
            summary: "ADD_OK answering add_batch.bin: added, already present, rejected (missing_speaker, zero id), "
                + "differs (the stored quote's id, nothing changed)",
            content: .response(.added([
                .stored(Samples.id(of: Samples.dijkstra), new: true),
                .stored(Samples.id(of: Samples.pascal), new: false),
                .rejected(ValidationError.missingSpeaker.code, ValidationError.missingSpeaker.description),
                .differs(markChenID),
            ]), requestID: 4)),
        GoldenVector(
            file: "add_replace.bin", summary: "ADD with the replace flag (0x01): the Mark Chen quote with another tag",
            content: .request(.add([Samples.markChenRetagged], replace: true), requestID: 14)),
        GoldenVector(
            file: "add_replace_ok.bin", summary: "ADD_OK answering add_replace.bin: updated, under the same id",
            content: .response(.added([.updated(markChenID)]), requestID: 14)),
        GoldenVector(
            file: "edit.bin", summary: "EDIT by an id prefix: the Mark Chen quote with its English text (a new id)",
            content: .request(.edit(id: markChenID.short(8), Samples.markChenEnglish), requestID: 15)),
        GoldenVector(
            file: "edit_ok.bin", summary: "EDIT_OK: the new quote added under its own id; the previous id, now deleted",
            content: .response(.edited(.stored(Samples.id(of: Samples.markChenEnglish), new: true), previous: markChenID),
                               requestID: 15)),
        GoldenVector(
            file: "get.bin", summary: "GET by an 8-character id prefix",
            content: .request(.get(markChenID.short(8)), requestID: 5)),
        GoldenVector(
            file: "get_ok.bin", summary: "GET_OK: the archived Mark Chen quote",
            content: .response(.quote(Samples.archived(Samples.markChen)), requestID: 5)),
        GoldenVector(
            file: "delete.bin", summary: "DELETE by full id",
            content: .request(.delete(markChenID.description), requestID: 6)),
        GoldenVector(
            file: "delete_ok.bin", summary: "DELETE_OK: the full id deleted",
            content: .response(.deleted(markChenID), requestID: 6)),
        GoldenVector(
            file: "search.bin", summary: "SEARCH with every filter field set, a limit of 20 and a cursor",
            content: .request(.search(everything, limit: 20, cursor: cursor), requestID: 7)),
        GoldenVector(
            file: "search_ok.bin", summary: "SEARCH_OK: two quotes of the same date, in id order, and a next-page cursor",
            content: .response(.searchPage(
                [Samples.markChen, Samples.markChenEnglish].map(Samples.archived).sorted { $0.id < $1.id },
                cursor: cursor), requestID: 7)),
        GoldenVector(
            file: "random.bin", summary: "RANDOM: the French quote of the day 2025-06-28 (day 20267)",
            content: .request(.random(SearchFilter(lang: "fr"), day: Samples.quoteDay), requestID: 8)),
        GoldenVector(
            file: "random_ok.bin", summary: "RANDOM_OK: the quote picked",
            content: .response(.randomQuote(Samples.archived(Samples.markChen)), requestID: 8)),
        GoldenVector(file: "stats.bin", summary: "STATS: empty payload", content: .request(.stats, requestID: 9)),
        GoldenVector(
            file: "stats_ok.bin", summary: "STATS_OK with integer entries and one text entry (node.id)",
            content: .response(.stats([
                StatEntry("quotes.live", .integer(3)), StatEntry("quotes.deleted", .integer(1)),
                StatEntry("log.bytes", .integer(1_234)), StatEntry("log.sequence", .integer(5)),
                StatEntry("node.id", .text("1f2e3d4c5b6a7988")), StatEntry("uptime.seconds", .integer(42)),
                StatEntry("connections.open", .integer(1)), StatEntry("connections.total", .integer(7)),
                StatEntry("ops.add", .integer(2)),
            ]), requestID: 9)),
        GoldenVector(
            file: "changes.bin", summary: "CHANGES since 0 (everything), at most 100 ops a response, following",
            content: .request(.changes(since: 0, maxOps: 100, follow: true), requestID: 10)),
        GoldenVector(
            file: "changes_ok.bin", summary: "CHANGES_OK: a put and a delete of the same id, last sequence 2",
            content: .response(.changes([Samples.markChenPut, Samples.markChenDelete], lastSequence: 2), requestID: 10)),
        GoldenVector(file: "digest.bin", summary: "DIGEST: empty payload", content: .request(.digest, requestID: 11)),
        GoldenVector(
            file: "digest_ok.bin",
            summary: "DIGEST_OK for the archive listed under 'archive': one live quote and one tombstone; "
                + "the content digest counts the live quote, the ops digest both",
            content: .response(.digest(liveCount: 1, content: contentDigest(of: digestArchive),
                                       ops: opsDigest(of: digestArchive)), requestID: 11),
            extra: [("archive", .array(digestArchive.map(GoldenVector.json)))]),
        GoldenVector(
            file: "digest_range.bin", summary: "DIGEST_RANGE: the ids that start with byte 0x7c",
            content: .request(.digestRange(prefix: [0x7C]), requestID: 17)),
        GoldenVector(
            file: "digest_range_ok-listed.bin",
            summary: "DIGEST_RANGE_OK for the whole of the archive under 'archive' (prefix empty): one live quote, "
                + "so form 1, its id and its content term; count and digest equal DIGEST_OK's",
            content: .response(.digestRange(DigestRange(
                liveCount: 1, digest: contentDigest(of: digestArchive),
                body: .listed([DigestRange.Entry(id: markChenID, term: contentDigest(of: [Samples.markChenPut.op]))]))),
                requestID: 17),
            extra: [("archive", .array(digestArchive.map(GoldenVector.json)))]),
        GoldenVector(
            file: "digest_range_ok-split.bin",
            summary: "DIGEST_RANGE_OK in form 0 for the same archive, to show the layout (a server splits only ranges "
                + "of more than 64 quotes): 256 parts, the one of the quote's first id byte holding it",
            content: .response(.digestRange(DigestRange(
                liveCount: 1, digest: contentDigest(of: digestArchive),
                body: .split((0..<256).map { byte in
                    byte == Int(markChenID.high >> 56)
                        ? DigestRange.Part(liveCount: 1, digest: contentDigest(of: [Samples.markChenPut.op]))
                        : DigestRange.Part(liveCount: 0, digest: [UInt8](repeating: 0, count: 32))
                }))),
                requestID: 17)),
        GoldenVector(
            file: "speakers.bin", summary: "SPEAKERS: names with the word mark and a word starting with zu, at most 20",
            content: .request(.speakers(query: "mark zu*", limit: 20), requestID: 18)),
        GoldenVector(
            file: "speakers_ok.bin",
            summary: "SPEAKERS_OK: 2 speakers matched, both shown, most quotes first",
            content: .response(.speakers(matching: 2, [SpeakerCount(name: "Mark Zuckerberg", quotes: 3),
                                                       SpeakerCount(name: "Mark Zuo", quotes: 1)]), requestID: 18)),
        GoldenVector(
            file: "count.bin", summary: "COUNT: quotes with the phrase \"our home\" and a word starting with steal, and not the word doe",
            content: .request(.count(SearchFilter(words: "\"our home\" steal* -doe")), requestID: 19)),
        GoldenVector(
            file: "count_ok.bin", summary: "COUNT_OK: 1,727 quotes match",
            content: .response(.count(1_727), requestID: 19)),
        GoldenVector(
            file: "apply.bin", summary: "APPLY: a put and a delete from another archive, for replication pushed by a client",
            content: .request(.apply([Samples.markChenPut.op, Samples.markChenDelete.op]), requestID: 13)),
        GoldenVector(
            file: "apply_ok.bin", summary: "APPLY_OK: both ops were appended",
            content: .response(.applied(2), requestID: 13)),
        GoldenVector(
            file: "hello_ok-auth.bin",
            summary: "HELLO_OK from a server that wants authentication: flag 0x02 and a 32-byte nonce",
            content: .response(.hello(HelloReply(
                version: 2, nodeID: Samples.nodeID, serverName: "quoted/0.1.0", maxFrameBytes: 1_048_576,
                flags: .authenticationRequired, serverNonce: AuthSample.serverNonce)), requestID: 1),
            extra: AuthSample.members),
        GoldenVector(
            file: "auth.bin",
            summary: "AUTH: token 'editor', the client nonce, and HMAC-SHA256(secret, server_nonce ‖ client_nonce)",
            content: .request(.auth(tokenName: "editor", clientNonce: AuthSample.clientNonce, proof: AuthSample.clientProof),
                              requestID: 2),
            extra: AuthSample.members),
        GoldenVector(
            file: "auth_ok.bin",
            summary: "AUTH_OK: role 2 (write) and HMAC-SHA256(secret, client_nonce ‖ server_nonce)",
            content: .response(.authenticated(role: 2, serverProof: AuthSample.serverProof), requestID: 2),
            extra: AuthSample.members),
        GoldenVector(
            file: "error.bin", summary: "ERROR not_found answering a GET",
            content: .response(.error(.notFound, "no quote with id 0123456789"), requestID: 12)),
        GoldenVector(
            file: "quote-mark-chen.bin", summary: "The canonical encoding of the Mark Chen quote; its id is the first 16 bytes of the SHA-256 of its text and speaker fields",
            content: .quote(Samples.markChen, id: "f6a039889fcdae5b45b4399b6d30c726", raw: nil)),
        GoldenVector(
            file: "quote-canonicalization.bin",
            summary: "A raw quote (decomposed accents, CR LF, tabs, no-break space, padded fields, "
                + "duplicate and mixed-case tags) and the canonical quote it becomes",
            content: .quote(
                Samples.pascalCanonical, id: "90fc210d9cff0940bd8650206a87b9f3", raw: Samples.pascalRaw)),
        GoldenVector(
            file: "log-record-put.bin", summary: "A log record: sequence 1, put of the Mark Chen quote",
            content: .logRecord(Samples.markChenPut)),
        GoldenVector(
            file: "log-record-delete.bin", summary: "A log record: sequence 2, delete of the same id from another node",
            content: .logRecord(Samples.markChenDelete)),
        GoldenVector(
            file: "log-file.bin", summary: "A whole quotes.log: the header, then the put and the delete records",
            content: .logFile([Samples.markChenPut, Samples.markChenDelete])),
    ]
}

/// The worked example of the AUTH exchange: fixed secret and nonces, and the proofs they give.
enum AuthSample {
    static let secret: [UInt8] = Array(0..<32)
    static let serverNonce: [UInt8] = (0..<32).map { UInt8(0xA0 &+ $0) }
    static let clientNonce: [UInt8] = (0..<32).map { UInt8(0x50 &+ $0) }
    static let clientProof = Authentication.clientProof(secret: secret, serverNonce: serverNonce, clientNonce: clientNonce)
    static let serverProof = Authentication.serverProof(secret: secret, serverNonce: serverNonce, clientNonce: clientNonce)

    /// The example's inputs, so a client in another language can recompute both proofs.
    static let members: [(String, JSONValue)] = [
        ("token", .string("editor:" + Hex.encode(secret))), ("secret", .string(Hex.encode(secret))),
        ("server_nonce", .string(Hex.encode(serverNonce))), ("client_nonce", .string(Hex.encode(clientNonce))),
        ("client_proof", .string(Hex.encode(clientProof))), ("server_proof", .string(Hex.encode(serverProof))),
    ]
}
