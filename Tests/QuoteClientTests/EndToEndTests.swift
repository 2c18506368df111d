import Foundation
import Testing

/// `quotes` against a real `quoted`: output shapes, exit codes, idempotent imports, and an
/// export that another server imports into the same quotes under the same ids.
@Suite(.enabled(if: ServerProcess.isAvailable), .serialized) struct EndToEndTests {
    static let seed = """
        {"text": "Stay hungry, stay foolish.", "speaker": "Steve Jobs", "date": "2005-06-12", "source": "Stanford commencement", "lang": "en", "tags": ["life"]}
        {"text": "Je pense, donc je suis.", "speaker": "René Descartes", "date": "1637", "lang": "fr"}
        {"text": "", "speaker": "Nobody"}
        not json
        {"text": "Simplicity is prerequisite for reliability.", "speaker": "Edsger W. Dijkstra", "date": "1975-06-18", "tags": ["computing"]}

        """

    @Test func importSearchGetDeleteAndExitCodes() throws {
        let server = try ServerProcess()
        defer { server.stop() }

        let first = try server.quotes(["import", "-"], input: EndToEndTests.seed)
        #expect(first.status == 4)
        #expect(first.standardOutput == """
            stored 3: 3 added, 0 updated, 0 already present; 0 differ; 2 rejected
              line 3: the text is empty [empty_text]
              line 4: not valid JSON: \(first.standardOutput.components(separatedBy: "line 4: not valid JSON: ").last ?? "")
            """)
        let again = try server.quotes(["import", "-"], input: EndToEndTests.seed)
        #expect(again.standardOutput.hasPrefix("stored 3: 0 added, 0 updated, 3 already present; 0 differ; 2 rejected\n"))

        let search = try server.quotes(["search", "--speaker", "jobs"])
        #expect(search.status == 0)
        let lines = search.standardOutput.split(separator: "\n")
        #expect(lines.first == "\u{201C}Stay hungry, stay foolish.\u{201D}")
        #expect(lines.last?.hasPrefix("\u{2014} Steve Jobs, 2005-06-12, Stanford commencement [en] #life  (") == true)

        let json = try server.quotes(["--json", "search", "--from", "1900"])
        let objects = try json.standardOutput.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(Set(objects.compactMap { $0["speaker"] as? String }) == ["Steve Jobs", "Edsger W. Dijkstra"])
        let id = try #require(objects.first?["id"] as? String)

        #expect(try server.quotes(["search", "--speaker", "nobody-at-all"]).status == 1)
        #expect(try server.quotes(["get", String(id.prefix(8))]).standardOutput.hasPrefix("\u{201C}"))
        #expect(try server.quotes(["get", "abc"]).status == 4)
        let missing = try server.quotes(["get", "000000"])
        #expect(missing.status == 1)
        #expect(missing.standardError.hasSuffix("[not_found]\n"))
        #expect(try server.quotes(["random", "--lang", "de"]).status == 1)
        #expect(try server.quotes(["today", "--lang", "fr"]).standardOutput.contains("René Descartes"))

        let rejected = try server.quotes(["add", "words", "--speaker", "x", "--lang", "12"])
        #expect(rejected.status == 4)
        #expect(rejected.standardError.hasSuffix("[invalid_language]\n"))
        let added = try server.quotes(["--json", "add", "-", "--speaker", "Anon"], input: "From standard input.\n")
        #expect(added.status == 0)
        #expect(added.standardOutput.hasSuffix(#","status":"added"}"# + "\n"))
        let present = try server.quotes(["add", "From standard input.", "--speaker", "Anon"])
        #expect(present.standardError == "already present\n")

        #expect(try server.quotes(["delete", id]).standardOutput == "deleted \(id)\n")
        #expect(try server.quotes(["delete", id]).status == 1)
        #expect(try server.quotes(["stats"]).standardOutput.contains("quotes.live"))
    }

    @Test func exportImportedElsewhereReproducesTheQuotesAndIDs() throws {
        let source = try ServerProcess()
        defer { source.stop() }
        let target = try ServerProcess()
        defer { target.stop() }
        _ = try source.quotes(["import", "-"], input: EndToEndTests.seed)
        let fortune = "Be yourself.\n\t\t-- Oscar Wilde\n%\nA joke.\n%\n"
        #expect(try source.quotes(["import", "--format", "fortune", "-"], input: fortune).standardOutput
            == "stored 1: 1 added, 0 updated, 0 already present; 0 differ; 0 rejected; 1 entry skipped without attribution\n")

        let export = try source.quotes(["export"])
        #expect(export.status == 0)
        #expect(export.standardOutput.split(separator: "\n").count == 4)
        let imported = try target.quotes(["import", "-"], input: export.standardOutput)
        #expect(imported.status == 0)
        #expect(imported.standardOutput == "stored 4: 4 added, 0 updated, 0 already present; 0 differ; 0 rejected\n")
        // Same quotes, same ids; only `added` and `origin`, the new puts' own, differ.
        func quotes(_ export: String) -> Set<Substring> {
            Set(export.split(separator: "\n").map { $0.prefix(upTo: $0.range(of: #","added":"#)!.lowerBound) })
        }
        let reexport = try target.quotes(["export"])
        #expect(quotes(reexport.standardOutput) == quotes(export.standardOutput))
        // The digest compares content: equal, though every put is the target's own.
        let digests = try [source, target].map { try $0.quotes(["--json", "digest"]).standardOutput }
        #expect(digests[0].contains(#""count":4"#))
        func contentDigest(_ json: String) -> Substring? {
            json.range(of: #""digest":"[0-9a-f]{64}""#, options: .regularExpression).map { json[$0] }
        }
        #expect(contentDigest(digests[0]) != nil)
        #expect(contentDigest(digests[0]) == contentDigest(digests[1]))
        #expect(digests[0] != digests[1], "the ops digests should differ: the puts are each server's own")
    }

    /// A quote is its words and speaker: the CLI says when a stored quote differs, replaces
    /// on request, edits metadata under the same id and moves new words to a new id.
    @Test func addDiffersReplaceAndEditRoundTrip() throws {
        let server = try ServerProcess()
        defer { server.stop() }
        let text = "Simplicity is prerequisite for reliability."
        let added = try server.quotes(["add", text, "--speaker", "Edsger W. Dijkstra", "--date", "1975"])
        #expect(added.status == 0)
        let id = added.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.count == 32)

        let differs = try server.quotes(["add", text, "--speaker", "Edsger W. Dijkstra", "--tag", "software"])
        #expect(differs.status == 0 && differs.standardOutput == id + "\n")
        #expect(differs.standardError.hasPrefix("differs: stored with other metadata"))
        #expect(!(try server.quotes(["--json", "get", id]).standardOutput.contains("software")))

        let replaced = try server.quotes(["--json", "add", text, "--speaker", "Edsger W. Dijkstra", "--tag", "software",
                                          "--replace"])
        #expect(replaced.standardOutput == #"{"id":"\#(id)","status":"updated"}"# + "\n")

        let edited = try server.quotes(["edit", String(id.prefix(8)), "--date", "1975-06-18", "--add-tag", "ewd"])
        #expect(edited.status == 0 && edited.standardOutput == id + "\n")
        let shown = try server.quotes(["--json", "get", id]).standardOutput
        #expect(shown.contains(#""date":"1975-06-18""#) && shown.contains(#""tags":["ewd","software"]"#))
        let unchanged = try server.quotes(["edit", id, "--date", "1975-06-18"])
        #expect(unchanged.status == 0 && unchanged.standardError.hasPrefix("unchanged"))

        let moved = try server.quotes(["--json", "edit", id, "--text", "Simplicity is a prerequisite for reliability."])
        #expect(moved.status == 0 && moved.standardOutput.contains(#""previous":"\#(id)""#))
        #expect(moved.standardOutput.contains(#""status":"added""#))
        #expect(try server.quotes(["get", id]).status == 1)
        #expect(try server.quotes(["--json", "search", "--tag", "ewd"]).standardOutput.contains("a prerequisite"))

        #expect(try server.quotes(["edit", id, "--tag", "x"]).status == 1)
        #expect(try server.quotes(["edit", String(id.prefix(8))]).status == 2)
        #expect(try server.quotes(["edit", String(id.prefix(8)), "--date", "2025", "--no-date"]).status == 2)
    }

    @Test func importReplaceUpdatesWhatDiffers() throws {
        let server = try ServerProcess()
        defer { server.stop() }
        _ = try server.quotes(["import", "-"], input: EndToEndTests.seed)
        let retagged = EndToEndTests.seed.replacingOccurrences(of: #""tags": ["life"]"#, with: #""tags": ["life", "talks"]"#)
        let plain = try server.quotes(["import", "-"], input: retagged)
        #expect(plain.standardOutput.hasPrefix("stored 2: 0 added, 0 updated, 2 already present; 1 differs; 2 rejected\n"))
        #expect(plain.standardOutput.contains("line 1: differs: "))
        let replaced = try server.quotes(["import", "--replace", "-"], input: retagged)
        #expect(replaced.standardOutput.hasPrefix("stored 3: 0 added, 1 updated, 2 already present; 0 differ; 2 rejected\n"))
        #expect(try server.quotes(["--json", "search", "--tag", "talks"]).standardOutput.contains("Stay hungry"))
    }

    /// Piped, search writes every match unless --limit says otherwise: no silent cut at 20.
    @Test func pipedSearchWritesEveryMatchUnlessLimited() throws {
        let server = try ServerProcess()
        defer { server.stop() }
        let lines = (0..<45).map { #"{"text": "Piped quote \#($0).", "speaker": "Pipe Speaker"}"# }.joined(separator: "\n")
        #expect(try server.quotes(["import", "-"], input: lines).status == 0)
        let all = try server.quotes(["--json", "search", "--speaker", "pipe"])
        #expect(all.status == 0 && all.standardOutput.split(separator: "\n").count == 45)
        let limited = try server.quotes(["--json", "search", "--speaker", "pipe", "--limit", "5"])
        #expect(limited.standardOutput.split(separator: "\n").count == 5)
        let none = try server.quotes(["search", "--speaker", "nobody at all"])
        #expect(none.status == 1 && none.standardOutput.isEmpty)

        // On a terminal (script(1), from util-linux, which every Debian has, gives one) the
        // list stops at 20 and the note says how many match in all.
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return }
        let command = [try #require(CommandLineRunner.executable("quotes")), "--server", server.address,
                       "search", "--speaker", "pipe"].joined(separator: " ")
        let terminal = try CommandLineRunner.run("/usr/bin/script", ["-qec", command, "/dev/null"], input: "", environment: [:])
        #expect(terminal.status == 0)
        #expect(terminal.standardOutput.contains("20 of 45 quotes shown (--limit N or --all for more)"), "\(terminal.standardOutput)")
        #expect(terminal.standardOutput.components(separatedBy: "— Pipe Speaker").count == 21)
    }

    /// `import --format fortune DIR` takes every fortune file below DIR (not indexes, links
    /// or hidden files); a file with no JSON line is refused at once with a hint.
    @Test func importsADirectoryOfFortunesAndRefusesNonJSONWithAHint() throws {
        let server = try ServerProcess()
        defer { server.stop() }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fortunes-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/de", withIntermediateDirectories: true)
        try "Be yourself.\n\t\t-- Oscar Wilde\n%\n".write(toFile: root + "/wisdom", atomically: true, encoding: .utf8)
        try "Binary index.\n\t\t-- Not A Quote\n%\n".write(toFile: root + "/wisdom.dat", atomically: true, encoding: .utf8)
        try "Hidden.\n\t\t-- Not A Quote\n%\n".write(toFile: root + "/.hidden", atomically: true, encoding: .utf8)
        try "Wer fremde Sprachen nicht kennt, weiß nichts von seiner eigenen.\n\t\t-- Johann Wolfgang von Goethe\n%\n"
            .write(toFile: root + "/de/zitate", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root + "/wisdom.u8", withDestinationPath: root + "/wisdom")

        let imported = try server.quotes(["import", "--format", "fortune", root])
        #expect(imported.status == 0)
        #expect(imported.standardOutput == "stored 2: 2 added, 0 updated, 0 already present; 0 differ; 0 rejected; 0 entries skipped without attribution\n")
        #expect(try server.quotes(["search", "--speaker", "goethe"]).status == 0)

        let notJSON = try server.quotes(["import", root + "/wisdom"])
        #expect(notJSON.status == 4 && notJSON.standardOutput.isEmpty)
        #expect(notJSON.standardError.hasSuffix("For a fortune file, add --format fortune.\n"), "\(notJSON.standardError)")
        #expect(try server.quotes(["import", root]).standardError.contains("is a directory: --format fortune imports"))
    }
}
