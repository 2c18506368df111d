import Foundation
import QuoteStore
import Testing

/// The folding table and word vectors in Protocol/folding/, which the Python client's
/// tests check too: the folder's table is the committed one (so a toolchain whose Unicode
/// data moves a letter is caught), and every vector's text splits into its words.
///
/// With `QUOTES_REGENERATE_VECTORS=1` both files are first rewritten from this build.
@Suite(.serialized) struct FoldingVectorTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Protocol/folding")
    static let regenerate = ProcessInfo.processInfo.environment["QUOTES_REGENERATE_VECTORS"] == "1"

    /// The Unicode version of the data the table was built from (the newest `age` of any
    /// scalar this runtime knows).
    static var unicodeVersion: String {
        var newest = (major: 0, minor: 0)
        for value in 0...0x10FFFF {
            guard let age = Unicode.Scalar(value)?.properties.age else { continue }
            if (age.major, age.minor) > newest { newest = (age.major, age.minor) }
        }
        return "\(newest.major).\(newest.minor)"
    }

    /// Each code point of the table ranges as 4 hex digits → its folded form: a string, ""
    /// for a mark that vanishes, null for a separator.
    static func tableJSON() throws -> Data {
        var folds: [String: Any] = [:]
        for range in TextFolder.tableRanges {
            for codePoint in range {
                let key = String(format: "%04X", codePoint)
                if let folded = TextFolder.fold(codePoint) {
                    folds[key] = String(decoding: folded, as: UTF8.self)
                } else {
                    folds[key] = NSNull()
                }
            }
        }
        let document: [String: Any] = [
            "format": "quote archive folding table, version 1 (PROTOCOL.md §4, Words)",
            "unicode": unicodeVersion,
            "ranges": TextFolder.tableRanges.map { [String(format: "%04X", $0.lowerBound), String(format: "%04X", $0.upperBound)] },
            "folds": folds,
        ]
        return try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    /// Texts across scripts, their folded words as this build splits them.
    static let texts: [String] = {
        var texts = [
            "MAISON Maison maïson", "quelqu'un s'est faufilé", "contre-liés", "Straße STRASSE", "Việt Nam", "Muḥammad",
            "Øresund Łódź Æsir Œuvre", "İstanbul ıspanak", "Đorđe Þór Ðóra", "ħaġar", "E=mc² H₂O x³",
            "«Guillemets» “quotes” ‘single’", "narrow\u{202F}no-break", "em—dash en–dash", "Ἀθῆναι ᾅδης ὠδή",
            "Ελληνικά ΚΑΛΗΜΕΡΑ καλημέρα", "ς σ Σ", "Москва МОСКВА ёлка Ёлка", "שָׁלוֹם שלום", "مُحَمَّد محمد",
            "日本語のテキスト", "한국어 텍스트", "\u{1100}\u{1161}\u{11A8}", "e\u{0301}cole école", "ﬁne ﬂow",
            "Ĳsselmeer", "café-crème", "naïve façade", "Ångström", "Dvořák Šafařík", "Ꞵ", "ſtraße", "ĸ ŋ ŧ ŀ",
            "don't", "rock'n'roll", "x⁴ y⁽2⁾ z₂", "1984 2025-06-28", "ＦＵＬＬ width", "superintelligence SUPERINTELLIGENT",
        ]
        // Every fifth code point of the table ranges, alone, so each part of the table is seen.
        for range in TextFolder.tableRanges {
            for codePoint in stride(from: range.lowerBound, through: range.upperBound, by: 5) {
                if let scalar = Unicode.Scalar(codePoint) { texts.append("a" + String(Character(scalar)) + "b") }
            }
        }
        return texts
    }()

    static func vectorsJSON() throws -> Data {
        let cases: [[String: Any]] = texts.map { text in
            ["text": text, "words": TextFolder.shared.words(of: text).map { String(decoding: $0, as: UTF8.self) }]
        }
        let document: [String: Any] = ["format": "quote archive folding vectors, version 1: text → folded words", "cases": cases]
        return try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    static func prepare() throws {
        guard regenerate else { return }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let table = try tableJSON()
        try table.write(to: directory.appendingPathComponent("table.json"))
        // The Python client ships the same table.
        try table.write(to: directory.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Clients/python/quotearchive/folding_table.json"))
        try vectorsJSON().write(to: directory.appendingPathComponent("vectors.json"))
    }

    func committed(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: Self.directory.appendingPathComponent(name)))
    }

    @Test func theFoldersTableIsTheCommittedTable() throws {
        try Self.prepare()
        let mine = try JSONSerialization.jsonObject(with: Self.tableJSON()) as! NSDictionary
        let theirs = try committed("table.json") as! NSDictionary
        #expect(mine["unicode"] as? String == theirs["unicode"] as? String)
        // A separator is null: compared as nil, a fold as its string.
        func folds(_ table: NSDictionary) -> [String: String?] {
            (table["folds"] as! [String: Any]).mapValues { $0 as? String }
        }
        let (myFolds, theirFolds) = (folds(mine), folds(theirs))
        #expect(myFolds.count == theirFolds.count)
        for (key, value) in myFolds where theirFolds[key] != value {
            Issue.record("U+\(key): this build folds to \(String(describing: value)), the table says \(String(describing: theirFolds[key]))")
        }
    }

    @Test func everyVectorSplitsIntoItsWords() throws {
        try Self.prepare()
        let document = try committed("vectors.json") as! [String: Any]
        let cases = document["cases"] as! [[String: Any]]
        #expect(cases.count >= 300)
        for entry in cases {
            let text = entry["text"] as! String
            let words = TextFolder.shared.words(of: text).map { String(decoding: $0, as: UTF8.self) }
            #expect(words == entry["words"] as! [String], "\(text)")
        }
    }

    /// The letters the issue found unfolded, and NFD queries.
    @Test func theLettersOnceLeftAloneFoldAndQueriesAreNFC() {
        func words(_ text: String) -> [String] { TextFolder.shared.words(of: text).map { String(decoding: $0, as: UTF8.self) } }
        #expect(words("Øre Łódź Æsir Œuvre ıspanak Đorđe Þór") == ["ore", "lodz", "aesir", "oeuvre", "ispanak", "dorde", "thor"])
        #expect(words("Việt Muḥammad ἈΘῆναι") == ["viet", "muhammad", "αθηναι"])
        #expect(words("x² Straße") == ["x2", "strasse"])
        #expect(words("\u{1112}\u{1161}\u{11AB}") == words("한"))
        #expect(words("e\u{0301}cole") == ["ecole"])
    }
}
