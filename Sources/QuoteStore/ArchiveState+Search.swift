import CQuoteSupport
import QuoteCore

/// A filter resolved against the indexes: keys turned into ids, dates into day numbers.
struct PreparedFilter {
    /// The speaker-name words the speaker must all have, rarest first: the first one's
    /// list is walked, the others checked against each quote's speaker.
    var speakerKeys: [UInt32] = []
    var fromDay: Int32?
    var toDay: Int32?
    var wordIDs: [UInt32] = []
    /// Quoted phrases, as word ids that must appear consecutively.
    var phraseIDs: [[UInt32]] = []
    /// Those of the phrases made of ASCII words, checked on a text's bytes before folding it.
    var phrasePrefilters: [PhrasePrefilter] = []
    /// The `WordPairIndex` bits the phrases' word pairs set: a quote lacking one is not
    /// read (0 without a phrase of two words or more).
    var phrasePairBits: UInt64 = 0
    /// The words, phrases, prefixes and exclusions as folded bytes, for reading a text.
    var textCheck: TextCheck?
    /// For each `prefix*`, the ids of the words it stands for; one must appear.
    var prefixExpansions: [Set<UInt32>] = []
    /// Runs of word ids that must not appear (a single `-word` is a run of one).
    var excludedRuns: [[UInt32]] = []
    var tagIDs: [UInt32] = []
    var langID: UInt32?
    /// A term names nothing in the archive: the answer is empty without looking.
    var matchesNothing = false

    var hasDateRange: Bool { fromDay != nil || toDay != nil }
    /// Whether a quote's words must be read to decide it: a phrase, prefix or exclusion.
    var needsTextCheck: Bool { !phraseIDs.isEmpty || !prefixExpansions.isEmpty || !excludedRuns.isEmpty }

    /// What checking one candidate against this filter costs of a page's work budget.
    var checkCost: Int { needsTextCheck ? SearchWork.textCheckCost : 1 }
}

extension ArchiveState {
    /// The position after which a page starts: the last quote of the previous page.
    struct Cursor {
        var sortKey: UInt32
        var id: QuoteID

        static let version: UInt8 = 1

        var bytes: [UInt8] {
            var writer = ByteWriter(capacity: 21)
            writer.writeInteger(Cursor.version)
            writer.writeInteger(sortKey)
            id.encode(into: &writer)
            return writer.bytes
        }

        init(sortKey: UInt32, id: QuoteID) {
            self.sortKey = sortKey
            self.id = id
        }

        init(bytes: [UInt8]) throws(ArchiveError) {
            var reader = ByteReader(bytes)
            guard bytes.count == 21, (try? reader.readInteger(as: UInt8.self)) == Cursor.version,
                  let sortKey = try? reader.readInteger(as: UInt32.self),
                  let id = try? QuoteID.decode(from: &reader) else { throw .invalidCursor }
            self.init(sortKey: sortKey, id: id)
        }
    }

    func prepare(_ filter: SearchFilter) throws(ArchiveError) -> PreparedFilter {
        var prepared = PreparedFilter()
        // Each empty field is skipped before any folding or allocation: a search is a few
        // microseconds, and most filters set one field.
        if !filter.speaker.isEmpty {
            // Every word of the query a whole word of the name, in any order: `von goethe`
            // finds "Johann Wolfgang von Goethe", `edsger dijkstra` "Edsger W. Dijkstra".
            for word in folder.words(of: filter.speaker) {
                guard let key = indexes.speakers.keys.find(word) else { prepared.matchesNothing = true; break }
                if !prepared.speakerKeys.contains(key) { prepared.speakerKeys.append(key) }
            }
            let speakers = indexes.speakers
            prepared.speakerKeys.sort { speakers.lists[Int($0)].count < speakers.lists[Int($1)].count }
            // The speakers matching, from the key → speakers lists: when it is one (a full
            // name, the usual query), its own name's list is walked, which holds its quotes
            // (and those of any name that folds alike), not every quote of its rarest word.
            if !prepared.matchesNothing, let rarest = prepared.speakerKeys.min(by: {
                speakers.speakersByKey[Int($0)].count < speakers.speakersByKey[Int($1)].count
            }) {
                let matching = speakers.speakersByKey[Int(rarest)].filter { speaker in
                    prepared.speakerKeys.allSatisfy(speakers.keysBySpeaker[Int(speaker)].contains)
                }
                if matching.isEmpty {
                    prepared.matchesNothing = true
                } else if matching.count == 1, let own = speakers.keysBySpeaker[Int(matching[0])].first,
                          speakers.lists[Int(own)].count < speakers.lists[Int(prepared.speakerKeys[0])].count {
                    prepared.speakerKeys.insert(own, at: 0)
                }
            }
        }
        prepared.fromDay = filter.from?.firstDay
        prepared.toDay = filter.to?.lastDay
        if !filter.words.isEmpty { try prepareText(TextQuery(filter.words, folder: folder), into: &prepared) }
        for tag in filter.tags {
            let canonical = Array(tag.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased().utf8)
            guard !canonical.isEmpty else { continue }
            guard let id = indexes.tags.terms.find(canonical) else { prepared.matchesNothing = true; break }
            if !prepared.tagIDs.contains(id) { prepared.tagIDs.append(id) }
        }
        let lang = filter.lang.isEmpty ? [] : Array(filter.lang.lowercased().utf8)
        if !lang.isEmpty {
            if let id = indexes.languages.codes.find(lang) { prepared.langID = id } else { prepared.matchesNothing = true }
        }
        return prepared
    }

    /// Resolves a text query's words against the word index: a required word or phrase
    /// the archive lacks matches nothing; an excluded one it lacks excludes nothing; a
    /// prefix becomes the set of words it starts (refused past `maximumPrefixExpansion`).
    private func prepareText(_ query: TextQuery, into prepared: inout PreparedFilter) throws(ArchiveError) {
        let terms = indexes.words.terms
        for word in query.words {
            guard let id = terms.find(word) else { prepared.matchesNothing = true; return }
            if !prepared.wordIDs.contains(id) { prepared.wordIDs.append(id) }
        }
        for phrase in query.phrases {
            prepared.phraseIDs.append(phrase.compactMap { terms.find($0) })
            if let prefilter = PhrasePrefilter(phrase) { prepared.phrasePrefilters.append(prefilter) }
        }
        for prefix in query.prefixes {
            var expansion = Set<UInt32>()
            for id in 0..<UInt32(terms.count) where terms.key(id).starts(with: prefix) {
                expansion.insert(id)
                guard expansion.count <= TextQuery.maximumPrefixExpansion else {
                    let shown = String(decoding: prefix, as: UTF8.self)
                    throw .invalidQuery("'\(shown)*' stands for more than \(TextQuery.maximumPrefixExpansion) words; give more letters")
                }
            }
            guard !expansion.isEmpty else { prepared.matchesNothing = true; return }
            prepared.prefixExpansions.append(expansion)
        }
        var excludedWords: [[[UInt8]]] = []
        for run in query.excluded {
            let ids = run.compactMap { terms.find($0) }
            if ids.count == run.count {
                prepared.excludedRuns.append(ids)
                excludedWords.append(run)
            }
        }
        prepared.phrasePairBits = WordPairIndex.required(by: query.phrases)
        prepared.textCheck = TextCheck(words: query.words, phrases: query.phrases, prefixes: query.prefixes,
                                       excluded: excludedWords)
    }

    /// Whether `run` occurs in `sequence` as consecutive elements.
    static func occurs(_ run: [UInt32], in sequence: [UInt32]) -> Bool {
        guard !run.isEmpty, run.count <= sequence.count else { return run.isEmpty }
        for start in 0...(sequence.count - run.count) where sequence[start] == run[0] {
            if sequence[start..<start + run.count].elementsEqual(run) { return true }
        }
        return false
    }

    /// Whether the live quote at `ordinal` passes every filter not already implied by
    /// the list it came from.
    func accepts(_ ordinal: UInt32, _ filter: PreparedFilter, speakerImplied: Bool, postingsImplied: Bool) -> Bool {
        let entry = entries[Int(ordinal)]
        guard entry.isLive else { return false }
        if filter.hasDateRange {
            guard entry.sortKey != .max else { return false }
            if let from = filter.fromDay, entry.lastDay < from { return false }
            if let to = filter.toDay, entry.firstDay > to { return false }
        }
        if let langID = filter.langID, entry.langID != langID { return false }
        if !filter.speakerKeys.isEmpty {
            let keys = indexes.speakers.keysBySpeaker[Int(entry.speakerID)]
            for key in filter.speakerKeys.dropFirst(speakerImplied ? 1 : 0) where !keys.contains(key) { return false }
        }
        let checkPostings = !postingsImplied && !(filter.wordIDs.isEmpty && filter.tagIDs.isEmpty)
        if !checkPostings && !filter.needsTextCheck { return true }
        if !mayHoldPhrases(ordinal, filter) { return false }
        guard let location = entry.location else { return false }
        return arena.withBytes(at: location) { bytes in
            if checkPostings && !filter.tagIDs.isEmpty {
                let fields = QuoteFields(bytes)
                for tagID in filter.tagIDs {
                    let tag = indexes.tags.terms.key(tagID)
                    let found = fields.tags.contains { range in
                        range.count == tag.count && zip(bytes[range], tag).allSatisfy { $0 == $1 }
                    }
                    if !found { return false }
                }
            }
            let checkWords = checkPostings && !filter.wordIDs.isEmpty
            if !checkWords && !filter.needsTextCheck { return true }
            // The text is the first field: parsing the others cost a sixth of a phrase search.
            let text = UnsafeRawBufferPointer(rebasing: bytes[QuoteFields.text(in: bytes)])
            if !filter.needsTextCheck {
                var missing = Set(filter.wordIDs)
                folder.forEachWord(in: text) { word in
                    if let id = indexes.words.terms.find(word) { missing.remove(id) }
                }
                return missing.isEmpty
            }
            for prefilter in filter.phrasePrefilters where !prefilter.mayOccur(in: text) { return false }
            if let check = filter.textCheck { return check.accepts(text, folder: folder, checkWords: checkWords) }
            // The text's words in order, as ids (every word of a stored quote is indexed).
            var sequence: [UInt32] = []
            folder.forEachWord(in: text) { word in
                sequence.append(indexes.words.terms.find(word) ?? .max)
            }
            if checkWords && !filter.wordIDs.allSatisfy(sequence.contains) { return false }
            for phrase in filter.phraseIDs where !ArchiveState.occurs(phrase, in: sequence) { return false }
            for expansion in filter.prefixExpansions where !sequence.contains(where: expansion.contains) { return false }
            for run in filter.excludedRuns where ArchiveState.occurs(run, in: sequence) { return false }
            return true
        }
    }

    /// False when the quote at `ordinal` lacks a word pair of the filter's phrases, so
    /// cannot hold them and its text need not be read.
    @inline(__always)
    func mayHoldPhrases(_ ordinal: UInt32, _ filter: PreparedFilter) -> Bool {
        indexes.wordPairs.mayHold(ordinal, filter.phrasePairBits)
    }

    /// Whether `ordinal` comes after `cursor` in (date, id) order; true without a cursor.
    func isAfter(_ ordinal: UInt32, _ cursor: Cursor?) -> Bool {
        guard let cursor else { return true }
        return ArchiveState.isAfter(entries[Int(ordinal)], cursor)
    }

    /// Whether `entry` comes after `cursor` in (date, id) order.
    static func isAfter(_ entry: ArchiveEntry, _ cursor: Cursor) -> Bool {
        if entry.sortKey != cursor.sortKey { return entry.sortKey > cursor.sortKey }
        return entry.id > cursor.id
    }

    /// Starts loading the entries, then the quote bytes, of the first ordinals of `list`
    /// from `start`: a page's worth, whose cache misses then overlap instead of coming one
    /// after the other as the filters and the page builder reach them.
    func prefetch(_ list: SortedOrdinalList, from start: SortedOrdinalList.Position) {
        var ordinals: [UInt32] = []
        ordinals.reserveCapacity(ArchiveState.prefetchedOrdinals)
        list.forEach(from: start) { ordinal in
            ordinals.append(ordinal)
            return ordinals.count < ArchiveState.prefetchedOrdinals
        }
        prefetchQuotes(ordinals)
    }

    /// Prefetches the entries of `ordinals`, then their quotes' bytes (the second pass reads
    /// the entries the first one asked for, by then on their way).
    func prefetchQuotes<Ordinals: Sequence<UInt32>>(_ ordinals: Ordinals) {
        entries.withUnsafeBufferPointer { entries in
            for ordinal in ordinals { cqs_prefetch(entries.baseAddress! + Int(ordinal)) }
            for ordinal in ordinals {
                guard let location = entries[Int(ordinal)].location else { continue }
                arena.prefetch(at: location)
            }
        }
    }

    /// How many ordinals `prefetch` loads ahead: a default page and a little more.
    static let prefetchedOrdinals = 24

    /// Where the first ordinal after `cursor` sits in `list`; the start without a cursor.
    ///
    /// The closure reads `entries` as a local: a closure calling a method of `self`, even one
    /// never run (no cursor), copied the whole state, retaining every array, per query.
    func start(of list: SortedOrdinalList, after cursor: Cursor?) -> SortedOrdinalList.Position {
        guard let cursor else { return SortedOrdinalList.Position(chunk: 0, index: 0) }
        let entries = self.entries
        return list.partitionPoint { ArchiveState.isAfter(entries[Int($0)], cursor) }
    }

    /// Above this many posting-list matches, a page is found by walking the date buckets
    /// and keeping the matches rather than by sorting them all: sorting a million matches
    /// to return twenty took hundreds of milliseconds.
    static let sortedMatchesLimit = 1024

    /// Calls `body` with matching ordinals in (date, id) order, starting after `cursor`;
    /// `body` returns false to stop. With a `budget` (see `SearchWork`), a search by
    /// words, tags or prefixes may stop early: it returns the ordinal to resume after.
    @discardableResult
    func forEachMatch(_ filter: PreparedFilter, after cursor: Cursor?, budget: Int? = nil,
                      _ body: (UInt32) -> Bool) -> UInt32? {
        if filter.matchesNothing { return nil }

        let usesTerms = !filter.wordIDs.isEmpty || !filter.tagIDs.isEmpty || !filter.prefixExpansions.isEmpty
        if usesTerms, let ranked = indexes.ranked {
            return forEachRankedMatch(filter, ranked: ranked, after: cursor, budget: budget, body)
        }
        if usesTerms {
            // Before the first ranking (see `RankedIndex`): the ordinal lists, whole.
            // Intersect posting lists, rarest first, decoding the longer ones as a stream.
            var lists = filter.wordIDs.map { indexes.words.postings[Int($0)] } + filter.tagIDs.map { indexes.tags.postings[Int($0)] }
            lists.sort { $0.count < $1.count }
            var candidates: [UInt32]
            if let first = lists.first {
                candidates = first.ordinals
            } else {
                // Prefixes alone: the quotes holding any word of the smallest expansion.
                let postings = indexes.words.postings
                let smallest = filter.prefixExpansions.min {
                    $0.reduce(0) { $0 + postings[Int($1)].count } < $1.reduce(0) { $0 + postings[Int($1)].count }
                }!
                candidates = Array(Set(smallest.flatMap { postings[Int($0)].ordinals })).sorted()
            }
            for list in lists.dropFirst() where !candidates.isEmpty {
                var kept: [UInt32] = []
                var index = 0
                list.forEach { ordinal in
                    while index < candidates.count && candidates[index] < ordinal { index += 1 }
                    if index < candidates.count && candidates[index] == ordinal { kept.append(ordinal) }
                }
                candidates = kept
            }
            var work = SearchWork(budget: budget)
            if candidates.count <= ArchiveState.sortedMatchesLimit {
                candidates = candidates.filter { isAfter($0, cursor) }
                candidates.sort(by: precedes)
                for ordinal in candidates {
                    work.steps += filter.checkCost
                    if accepts(ordinal, filter, speakerImplied: false, postingsImplied: true) && !body(ordinal) { return nil }
                    if work.isOver { return ordinal }
                }
                return nil
            }
            var isCandidate = [UInt64](repeating: 0, count: (entries.count + 63) / 64)
            for ordinal in candidates { isCandidate[Int(ordinal >> 6)] |= 1 << UInt64(ordinal & 63) }
            var resumeAfter: UInt32?
            walkInDateOrder(filter, after: cursor) { ordinal in
                work.steps += 1
                if isCandidate[Int(ordinal >> 6)] & (1 << UInt64(ordinal & 63)) != 0 {
                    work.steps += filter.checkCost
                    if accepts(ordinal, filter, speakerImplied: false, postingsImplied: true) && !body(ordinal) { return false }
                }
                // Everything up to `ordinal` is decided, so the next page goes on after it.
                if work.isOver {
                    resumeAfter = ordinal
                    return false
                }
                return true
            }
            return resumeAfter
        }

        if let key = filter.speakerKeys.first {
            let list = indexes.speakers.lists[Int(key)]
            let first = start(of: list, after: cursor)
            prefetch(list, from: first)
            list.forEach(from: first) { ordinal in
                guard accepts(ordinal, filter, speakerImplied: true, postingsImplied: false) else { return true }
                return body(ordinal)
            }
            return nil
        }

        walkInDateOrder(filter, after: cursor) { ordinal in
            guard accepts(ordinal, filter, speakerImplied: false, postingsImplied: false) else { return true }
            return body(ordinal)
        }
        return nil
    }

    /// Calls `body` with every ordinal, live or not, in (date, id) order after `cursor`,
    /// skipping the date buckets wholly outside the filter's range; `body` does the
    /// filtering and returns false to stop.
    private func walkInDateOrder(_ filter: PreparedFilter, after cursor: Cursor?, _ body: (UInt32) -> Bool) {
        var firstBucket: UInt32 = 0
        if let fromDay = filter.fromDay { firstBucket = UInt32(dayToYear(fromDay)) << 8 }
        if let cursor { firstBucket = max(firstBucket, cursor.sortKey == .max ? .max : cursor.sortKey >> 8) }
        let lastBucket: UInt32 = filter.toDay.map { UInt32(dayToYear($0)) << 8 | 12 } ?? .max
        let dates = indexes.dates
        let startIndex = dates.sortedKeys.partitionPoint { $0 >= firstBucket }
        var stopped = false
        for bucket in dates.sortedKeys[startIndex...] {
            if bucket > lastBucket || stopped { return }
            guard let list = dates.buckets[bucket] else { continue }
            // Found by search, not by scanning: the undated bucket alone may hold most quotes.
            let first = start(of: list, after: cursor)
            prefetch(list, from: first)
            list.forEach(from: first) { ordinal in
                stopped = !body(ordinal)
                return !stopped
            }
        }
    }

    /// The year a day number (days since 0001-01-01) falls in; close enough to pick buckets.
    func dayToYear(_ day: Int32) -> Int {
        var year = Int(Double(day) / 365.2425) + 1
        while QuoteDate.dayNumber(year: year, month: 1, day: 1) > day { year -= 1 }
        while QuoteDate.dayNumber(year: year + 1, month: 1, day: 1) <= day { year += 1 }
        return year
    }

    func archived(_ ordinal: UInt32) -> ArchivedQuote {
        let entry = entries[Int(ordinal)]
        return ArchivedQuote(id: entry.id, timestamp: entry.timestamp, origin: entry.origin,
                             quote: arena.quote(at: entry.location!))
    }

    /// Writes the quote at `ordinal` as `ArchivedQuote.encode` would, copying its stored
    /// bytes instead of building and re-encoding its Strings.
    func encodeArchived(_ ordinal: UInt32, into writer: inout ByteWriter) {
        let entry = entries[Int(ordinal)]
        entry.id.encode(into: &writer)
        writer.writeInteger(entry.timestamp.rawValue)
        writer.writeInteger(entry.origin)
        arena.withBytes(at: entry.location!) { bytes in
            writer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[..<QuoteFields.encodedLength(bytes)]))
        }
    }

    /// The live quote `idOrPrefix` names.
    func get(_ idOrPrefix: String) throws(ArchiveError) -> ArchivedQuote {
        archived(try resolve(idOrPrefix))
    }

    /// Writes the live quote `idOrPrefix` names, as `ArchivedQuote.encode` would.
    func encodeGet(_ idOrPrefix: String, into writer: inout ByteWriter) throws(ArchiveError) {
        encodeArchived(try resolve(idOrPrefix), into: &writer)
    }

    /// Writes a SEARCH_OK payload, as `Response.searchPage` of `search`'s result would encode.
    func encodeSearchPage(_ filter: SearchFilter, limit: Int, cursor: [UInt8], budget: Int = SearchWork.defaultBudget,
                          into writer: inout ByteWriter) throws(ArchiveError) {
        let (page, next) = try searchOrdinals(filter, limit: limit, cursor: cursor, budget: budget)
        writer.writeInteger(UInt32(page.count))
        for ordinal in page { encodeArchived(ordinal, into: &writer) }
        writer.writeInteger(UInt32(next.count))
        writer.writeBytes(next)
    }

    /// A page of matches after `cursor`, and the cursor of the next page if there is one.
    func search(_ filter: SearchFilter, limit: Int, cursor: [UInt8], budget: Int = SearchWork.defaultBudget)
        throws(ArchiveError) -> ([ArchivedQuote], [UInt8]) {
        let (page, next) = try searchOrdinals(filter, limit: limit, cursor: cursor, budget: budget)
        return (page.map(archived), next)
    }

    /// The ordinals of a page of matches after `cursor`, and the next page's cursor if any.
    func searchOrdinals(_ filter: SearchFilter, limit: Int, cursor: [UInt8], budget: Int = SearchWork.defaultBudget)
        throws(ArchiveError) -> ([UInt32], [UInt8]) {
        let after = cursor.isEmpty ? nil : try Cursor(bytes: cursor)
        let prepared = try prepare(filter)
        var page: [UInt32] = []
        var pageBytes = 0
        var more = false
        let resumeAfter = forEachMatch(prepared, after: after, budget: budget) { ordinal in
            // A page ends early past `maxPageBytes` so a page of long quotes still fits a
            // frame; the cursor carries on from there.
            if page.count == limit || pageBytes >= ArchiveState.maxPageBytes { more = true; return false }
            page.append(ordinal)
            if let location = entries[Int(ordinal)].location {
                pageBytes += arena.withBytes(at: location) { QuoteFields.encodedLength($0) } + 32
            }
            return true
        }
        // A page the work budget ended goes on after the last quote looked at, which need
        // not be a match: the page may be short, or empty, with a cursor.
        let last = resumeAfter ?? (more ? page.last : nil)
        let next = last.map { Cursor(sortKey: entries[Int($0)].sortKey, id: entries[Int($0)].id).bytes } ?? []
        return (page, next)
    }

    /// About how many bytes of quotes one SEARCH page may carry.
    static let maxPageBytes = 512 * 1024

    /// How many live quotes match the filter (COUNT): every match is visited, so this costs
    /// what a search paging through all of them would, without building a page.
    func count(_ filter: SearchFilter) throws(ArchiveError) -> Int {
        var count = 0
        forEachMatch(try prepare(filter), after: nil) { _ in
            count += 1
            return true
        }
        return count
    }

    /// Every match of the filter, in order.
    func allMatches(_ filter: SearchFilter) throws(ArchiveError) -> [UInt32] {
        var matches: [UInt32] = []
        forEachMatch(try prepare(filter), after: nil) { matches.append($0); return true }
        return matches
    }

    /// The live ordinal whose id is `text` or uniquely starts with it.
    func resolve(_ text: String) throws(ArchiveError) -> UInt32 {
        let trimmed = text.trimmingNewlines()
        guard trimmed.utf8.count >= QuoteID.minimumPrefixLength, let prefix = QuoteIDPrefix(hex: trimmed) else {
            throw .invalidID(text)
        }
        if prefix.length == 32 {
            guard let ordinal = ordinal(of: prefix.lowerBound), entries[Int(ordinal)].isLive else { throw .notFound(trimmed) }
            return ordinal
        }
        var found: [UInt32] = []
        let idOrder = indexes.idOrder
        let start = idOrder.sorted.partitionPoint { entries[Int($0)].id >= prefix.lowerBound }
        for ordinal in idOrder.sorted[start...] {
            guard prefix.matches(entries[Int(ordinal)].id) else { break }
            if entries[Int(ordinal)].isLive { found.append(ordinal) }
            if found.count > 1 { break }
        }
        // The unsorted recent ids are scanned by the first words kept beside them, a dense
        // array read in order; only a candidate's entry is loaded. Loading each entry made
        // a prefix lookup cost a cache miss per quote added since the last merge.
        let highMask: UInt64 = prefix.length >= 16 ? ~0 : ~UInt64(0) << (64 - prefix.length * 4)
        for (index, high) in idOrder.recentIDHighs.enumerated() where high & highMask == prefix.high && found.count < 2 {
            let ordinal = idOrder.recent[index]
            if prefix.matches(entries[Int(ordinal)].id), entries[Int(ordinal)].isLive, !found.contains(ordinal) {
                found.append(ordinal)
            }
        }
        if found.isEmpty { throw .notFound(trimmed) }
        if found.count > 1 { throw .ambiguousPrefix(trimmed, matches: found.count) }
        return found[0]
    }
}
