import QuoteCore
import Testing

/// The canonical form decides a quote's id, so every rule here is part of the contract
/// (Protocol/STORAGE.md, "Canonical form"). Strings are compared as UTF-8 bytes: Swift's
/// `==` on `String` would accept NFD for NFC.
@Suite struct CanonicalizationTests {
    static func bytes(_ string: String?) -> [UInt8] { Array((string ?? "").utf8) }

    static func quote(text: String = "a", speaker: String = "b", source: String? = nil,
                      lang: String? = nil, tags: [String] = []) -> Quote {
        Quote(text: text, speaker: speaker, source: source, lang: lang, tags: tags)
    }

    @Test func decomposedInputGetsTheSameIDAsComposed() throws {
        let composed = CanonicalizationTests.quote(text: "volé à l'été", speaker: "José", tags: ["café"])
        let decomposed = CanonicalizationTests.quote(
            text: "vole\u{301} a\u{300} l'e\u{301}te\u{301}", speaker: "Jose\u{301}", tags: ["cafe\u{301}"])
        let result = try decomposed.canonicalized()
        #expect(CanonicalizationTests.bytes(result.text) == CanonicalizationTests.bytes("volé à l'été"))
        #expect(CanonicalizationTests.bytes(result.speaker) == [0x4A, 0x6F, 0x73, 0xC3, 0xA9])
        #expect(result.id == (try composed.canonicalized()).id)
    }

    @Test func whitespaceVariantsGetTheSameID() throws {
        let plain = try CanonicalizationTests.quote(text: "a b\nc d", speaker: "Mark Chen", source: "Wired").canonicalized()
        let messy = try CanonicalizationTests.quote(
            text: "\n \t a \t  b \n   c\u{A0}\u{2003}d  \n \n", speaker: " Mark\n\tChen ", source: "  Wired\u{A0}").canonicalized()
        #expect(CanonicalizationTests.bytes(messy.text) == CanonicalizationTests.bytes("a b\nc d"))
        #expect(CanonicalizationTests.bytes(messy.speaker) == CanonicalizationTests.bytes("Mark Chen"))
        #expect(messy.id == plain.id)
    }

    @Test func tagOrderCaseDuplicatesAndPaddingDoNotChangeTheID() throws {
        let plain = try CanonicalizationTests.quote(tags: ["openai", "talent"]).canonicalized()
        let messy = try CanonicalizationTests.quote(tags: [" Talent", "OPENAI", "talent ", "TALENT"]).canonicalized()
        #expect(messy.tags == ["openai", "talent"])
        #expect(messy.id == plain.id)
    }

    @Test func whitespaceInsideATagCollapsesToOneSpace() throws {
        let result = try CanonicalizationTests.quote(tags: ["open\u{A0}\tai", " open  ai "]).canonicalized()
        #expect(result.tags == ["open ai"])
    }

    @Test func tagsSortByUTF8Bytes() throws {
        let result = try CanonicalizationTests.quote(tags: ["éclair", "Zèbre", "abc", "z", "😀", "\u{FB01}"]).canonicalized()
        #expect(result.tags.map(CanonicalizationTests.bytes) == ["abc", "z", "zèbre", "éclair", "\u{FB01}", "😀"].map(CanonicalizationTests.bytes))
    }

    @Test(arguments: ["one\r\ntwo", "one\rtwo", "one\ntwo", "one\u{2028}two", "one\u{2029}two", "one \r\n two"])
    func everyLineBreakBecomesLF(_ text: String) throws {
        let result = try CanonicalizationTests.quote(text: text).canonicalized()
        #expect(CanonicalizationTests.bytes(result.text) == CanonicalizationTests.bytes("one\ntwo"))
    }

    @Test func interiorBlankLinesStayAndOuterOnesGo() throws {
        let result = try CanonicalizationTests.quote(text: "\r\n \n  first  \n\n \t \nlast\n\n").canonicalized()
        #expect(CanonicalizationTests.bytes(result.text) == CanonicalizationTests.bytes("first\n\n\nlast"))
    }

    @Test func crLFIsOneBreakButLFCRIsTwo() throws {
        let result = try CanonicalizationTests.quote(text: "a\n\rb\r\n\r\nc").canonicalized()
        #expect(CanonicalizationTests.bytes(result.text) == CanonicalizationTests.bytes("a\n\nb\n\nc"))
    }

    @Test func newlinesInSpeakerAndSourceBecomeSpaces() throws {
        let result = try CanonicalizationTests.quote(speaker: "Blaise\r\nPascal", source: "Pensées,\nfragment 277").canonicalized()
        #expect(result.speaker == "Blaise Pascal")
        #expect(result.source == "Pensées, fragment 277")
    }

    @Test func blankSourceAndLanguageBecomeAbsent() throws {
        let result = try CanonicalizationTests.quote(source: " \n ", lang: "  ").canonicalized()
        #expect(result.source == nil)
        #expect(result.lang == nil)
        #expect(result.id == (try CanonicalizationTests.quote().canonicalized()).id)
    }

    @Test func lowercasingATagThatBecomesComposableStillYieldsNFC() throws {
        // "J" + combining caron has no precomposed form; "j" + caron composes to U+01F0.
        let result = try CanonicalizationTests.quote(tags: ["J\u{30C}"]).canonicalized()
        #expect(result.tags.map(CanonicalizationTests.bytes) == [[0xC7, 0xB0]])
    }

    @Test func tagsAreLowercasedWithoutContextRules() throws {
        // Capital sigma always becomes σ, never the final form ς; dotted İ becomes i + U+0307.
        let result = try CanonicalizationTests.quote(tags: ["ΟΔΟΣ", "İ"]).canonicalized()
        #expect(result.tags.map(CanonicalizationTests.bytes) == [[0x69, 0xCC, 0x87], Array("οδοσ".utf8)])
    }

    @Test(arguments: [Samples.markChen, Samples.pascalRaw, Samples.dijkstra, Samples.pascal])
    func canonicalizingTwiceChangesNothing(_ quote: Quote) throws {
        let once = try quote.canonicalized()
        let twice = try once.canonicalized()
        var first = ByteWriter()
        once.encode(into: &first)
        var second = ByteWriter()
        twice.encode(into: &second)
        #expect(first.bytes == second.bytes)
    }

    @Test func idIsTheFirst16BytesOfTheSHA256OfTextAndSpeaker() throws {
        var writer = ByteWriter()
        writer.writeString(Samples.markChen.text)
        writer.writeString(Samples.markChen.speaker)
        #expect(Samples.markChen.id.bytes == Array(SHA256.hash(writer.bytes).prefix(16)))
        #expect(Samples.markChen.id.description == "f6a039889fcdae5b45b4399b6d30c726")
        var encoded = ByteWriter()
        Samples.markChen.encode(into: &encoded)
        #expect(Quote.id(ofEncoded: encoded.bytes) == Samples.markChen.id)
    }

    @Test func metadataDoesNotChangeTheID() throws {
        let bare = try Quote(text: Samples.markChen.text, speaker: Samples.markChen.speaker).canonicalized()
        #expect(bare.id == Samples.markChen.id)
        #expect(Samples.markChenRetagged.id == Samples.markChen.id)
        let otherSpeaker = Quote(text: Samples.markChen.text, speaker: "Mark Chen Jr.")
        #expect(otherSpeaker.id != Samples.markChen.id)
        // The two fields are length-prefixed, so moving bytes between them changes the id.
        #expect(Quote(text: "ab", speaker: "c").id != Quote(text: "a", speaker: "bc").id)
    }

    @Test func dateIsKeptAsGiven() throws {
        let quote = Quote(text: "a", speaker: "b", date: Samples.date(2025, 6))
        #expect(try quote.canonicalized().date == Samples.date(2025, 6))
    }
}
