import QuoteCore

// What follows the dash of a fortune attribution, split into speaker, source and date. The
// shapes seen in Debian's fortunes, and what becomes of them:
//
//   Mark Twain                                      speaker
//   Ambrose Bierce, "The Devil's Dictionary"        speaker, source (quotes dropped)
//   Alan Kay, "Computer Software", Scientific American, September 1984
//                                                   speaker, source, date 1984-09
//   The Washington Post Magazine, 9 June, 1985      speaker, date 1985-06-09
//   Brad DeLong (2009)                              speaker, date 2009
//   Steve Jobs (1955-2011)                          speaker (a life span is not a date)
//   Larry Wall in <199710011704.KAA21395@wall.org>  speaker, source <message-id>
//   Muad'dib [Frank Herbert, "Dune"]                speaker, source
//   "The Naked Consumer", Erik Larson               speaker Erik Larson, source
//   "Applied Optics", vol. 11, A14, 1972            speaker Applied Optics, source, date
//                                                   (after a title only a capitalized part
//                                                   without digits is a name)
//   Séneca. (2 a.C-65) Filósofo latino.             speaker Séneca, source Filósofo latino
//                                                   (a life span in parentheses ends the name;
//                                                   the description after it is no name)
//   Fred Brooks, Jr.                                speaker (name suffixes stay)
//
// Commas inside quotes, parentheses and brackets do not split. A recognizable date wins over
// being part of the source; anything else unrecognized stays in the source verbatim, because
// losing words is worse than an untidy source.

/// The speaker, source and date of one fortune attribution such as `-- Mark Twain, 1897`.
public struct FortuneAttribution: Sendable, Equatable {
    /// Who said it: the attribution's first part.
    public var speaker: String
    /// When, if a year (with maybe a month and day) stands on its own in the attribution.
    public var date: QuoteDate?
    /// Everything else the attribution holds, such as a title or a publication.
    public var source: String?

    /// Creates an attribution from its parts.
    public init(speaker: String, date: QuoteDate? = nil, source: String? = nil) {
        self.speaker = speaker
        self.date = date
        self.source = source
    }

    /// Parses the text after the dash; nil when no speaker is left.
    public init?(parsing body: String) {
        let words = body.split(whereSeparator: { $0 == " " || $0 == "\t" })
        var parts = FortuneAttribution.components(of: words.joined(separator: " "))
        if var last = parts.last, last.hasSuffix("."), last.dropLast().last?.isNumber == true {
            last.removeLast()
            parts[parts.count - 1] = last
        }
        guard !parts.isEmpty else { return nil }
        // A title named before the speaker: `"Title", Name`.
        var sourceParts: [String] = []
        if parts.count >= 2, FortuneAttribution.isWhollyQuoted(parts[0]), FortuneAttribution.looksLikeAName(parts[1]) {
            sourceParts.append(parts.removeFirst())
        }
        var speaker = parts.removeFirst()
        // `Name. (life span) Description.`: the name ends before the parentheses.
        if let (name, description) = FortuneAttribution.nameBeforeLifeSpan(speaker) {
            speaker = name
            if !description.isEmpty { sourceParts.append(description) }
        }
        // `-- May 18, 1999` under an IRC log dates the words but names nobody.
        if FortuneAttribution.dateFields(speaker) != nil || FortuneAttribution.monthAndDay(speaker) != nil { return nil }
        if let suffix = parts.first, FortuneAttribution.nameSuffixes.contains(suffix) {
            speaker += ", " + parts.removeFirst()
        }
        var date: QuoteDate?
        var speakerNotes: [String] = []
        FortuneAttribution.peelNotes(from: &speaker, date: &date, into: &speakerNotes)
        speaker = FortuneAttribution.unquoted(speaker)
        speaker = FortuneAttribution.withoutClosingPeriod(speaker)
        guard !speaker.isEmpty else { return nil }

        parts.removeAll(where: FortuneAttribution.isLifeSpan)
        if date == nil { date = FortuneAttribution.takeDate(from: &parts) }
        let source = (sourceParts + speakerNotes + parts).joined(separator: ", ")
        self.init(speaker: speaker, date: date, source: source.isEmpty ? nil : FortuneAttribution.unquoted(source))
    }

    /// Whether a part after a quoted title can be the speaker: capitalized, no digits, not
    /// quoted, not a date (`vol. 11`, `proof that 2 equals 1` and `9 June` are not names).
    static func looksLikeAName(_ part: String) -> Bool {
        guard let first = part.first, first.isUppercase, !part.contains(where: \.isNumber), !isWhollyQuoted(part) else {
            return false
        }
        return dateFields(part) == nil && monthAndDay(part) == nil
    }

    /// `Séneca. (2 a.C-65) Filósofo latino.` as (`Séneca`, `Filósofo latino`): a name, a
    /// life span or year in parentheses, then a description; nil for any other shape.
    static func nameBeforeLifeSpan(_ text: String) -> (name: String, description: String)? {
        guard let open = text.firstIndex(of: "("), let close = text[open...].firstIndex(of: ")"), open > text.startIndex else {
            return nil
        }
        let inner = trimmed(String(text[text.index(after: open)..<close]))
        guard isLifeSpan(inner) || fourDigitYear(inner) != nil else { return nil }
        let after = trimmed(String(text[text.index(after: close)...]))
        // Only when words follow: `Name (1955)` and `Name (1941-2011)` are peelNotes' part.
        guard !after.isEmpty else { return nil }
        var name = trimmed(String(text[..<open]))
        if name.hasSuffix(".") && !name.hasSuffix(" Jr.") { name.removeLast() }
        var description = after
        if description.hasSuffix(".") { description.removeLast() }
        return name.isEmpty ? nil : (name, trimmed(description))
    }

    /// `Lopez de Ayala.` as `Lopez de Ayala`: the period that closes a sentence-like
    /// attribution, not one of an initial (`J.`) or an abbreviation (`Jr.`, `Bros.`).
    static func withoutClosingPeriod(_ name: String) -> String {
        guard name.hasSuffix("."), let last = name.split(separator: " ").last, last.count > 4,
              !nameSuffixes.contains(String(last)), !abbreviations.contains(String(last)),
              last.dropLast().last?.isLetter == true else { return name }
        return String(name.dropLast())
    }

    /// Words whose period is their own, at the end of a name.
    static let abbreviations: Set<String> = ["Bros.", "Corp.", "Prof.", "Assn.", "Dept.", "Univ.", "Gov't."]

    /// What may follow a name after a comma and still be the name: `Fred Brooks, Jr.`.
    static let nameSuffixes: Set<String> = ["Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV", "Esq.", "Ph.D.", "PhD", "M.D."]

    /// How many characters the attribution marker at the start of `line` takes (`--`, `—`
    /// or `―`, after any indentation); nil when the line does not start an attribution.
    static func markerLength(of line: String) -> Int? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        let length: Int
        if trimmed.hasPrefix("--- "), let after = trimmed.dropFirst(4).first, after != "-" {
            // `--- Isaac Asimov`: three dashes, then a space, then words.
            length = 3
        } else if trimmed.hasPrefix("--") {
            length = 2
        } else if trimmed.first == "\u{2014}" || trimmed.first == "\u{2015}" {
            length = 1
        } else {
            return nil
        }
        let rest = trimmed.dropFirst(length).drop { $0 == " " || $0 == "\t" }
        // `---`, `-->` and a bare `--` are rules, arrows and dialogue, not attributions.
        guard let first = rest.first, first != "-", first != ">", first != "\u{2014}" else { return nil }
        return length
    }

    /// Splits on commas outside quotes, parentheses and brackets; parts are trimmed, empty ones dropped.
    static func components(of body: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var inQuotes = false
        var depth = 0
        for character in body {
            switch character {
            case "\"": inQuotes.toggle()
            case "\u{201C}": inQuotes = true
            case "\u{201D}": inQuotes = false
            case "(", "[": depth += 1
            case ")", "]": depth = max(0, depth - 1)
            case "," where !inQuotes && depth == 0:
                parts.append(current)
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        parts.append(current)
        return parts.map(trimmed).filter { !$0.isEmpty }
    }

    /// Moves trailing `(…)`, `[…]` and `<…>` notes off the speaker: a year becomes the date, a
    /// life span is dropped, anything else goes to the source. `Name in <id>` is a Usenet cite.
    static func peelNotes(from speaker: inout String, date: inout QuoteDate?, into notes: inout [String]) {
        if let cite = speaker.range(of: " in <") {
            notes.insert(String(speaker[speaker.index(cite.upperBound, offsetBy: -1)...]), at: 0)
            speaker = trimmed(String(speaker[..<cite.lowerBound]))
        }
        let pairs: [(open: Character, close: Character)] = [("(", ")"), ("[", "]"), ("<", ">")]
        while let pair = pairs.first(where: { speaker.last == $0.close }),
              let open = speaker.lastIndex(of: pair.open), open > speaker.startIndex {
            let inner = trimmed(String(speaker[speaker.index(after: open)..<speaker.index(before: speaker.endIndex)]))
            speaker = trimmed(String(speaker[..<open]))
            if pair.open == "(", let fields = dateFields(inner), fields.month == nil, date == nil {
                date = try? QuoteDate(year: fields.year)
            } else if !(pair.open == "(" && isLifeSpan(inner)) {
                notes.insert(pair.open == "<" ? "<\(inner)>" : inner, at: 0)
            }
        }
    }

    /// Removes the last date found in `parts` and returns it: a part that is a date on its
    /// own (`1984`, `September 1984`, `June 6 1988`), a year after a `Month Day` part
    /// (`June 6, 1988`), or a trailing `(1955)`.
    static func takeDate(from parts: inout [String]) -> QuoteDate? {
        for index in parts.indices.reversed() {
            if let fields = dateFields(parts[index]) {
                if fields.month == nil, index > 0, let (month, day) = monthAndDay(parts[index - 1]),
                   let date = try? QuoteDate(year: fields.year, month: month, day: day) {
                    parts.removeSubrange((index - 1)...index)
                    return date
                }
                guard let date = try? QuoteDate(year: fields.year, month: fields.month, day: fields.day) else { continue }
                parts.remove(at: index)
                return date
            }
            let part = parts[index]
            if part.hasSuffix(")"), let open = part.lastIndex(of: "("),
               let fields = dateFields(String(part[part.index(after: open)..<part.index(before: part.endIndex)])),
               fields.month == nil, let date = try? QuoteDate(year: fields.year) {
                let rest = trimmed(String(part[..<open]))
                if rest.isEmpty { parts.remove(at: index) } else { parts[index] = rest }
                return date
            }
        }
        return nil
    }

    /// The fields of a part that is only a date: `1984`, `Sept. 1982`, `June 6 1988`, `9 June 1985`.
    static func dateFields(_ part: String) -> (year: Int, month: Int?, day: Int?)? {
        let words = part.split(separator: " ").map(String.init)
        guard let last = words.last, let year = fourDigitYear(last) else { return nil }
        let rest = Array(words.dropLast())
        if rest.isEmpty { return (year, nil, nil) }
        guard let (month, day) = monthAndDay(rest.joined(separator: " ")) else { return nil }
        return (year, month, day)
    }

    /// `June`, `Sept.`, `June 6`, `9 June` as a month and maybe a day.
    static func monthAndDay(_ part: String) -> (month: Int?, day: Int?)? {
        let words = part.split(separator: " ").map(String.init)
        switch words.count {
        case 1:
            guard let month = month(named: words[0]) else { return nil }
            return (month, nil)
        case 2:
            if let month = month(named: words[0]), let day = dayNumber(words[1]) { return (month, day) }
            if let day = dayNumber(words[0]), let month = month(named: words[1]) { return (month, day) }
            return nil
        default:
            return nil
        }
    }

    /// A month's number from its English name or abbreviation, with or without a period.
    static func month(named word: String) -> Int? {
        var name = word.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        let names = ["january", "february", "march", "april", "may", "june", "july", "august",
                     "september", "october", "november", "december"]
        if let index = names.firstIndex(where: { $0 == name || (name.count == 3 && $0.hasPrefix(name)) }) {
            return index + 1
        }
        return name == "sept" ? 9 : nil
    }

    static func dayNumber(_ word: String) -> Int? {
        guard (1...2).contains(word.count), let day = Int(word), (1...31).contains(day) else { return nil }
        return day
    }

    static func fourDigitYear(_ word: String) -> Int? {
        guard word.count == 4, word.allSatisfy(\.isASCII), let year = Int(word), year >= 1000 else { return nil }
        return year
    }

    /// `1941-2011`, `1785 - 1859`, `c.55 - c.117`, `43 B.C. - A.D. 18`, `4BC - 65AD`: a
    /// person's dates, which say nothing about when the words were said.
    static func isLifeSpan(_ text: String) -> Bool {
        let dashes: Set<Character> = ["-", "\u{2013}"]
        guard text.contains(where: { dashes.contains($0) }), text.contains(where: \.isNumber) else { return false }
        let allowed = Set("0123456789 .?cabdCABD").union(dashes)
        return text.allSatisfy { allowed.contains($0) }
    }

    static func isWhollyQuoted(_ text: String) -> Bool {
        let straight = text.count >= 2 && text.first == "\"" && text.last == "\""
            && text.filter({ $0 == "\"" }).count == 2
        let curly = text.count >= 2 && text.first == "\u{201C}" && text.last == "\u{201D}"
        return straight || curly
    }

    static func unquoted(_ text: String) -> String {
        isWhollyQuoted(text) ? trimmed(String(text.dropFirst().dropLast())) : text
    }

    static func trimmed(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(text.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
