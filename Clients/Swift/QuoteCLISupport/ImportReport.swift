import QuoteCore

/// The tally of an import: what became of each quote, and where and why some were refused.
///
/// Renders the summary `quotes import` prints:
///
/// ```text
/// stored 1200: 1178 added, 2 updated, 20 already present; 1 differs; 4 rejected; 311 entries skipped without attribution
///   line 9: differs: 3a8264f1 is stored with other metadata (date, source, lang or tags); --replace updates it
///   line 17: the speaker is missing [missing_speaker]
/// ```
public struct ImportReport: Sendable, Equatable {
    /// One refused input.
    public struct Rejection: Sendable, Equatable {
        /// The line the input starts on, from 1.
        public var line: Int
        /// For fortune files, the entry's number among the file's entries, from 1.
        public var entry: Int?
        /// The file it came from, when a directory was imported.
        public var file: String?
        /// Why it was refused, with the error code's name in brackets when there is one.
        public var reason: String

        /// Creates a rejection.
        public init(line: Int, entry: Int? = nil, file: String? = nil, reason: String) {
            self.line = line
            self.entry = entry
            self.file = file
            self.reason = reason
        }

        /// `line 17`, `entry 12 (line 140)` for a fortune entry, after `FILE: ` for a file of
        /// an imported directory.
        public var location: String {
            let place = entry.map { "entry \($0) (line \(line))" } ?? "line \(line)"
            return file.map { "\($0): \(place)" } ?? place
        }
    }

    /// Quotes stored now.
    public var added = 0
    /// Quotes stored already with other metadata, whose metadata the import replaced.
    public var updated = 0
    /// Quotes that were stored already; importing twice changes nothing.
    public var alreadyPresent = 0
    /// Quotes stored already with other metadata and left as they were, in input order.
    public var differences: [Rejection] = []
    /// Inputs refused, by the parser or by the server, in input order.
    public var rejections: [Rejection] = []
    /// Fortune entries without an attribution; nil for formats where that cannot happen.
    public var skippedWithoutAttribution: Int?

    /// Creates an empty report.
    public init(skippedWithoutAttribution: Int? = nil) {
        self.skippedWithoutAttribution = skippedWithoutAttribution
    }

    /// Quotes the archive now holds as the file has them: added, updated or already present.
    public var stored: Int { added + updated + alreadyPresent }

    /// Every input that was a quote or tried to be.
    public var total: Int { stored + differences.count + rejections.count }

    /// Counts the server's answer for the input starting on `line` (and fortune `entry`).
    public mutating func record(_ result: AddResult, line: Int, entry: Int? = nil, file: String? = nil) {
        switch result.status {
        case .added: added += 1
        case .updated: updated += 1
        case .alreadyPresent: alreadyPresent += 1
        case .differs:
            let reason = "differs: \(result.id.short()) is stored with other metadata (date, source, lang or tags); --replace updates it"
            differences.append(Rejection(line: line, entry: entry, file: file, reason: reason))
        case .rejected: reject(line: line, entry: entry, file: file, reason: "\(result.message) [\(result.code.name)]")
        }
    }

    /// Counts an input refused before or by the server; rejections stay sorted by line.
    public mutating func reject(line: Int, entry: Int? = nil, file: String? = nil, reason: String) {
        let rejection = Rejection(line: line, entry: entry, file: file, reason: reason)
        let position = rejections.lastIndex { ImportReport.order($0, rejection) }.map { $0 + 1 } ?? 0
        rejections.insert(rejection, at: position)
    }

    /// Adds the counts and notes of the report of another file of the same import.
    public mutating func merge(_ other: ImportReport) {
        added += other.added
        updated += other.updated
        alreadyPresent += other.alreadyPresent
        differences += other.differences
        rejections += other.rejections
        if let skipped = other.skippedWithoutAttribution {
            skippedWithoutAttribution = (skippedWithoutAttribution ?? 0) + skipped
        }
    }

    /// Input order: by file (in the order imported, which is by name), then line.
    static func order(_ first: Rejection, _ second: Rejection) -> Bool {
        ((first.file ?? ""), first.line, first.entry ?? 0) <= ((second.file ?? ""), second.line, second.entry ?? 0)
    }

    /// `stored N: A added, U updated, P already present; D differ; R rejected`, and for
    /// fortune files how many entries were skipped.
    public var summary: String {
        var line = "stored \(stored): \(added) added, \(updated) updated, \(alreadyPresent) already present; "
            + "\(differences.count) \(differences.count == 1 ? "differs" : "differ"); \(rejections.count) rejected"
        if let skipped = skippedWithoutAttribution {
            line += "; \(skipped) \(skipped == 1 ? "entry" : "entries") skipped without attribution"
        }
        return line
    }

    /// How many notes `lines` lists before it says how many more there are.
    public static let listedNotes = 20

    /// The summary, then one indented line per quote that differs or was rejected, in input
    /// order: the first `limit`, then how many more (`--json` lists every one).
    public func lines(limit: Int = Int.max) -> [String] {
        let notes = (differences + rejections).sorted { ImportReport.order($0, $1) && !ImportReport.order($1, $0) }
        var lines = [summary] + notes.prefix(limit).map { "  \($0.location): \($0.reason)" }
        if notes.count > limit {
            lines.append("  … and \(notes.count - limit) more (--json lists every one)")
        }
        return lines
    }

    /// Every line: the summary and every note.
    public var lines: [String] { lines() }
}
