/// What one SEARCH page has spent of its work budget, and what the steps cost: every way a
/// search walks its candidates (ranked lists, the unranked tail, the ordinal lists before
/// the first ranking) counts the same way, so a page ends at the same cost whichever path
/// it took (PROTOCOL.md §5, SEARCH).
struct SearchWork {
    /// The work a page may do by default: a list step costs 1, reading a quote's text (a
    /// phrase, prefix or exclusion to check) `textCheckCost`, its rough cost relative to a
    /// step. Under 7 ms on these machines (quote-bench: "a page the work budget ends"); a
    /// two-word page at a million quotes takes a few hundred steps.
    static let defaultBudget = 200_000
    static let textCheckCost = 50

    /// Nil for no limit.
    let budget: Int?
    var steps = 0

    var isOver: Bool { budget.map { steps > $0 } ?? false }
}
