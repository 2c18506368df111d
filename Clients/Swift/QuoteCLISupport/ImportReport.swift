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
        /// Why it was refused, with the error code's name in brackets when there is one.
        public var reason: String

        /// Creates a rejection.
        public init(line: Int, entry: Int? = nil, reason: String) {
            self.line = line
            self.entry = entry
            self.reason = reason
        }

        /// `line 17`, or `entry 12 (line 140)` for a fortune entry.
        public var location: String {
            entry.map { "entry \($0) (line \(line))" } ?? "line \(line)"
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
    public mutating func record(_ result: AddResult, line: Int, entry: Int? = nil) {
        switch result.status {
        case .added: added += 1
        case .updated: updated += 1
        case .alreadyPresent: alreadyPresent += 1
        case .differs:
            let reason = "differs: \(result.id.short()) is stored with other metadata (date, source, lang or tags); --replace updates it"
            differences.append(Rejection(line: line, entry: entry, reason: reason))
        case .rejected: reject(line: line, entry: entry, reason: "\(result.message) [\(result.code.name)]")
        }
    }

    /// Counts an input refused before or by the server; rejections stay sorted by line.
    public mutating func reject(line: Int, entry: Int? = nil, reason: String) {
        let rejection = Rejection(line: line, entry: entry, reason: reason)
        let position = rejections.lastIndex { $0.line <= line }.map { $0 + 1 } ?? 0
        rejections.insert(rejection, at: position)
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

    /// The summary, then one indented line per quote that differs or was rejected, in input order.
    public var lines: [String] {
        let notes = (differences + rejections).sorted { ($0.line, $0.entry ?? 0) < ($1.line, $1.entry ?? 0) }
        return [summary] + notes.map { "  \($0.location): \($0.reason)" }
    }
}
