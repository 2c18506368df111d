import CommandLineKit
import QuoteCLISupport
import QuoteClient
import QuoteCore

/// `quotes speakers [QUERY]`: the speakers whose names match, with their quote counts.
enum SpeakersCommand: Subcommand {
    static let spec = CommandSpec(
        name: "speakers",
        abstract: "List speakers whose names match, with how many quotes each has.",
        discussion: """
            A speaker matches when every word of QUERY is a word of the name, in any order \
            ('chen', 'mark chen'); a last word ending in '*' is a prefix of at least 2 \
            letters ('zucker*'). Without QUERY, every speaker. Most quotes first, then by \
            name. On a terminal at most 20 are shown (--limit, up to 1000), with how many \
            matched; --json prints one object per speaker: name, quotes. Exits with 1 when \
            no speaker matches, 4 for a malformed query (a '*' not at the end).
            """,
        options: [
            .single("limit", short: "n", valueName: "count", help: "Show at most this many speakers, 1 to 1000. (default: 20)"),
        ],
        arguments: [.optional("query", help: "Words of the name; the last may end in '*'.")])

    static func run(_ invocation: Invocation) throws(Failure) -> ExitStatus {
        let parsed = invocation.parsed
        let query = parsed.argument("query") ?? ""
        let limit: Int
        do {
            limit = try parsed.int("limit", in: 1...Int(Request.maxSearchLimit)) ?? 20
        } catch {
            throw .usage(error)
        }
        let session = try invocation.connect()
        let (matching, speakers) = try session.run { client throws(ClientError) in try client.speakers(query, limit: limit) }
        if invocation.configuration.json {
            for speaker in speakers {
                Terminal.output(JSONText.object([("name", speaker.name), ("quotes", Int(speaker.quotes))]))
            }
        } else {
            let rows = speakers.map { (String($0.quotes), $0.name) }
            for line in TableFormatter.lines(rows) { Terminal.output(line) }
            if Terminal.standardErrorIsTerminal {
                let grouped = SearchCommand.grouped
                let noun = matching == 1 ? "speaker" : "speakers"
                Terminal.error(speakers.count < matching
                    ? "\n\(grouped(speakers.count)) of \(grouped(matching)) speakers shown (--limit N for more)\n"
                    : (matching == 0 ? "no speakers found\n" : "\n\(grouped(matching)) \(noun)\n"))
            }
        }
        return speakers.isEmpty ? .nothingFound : .success
    }
}
