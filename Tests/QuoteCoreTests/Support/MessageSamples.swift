import QuoteCore

/// At least one value of every request and response case, including edge shapes (empty
/// lists, empty cursors, authentication bytes) the golden vectors do not show.
enum MessageSamples {
    static let requests: [Request] = GoldenVectorCatalog.all.compactMap { vector in
        if case let .request(request, _) = vector.content { return request }
        return nil
    } + [
        .hello(Hello(minVersion: 1, maxVersion: 7, clientName: "", authentication: [0xAA, 0xBB])),
        .ping([]),
        .add([]),
        .add([Samples.pascalRaw, Quote(text: "a", speaker: "b")]),
        .add([Quote(text: "a", speaker: "b")], replace: true),
        .edit(id: "", Quote(text: "", speaker: "")),
        .get(""),
        .search(SearchFilter(), limit: 1_000, cursor: []),
        .random(SearchFilter(), day: 0),
        .changes(since: .max, maxOps: 1, follow: false),
        .digestRange(prefix: []),
        .speakers(query: "", limit: 1),
        .count(SearchFilter()),
        .digestRange(prefix: [UInt8](repeating: 0xFF, count: 16)),
    ]

    static let responses: [Response] = GoldenVectorCatalog.all.compactMap { vector in
        if case let .response(response, _) = vector.content { return response }
        return nil
    } + [
        .hello(HelloReply(version: 1, nodeID: .max, serverName: "", maxFrameBytes: .max,
                          flags: [.readOnly, .authenticationRequired], serverNonce: [1, 2, 3])),
        .pong([]),
        .added([]),
        .searchPage([], cursor: []),
        .stats([]),
        .changes([], lastSequence: 0),
        .digest(liveCount: 0, content: [UInt8](repeating: 0, count: 32), ops: [UInt8](repeating: 0xFF, count: 32)),
        .edited(.rejected(.emptyText, "the text is empty"), previous: QuoteID(high: 0, low: 0)),
        .digestRange(DigestRange(liveCount: 0, digest: [UInt8](repeating: 0, count: 32), body: .listed([]))),
        .speakers(matching: 0, []),
        .count(.max),
        .error(ErrorCode(rawValue: 65_535), ""),
    ]
}
