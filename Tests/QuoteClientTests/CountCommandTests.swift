import Foundation
import Testing

/// `quotes count` and text queries from the command line, against a real server.
@Suite(.enabled(if: ServerProcess.isAvailable)) struct CountCommandTests {
    @Test func countsWhatSearchWouldListAndRefusesAMalformedQuery() throws {
        let server = try ServerProcess()
        defer { server.stop() }
        let quotes = """
            {"text":"Someone has broken into our home and stolen something.","speaker":"Mark Chen"}
            {"text":"We broke into our home office.","speaker":"Someone Else"}
            {"text":"Superintelligence is in sight.","speaker":"Mark Zuckerberg"}

            """
        #expect(try server.quotes(["import", "-"], input: quotes).status == 0)
        #expect(try server.quotes(["count"]).standardOutput == "3\n")
        #expect(try server.quotes(["count", "--speaker", "mark"]).standardOutput == "2\n")
        #expect(try server.quotes(["--json", "count", "--text", "superintell*"]).standardOutput == "{\"count\":1}\n")
        let none = try server.quotes(["count", "--text", "\"home broke\""])
        #expect(none.status == 1 && none.standardOutput == "0\n")
        let phrase = try server.quotes(["search", "--text", "\"broke into our home\""])
        #expect(phrase.status == 0 && phrase.standardOutput.contains("Someone Else") && !phrase.standardOutput.contains("Mark Chen"))
        let bad = try server.quotes(["search", "--text", "\"broke into"])
        #expect(bad.status == 4)
        #expect(bad.standardError.contains("unbalanced"), "\(bad.standardError)")
    }

    /// A server whose work budget ends pages early, short or empty: `search` still prints
    /// every match once, in order, and the count line is exact.
    @Test func searchFollowsPagesTheWorkBudgetEndedEarly() throws {
        let server = try ServerProcess(["--search-budget", "400"])
        defer { server.stop() }
        let quotes = (0..<1_500).map { index in
            "{\"text\":\"common words \(index) \(index % 100 == 7 ? "rare" : "plain")\",\"speaker\":\"S\"}"
        }.joined(separator: "\n") + "\n"
        #expect(try server.quotes(["import", "-"], input: quotes).status == 0)
        // Searches use the ranked lists (where the budget counts) once a ranking is in.
        var ranked = false
        for _ in 0..<200 where !ranked {
            let stats = try server.quotes(["stats"]).standardOutput
            ranked = stats.split(separator: "\n").contains { $0.hasPrefix("index.ranked ") && !$0.hasSuffix(" 0") }
            if !ranked { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(ranked)
        let found = try server.quotes(["search", "--limit", "100", "--text", "common -plain"])
        #expect(found.status == 0)
        let lines = found.standardOutput.split(separator: "\n").filter { $0.contains("common words") }
        #expect(lines.count == 15, "\(found.standardOutput)")
        #expect(lines.allSatisfy { $0.contains("rare") })
        #expect(try server.quotes(["count", "--text", "common -plain"]).standardOutput == "15\n")
    }
}
