import Foundation
import Testing

/// `quotes speakers` and the speaker suggestion of `quotes search`, run as binaries
/// against a real server.
@Suite(.enabled(if: ServerProcess.isAvailable)) struct SpeakersCommandTests {
    static let quotes = """
        {"text":"We are going to over-invest.","speaker":"Mark Zuckerberg"}
        {"text":"Superintelligence is in sight.","speaker":"Mark Zuckerberg"}
        {"text":"Someone broke into our home.","speaker":"Mark Chen"}
        {"text":"Wer immer strebend sich bemüht.","speaker":"Johann Wolfgang von Goethe"}

        """

    @Test func listsMatchingSpeakersWithCountsAsTextAndJSON() throws {
        let server = try ServerProcess()
        defer { server.stop() }
        #expect(try server.quotes(["import", "-"], input: Self.quotes).status == 0)

        let marks = try server.quotes(["speakers", "mark"])
        #expect(marks.status == 0)
        #expect(marks.standardOutput == "2  Mark Zuckerberg\n1  Mark Chen\n")
        let prefix = try server.quotes(["--json", "speakers", "zucker*"])
        #expect(prefix.standardOutput == "{\"name\":\"Mark Zuckerberg\",\"quotes\":2}\n")
        let all = try server.quotes(["speakers", "--limit", "1"])
        #expect(all.standardOutput == "2  Mark Zuckerberg\n")

        let none = try server.quotes(["speakers", "nobody"])
        #expect(none.status == 1 && none.standardOutput.isEmpty)
        let bad = try server.quotes(["speakers", "zu*ck"])
        #expect(bad.status == 4)
        #expect(bad.standardError.contains("'*' may only end the last word"), "\(bad.standardError)")
        #expect(try server.quotes(["speakers", "--limit", "0"]).status == 2)

        // A search by speaker uses the same words rule.
        let goethe = try server.quotes(["search", "--speaker", "von goethe"])
        #expect(goethe.status == 0 && goethe.standardOutput.contains("Johann Wolfgang von Goethe"))
    }

    @Test func aSpeakerSearchThatFindsNothingSuggestsTheClosestNames() throws {
        let server = try ServerProcess()
        defer { server.stop() }
        #expect(try server.quotes(["import", "-"], input: Self.quotes).status == 0)
        let typo = try server.quotes(["search", "--speaker", "mark zukerberg"])
        #expect(typo.status == 1)
        #expect(typo.standardOutput.isEmpty)
        #expect(typo.standardError.contains("did you mean Mark Zuckerberg?"), "\(typo.standardError)")
        let far = try server.quotes(["search", "--speaker", "plato"])
        #expect(far.status == 1 && !far.standardError.contains("did you mean"))
    }
}
