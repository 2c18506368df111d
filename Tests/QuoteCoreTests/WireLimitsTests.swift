import Foundation
import QuoteCore
import Testing

/// The spec's §8 wire-bounds table and `WireLimits` are one list: the same rows, in the same
/// order, with the same numbers; and the decoders enforce the bounds they name.
@Suite struct WireLimitsTests {
    static let specification = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Protocol/PROTOCOL.md")

    /// The rows of the table under "Wire bounds" in §8, as (where, field, first number).
    static func specifiedBounds() throws -> [WireLimits.Bound] {
        let text = try String(contentsOf: specification, encoding: .utf8)
        let section = try #require(text.range(of: "## 8. Limits"))
        let wire = try #require(text.range(of: "Wire bounds", range: section.upperBound..<text.endIndex))
        var bounds: [WireLimits.Bound] = []
        for line in text[wire.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") { break }
            guard line.hasPrefix("|") else { continue }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 3, cells[0] != "where", !cells[0].hasPrefix("-") else { continue }
            let digits = cells[2].prefix { $0.isNumber }
            bounds.append(WireLimits.Bound(message: cells[0], field: cells[1].replacingOccurrences(of: "`", with: ""),
                                           value: Int(digits) ?? -1))
        }
        return bounds
    }

    @Test func theSpecificationsTableListsExactlyTheBoundsTheCodeEnforces() throws {
        let specified = try WireLimitsTests.specifiedBounds()
        #expect(specified == WireLimits.table)
    }

    @Test func aQuoteFieldAtItsBoundDecodesAndOneByteOverIsMalformed() throws {
        func encoded(text: String) -> [UInt8] {
            var writer = ByteWriter()
            Quote(text: text, speaker: "s").encode(into: &writer)
            return writer.bytes
        }
        var atBound = ByteReader(encoded(text: String(repeating: "a", count: WireLimits.maxTextBytes)))
        #expect(try Quote.decode(from: &atBound).text.utf8.count == WireLimits.maxTextBytes)
        var over = ByteReader(encoded(text: String(repeating: "a", count: WireLimits.maxTextBytes + 1)))
        #expect(throws: DecodeError.lengthTooLarge(offset: 0, length: WireLimits.maxTextBytes + 1, limit: WireLimits.maxTextBytes)) {
            try Quote.decode(from: &over)
        }
    }

    @Test func aSearchCursorOverItsBoundIsMalformed() {
        var writer = ByteWriter()
        Request.search(SearchFilter(), limit: 20, cursor: [UInt8](repeating: 1, count: WireLimits.maxCursorBytes + 1))
            .encodePayload(into: &writer)
        #expect(throws: DecodeError.self) { try Request.decode(opcode: .search, payload: writer.bytes) }
    }

    @Test func encodedByteCountIsWhatEncodingWrites() throws {
        let quote = Quote(text: "Någon bröt sig in", speaker: "Mark Chen", date: try QuoteDate(year: 2025, month: 7),
                          source: "Wired", lang: "sv", tags: ["ai", "meta"])
        var writer = ByteWriter()
        quote.encode(into: &writer)
        #expect(quote.encodedByteCount == writer.count)
        #expect(Quote(text: "", speaker: "").encodedByteCount == QuoteFields.minimumEncodedBytes)
    }
}
