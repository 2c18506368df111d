import QuoteCore
import QuoteStore
import Testing

/// SearchFilter `words` as a query: phrases, prefixes and exclusions, against a brute-force
/// reading of every quote, and the malformed queries refused with their reason.
@Suite struct TextQueryTests {
    static let texts = [
        "Someone has broken into our home and stolen something.",
        "We broke into our home office to find it.",
        "Superintelligence is now in sight.",
        "Superintelligent machines will over-invest in home robots.",
        "Our home is not a broken home.",
        "quelqu'un s'est faufilé dans notre maison et a volé quelque chose",
    ]

    func withTexts(_ body: (Archive, [QuoteID]) async throws -> Void) async throws {
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { archive async throws in
                let ids = await archive.add(Self.texts.map { Quote(text: $0, speaker: "Texter") }).map(\.id)
                try await body(archive, ids)
            }
        }
    }

    func matches(_ archive: Archive, _ words: String) throws -> Set<QuoteID> {
        Set(try archive.allQuotes(SearchFilter(words: words)).map(\.id))
    }

    @Test func phrasesPrefixesAndExclusions() async throws {
        try await withTexts { archive, ids async throws in
            func set(_ indexes: Int...) -> Set<QuoteID> { Set(indexes.map { ids[$0] }) }
            #expect(try matches(archive, "\"broke into our home\"") == set(1))
            #expect(try matches(archive, "\"into our home\"") == set(0, 1))
            #expect(try matches(archive, "\"our HOME\" -broken") == set(1))
            #expect(try matches(archive, "superintell*") == set(2, 3))
            #expect(try matches(archive, "superintell* -machines") == set(2))
            #expect(try matches(archive, "home -\"broken home\"") == set(0, 1, 3))
            #expect(try matches(archive, "broke*") == set(0, 1, 4))
            #expect(try matches(archive, "\"home broken\"").isEmpty)
            #expect(try matches(archive, "quelqu'un") == set(5))
            #expect(try matches(archive, "zzz*").isEmpty)
            #expect(try archive.count(SearchFilter(words: "home")) == 4)
            #expect(try archive.count(SearchFilter(words: "\"our home\"")) == 3)
        }
    }

    @Test(arguments: [
        ("\"broke into", "unbalanced"), ("*", "letters before it"), ("s*", "letters before it"),
        ("su*per", "may only end a word"), ("\"super*\"", "inside a phrase"), ("-home*", "cannot be excluded"),
        ("a\"phrase\"", "middle of"), ("\"\"", "has no words"),
    ])
    func malformedQueriesAreInvalidWithTheReason(query: String, reason: String) async throws {
        try await withTexts { archive, _ async throws in
            #expect {
                _ = try archive.allQuotes(SearchFilter(words: query))
            } throws: { error in
                guard case let ArchiveError.invalidQuery(message) = error else { return false }
                return message.contains(reason)
            }
        }
    }

    /// Random texts over a small vocabulary and random queries of words, phrases, prefixes
    /// and exclusions: the index answers what reading every text answers.
    @Test(arguments: [7, 8, 9] as [UInt64])
    func queriesAgreeWithABruteForceScan(seed: UInt64) async throws {
        var random = SplitMix64(seed: seed)
        let vocabulary = ["alpha", "alphabet", "beta", "Bêta", "gamma", "gam", "delta", "epsilon", "zeta", "eta"]
        func word() -> String { vocabulary[Int(random.next() % UInt64(vocabulary.count))] }
        let folder = TextFolder.shared
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { archive async throws in
                let texts = (0..<200).map { index in (0..<(2 + Int(random.next() % 6))).map { _ in word() }.joined(separator: " ") + " n\(index)" }
                let ids = await archive.add(texts.map { Quote(text: $0, speaker: "Random") }).map(\.id)
                let folded = texts.map { folder.words(of: $0).map { String(decoding: $0, as: UTF8.self) } }
                func occurs(_ run: [String], _ words: [String]) -> Bool {
                    guard run.count <= words.count else { return false }
                    return (0...(words.count - run.count)).contains { Array(words[$0..<$0 + run.count]) == run }
                }
                for _ in 0..<80 {
                    var parts: [String] = []
                    var checks: [([String]) -> Bool] = []
                    for _ in 0..<(1 + Int(random.next() % 3)) {
                        switch random.next() % 4 {
                        case 0:
                            let w = word()
                            parts.append(w)
                            let f = folder.words(of: w).map { String(decoding: $0, as: UTF8.self) }
                            checks.append { words in f.allSatisfy(words.contains) }
                        case 1:
                            let run = [word(), word()]
                            parts.append("\"" + run.joined(separator: " ") + "\"")
                            let f = run.flatMap { folder.words(of: $0).map { String(decoding: $0, as: UTF8.self) } }
                            checks.append { words in occurs(f, words) }
                        case 2:
                            let stem = String(word().prefix(3))
                            parts.append(stem + "*")
                            let f = String(decoding: folder.words(of: stem)[0], as: UTF8.self)
                            checks.append { words in words.contains { $0.hasPrefix(f) } }
                        default:
                            let w = word()
                            parts.append("-" + w)
                            let f = folder.words(of: w).map { String(decoding: $0, as: UTF8.self) }
                            checks.append { words in !f.allSatisfy(words.contains) }
                        }
                    }
                    let query = parts.joined(separator: " ")
                    let expected = Set(zip(ids, folded).filter { _, words in checks.allSatisfy { $0(words) } }.map(\.0))
                    #expect(try matches(archive, query) == expected, "\(query)")
                    #expect(try archive.count(SearchFilter(words: query)) == expected.count)
                }
            }
        }
    }
}
