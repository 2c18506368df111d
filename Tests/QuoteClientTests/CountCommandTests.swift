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
}
