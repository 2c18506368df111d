import QuoteCore

// The language-neutral description of each vector in vectors.json. Field names follow
// PROTOCOL.md; bytes and ids are lowercase hex; dates are `YYYY[-MM[-DD]]` or null.
extension GoldenVector {
    /// This vector's entry in vectors.json.
    var json: JSONValue {
        var members: [(String, JSONValue)] = [("file", .string(file)), ("kind", .string(kind)), ("description", .string(summary))]
        switch content {
        case let .request(request, requestID):
            members += GoldenVector.frameMembers(request.opcode, requestID)
            members.append(("message", GoldenVector.json(request)))
        case let .response(response, requestID):
            members += GoldenVector.frameMembers(response.opcode, requestID)
            members.append(("message", GoldenVector.json(response)))
        case let .quote(quote, id, raw):
            if let raw { members.append(("raw", GoldenVector.json(raw))) }
            members.append(("quote", GoldenVector.json(quote)))
            members.append(("id", .string(id)))
        case let .logRecord(sequenced):
            members += GoldenVector.recordMembers(sequenced)
        case let .logFile(records):
            members.append(("header", .object([("magic", .string("QUOTELOG")), ("version", .integer(2)), ("flags", .integer(0))])))
            var offset = GoldenVector.logHeader.count
            var entries: [JSONValue] = []
            for sequenced in records {
                entries.append(.object([("offset", .integer(UInt64(offset)))] + GoldenVector.recordMembers(sequenced)))
                offset += GoldenVector.logRecord(sequenced).count
            }
            members.append(("records", .array(entries)))
        }
        return .object(members + extra)
    }

    static func frameMembers(_ opcode: Opcode, _ requestID: UInt32) -> [(String, JSONValue)] {
        [("opcode", .integer(UInt64(opcode.rawValue))), ("opcode_name", .string(opcode.description)),
         ("request_id", .integer(UInt64(requestID)))]
    }

    static func recordMembers(_ sequenced: SequencedOp) -> [(String, JSONValue)] {
        let record = logRecord(sequenced)
        let length = UInt64(record[0]) << 24 | UInt64(record[1]) << 16 | UInt64(record[2]) << 8 | UInt64(record[3])
        return [("length", .integer(length)), ("crc32c", .string(Hex.encode(record[4..<8]))), ("type", .integer(1)),
                ("sequence", .integer(sequenced.sequence)), ("op", json(sequenced.op))]
    }

    static func json(_ request: Request) -> JSONValue {
        switch request {
        case let .hello(hello):
            return .object([
                ("magic", .string("QTAR")), ("min_version", .integer(UInt64(hello.minVersion))),
                ("max_version", .integer(UInt64(hello.maxVersion))), ("client_name", .string(hello.clientName)),
                ("authentication", .string(Hex.encode(hello.authentication))),
            ])
        case let .ping(data): return .object([("data", .string(Hex.encode(data)))])
        case let .add(quotes, replace):
            return .object([("flags", .integer(replace ? UInt64(Request.replaceFlag) : 0)), ("quotes", .array(quotes.map(json)))])
        case let .edit(id, quote): return .object([("id", .string(id)), ("quote", json(quote))])
        case let .get(id), let .delete(id): return .object([("id", .string(id))])
        case let .search(filter, limit, cursor):
            return .object([("filter", json(filter)), ("limit", .integer(UInt64(limit))), ("cursor", .string(Hex.encode(cursor)))])
        case let .random(filter, day): return .object([("filter", json(filter)), ("day", .integer(UInt64(day)))])
        case .stats, .digest: return .object([])
        case let .digestRange(prefix): return .object([("prefix", .string(Hex.encode(prefix)))])
        case let .speakers(query, limit): return .object([("query", .string(query)), ("limit", .integer(UInt64(limit)))])
        case let .count(filter): return .object([("filter", json(filter))])
        case let .changes(since, maxOps, follow):
            return .object([("since", .integer(since)), ("max_ops", .integer(UInt64(maxOps))), ("follow", .bool(follow))])
        case let .apply(ops): return .object([("ops", .array(ops.map(json)))])
        case let .auth(name, clientNonce, proof):
            return .object([("token_name", .string(name)), ("client_nonce", .string(Hex.encode(clientNonce))),
                            ("proof", .string(Hex.encode(proof)))])
        }
    }

    static func json(_ response: Response) -> JSONValue {
        switch response {
        case let .hello(reply):
            return .object([
                ("magic", .string("QTAR")), ("version", .integer(UInt64(reply.version))), ("node_id", .integer(reply.nodeID)),
                ("server_name", .string(reply.serverName)), ("max_frame_bytes", .integer(UInt64(reply.maxFrameBytes))),
                ("flags", .integer(UInt64(reply.flags.rawValue))), ("server_nonce", .string(Hex.encode(reply.serverNonce))),
            ])
        case let .pong(data): return .object([("data", .string(Hex.encode(data)))])
        case let .added(results): return .object([("results", .array(results.map(json)))])
        case let .quote(quote), let .randomQuote(quote): return .object([("quote", json(quote))])
        case let .deleted(id): return .object([("id", .string(id.description))])
        case let .searchPage(quotes, cursor):
            return .object([("quotes", .array(quotes.map(json))), ("cursor", .string(Hex.encode(cursor)))])
        case let .stats(entries): return .object([("entries", .array(entries.map(json)))])
        case let .changes(ops, lastSequence):
            return .object([("ops", .array(ops.map(json))), ("last_sequence", .integer(lastSequence))])
        case let .edited(result, previous):
            return .object([("result", json(result)), ("previous", .string(previous.description))])
        case let .digest(liveCount, content, ops):
            return .object([("live_count", .integer(liveCount)), ("digest", .string(Hex.encode(content))),
                            ("ops_digest", .string(Hex.encode(ops)))])
        case let .digestRange(range):
            var members: [(String, JSONValue)] = [("live_count", .integer(range.liveCount)), ("digest", .string(Hex.encode(range.digest)))]
            switch range.body {
            case let .split(parts):
                members.append(("form", .string("split")))
                members.append(("parts", .array(parts.map {
                    .object([("live_count", .integer($0.liveCount)), ("digest", .string(Hex.encode($0.digest)))])
                })))
            case let .listed(entries):
                members.append(("form", .string("listed")))
                members.append(("entries", .array(entries.map {
                    .object([("id", .string($0.id.description)), ("term", .string(Hex.encode($0.term)))])
                })))
            }
            return .object(members)
        case let .count(count): return .object([("count", .integer(count))])
        case let .speakers(matching, speakers):
            return .object([("matching", .integer(UInt64(matching))), ("speakers", .array(speakers.map {
                .object([("name", .string($0.name)), ("quotes", .integer(UInt64($0.quotes)))])
            }))])
        case let .applied(count): return .object([("appended", .integer(UInt64(count)))])
        case let .authenticated(role, serverProof):
            return .object([("role", .integer(UInt64(role))), ("server_proof", .string(Hex.encode(serverProof)))])
        case let .error(code, message):
            return .object([("code", .integer(UInt64(code.rawValue))), ("name", .string(code.name)), ("message", .string(message))])
        }
    }

    static func json(_ quote: Quote) -> JSONValue {
        .object([
            ("text", .string(quote.text)), ("speaker", .string(quote.speaker)), ("date", .optional(quote.date?.description)),
            ("source", .optional(quote.source)), ("lang", .optional(quote.lang)), ("tags", .array(quote.tags.map(JSONValue.string))),
        ])
    }

    static func json(_ archived: ArchivedQuote) -> JSONValue {
        .object([
            ("id", .string(archived.id.description)), ("timestamp", .integer(archived.timestamp.rawValue)),
            ("origin", .integer(archived.origin)), ("quote", json(archived.quote)),
        ])
    }

    static func json(_ op: Op) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("kind", .string(op.kind == .put ? "put" : "delete")), ("timestamp", .integer(op.timestamp.rawValue)),
            ("origin", .integer(op.origin)), ("id", .string(op.id.description)),
        ]
        if let quote = op.quote { members.append(("quote", json(quote))) }
        return .object(members)
    }

    static func json(_ sequenced: SequencedOp) -> JSONValue {
        .object([("sequence", .integer(sequenced.sequence)), ("op", json(sequenced.op))])
    }

    static func json(_ filter: SearchFilter) -> JSONValue {
        .object([
            ("speaker", .string(filter.speaker)), ("from", .optional(filter.from?.description)),
            ("to", .optional(filter.to?.description)), ("words", .string(filter.words)),
            ("tags", .array(filter.tags.map(JSONValue.string))), ("lang", .string(filter.lang)),
        ])
    }

    static func json(_ result: AddResult) -> JSONValue {
        .object([
            ("status", .string(result.status.name)), ("id", .string(result.id.description)),
            ("code", .integer(UInt64(result.code.rawValue))), ("message", .string(result.message)),
        ])
    }

    static func json(_ entry: StatEntry) -> JSONValue {
        switch entry.value {
        case let .integer(value): return .object([("name", .string(entry.name)), ("value", .integer(value))])
        case let .text(value): return .object([("name", .string(entry.name)), ("value", .string(value))])
        }
    }
}
