import Dispatch
import Foundation
import QuoteCore
import QuoteStore
import Synchronization

// quote-bench: a release-build benchmark of the quote store (not a test). Appends synthetic
// quotes with durability never and always, reopens the big archive, and times searches,
// then prints one table with the targets next to the figures.

let configuration = BenchConfiguration.parse()
let root = configuration.directory ?? FileManager.default.temporaryDirectory
    .appendingPathComponent("quote-bench-\(getpid())").path
let removeRoot = configuration.directory == nil

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("quote-bench: \(message)\n".utf8))
    if removeRoot { try? FileManager.default.removeItem(atPath: root) }
    exit(1)
}

func openArchive(_ path: String, durability: Archive.Durability) -> Archive {
    var options = Archive.Options()
    options.durability = durability
    do {
        return try Archive(path: path, options: options)
    } catch {
        fail("cannot open \(path): \(error)")
    }
}

/// Adds `quotes` in batches, keeping up to `inFlight` batches queued so canonicalizing the
/// next batch overlaps the writer's work on the previous; returns the seconds taken.
func append(_ quotes: [Quote], to archive: Archive, batchSize: Int, inFlight: Int) -> Double {
    let window = DispatchSemaphore(value: inFlight)
    let group = DispatchGroup()
    let notAdded = Atomic<Int>(0)
    let seconds = Measurement.time {
        for start in stride(from: 0, to: quotes.count, by: batchSize) {
            let batch = Array(quotes[start..<min(quotes.count, start + batchSize)])
            window.wait()
            group.enter()
            archive.add(batch) { results in
                let missing = results.count { $0.status != .added }
                if missing > 0 { notAdded.add(missing, ordering: .relaxed) }
                window.signal()
                group.leave()
            }
        }
        group.wait()
    }
    let missing = notAdded.load(ordering: .relaxed)
    if missing > 0 { print("note: \(missing) quotes were not added (duplicates or rejected)") }
    return seconds
}

/// Times `queries` one by one; returns mean, p50 and p99 in microseconds and the mean hit
/// count. With `encoded`, each page is written as the server sends it (SEARCH_OK's bytes,
/// copied from the stored quotes) instead of built as `ArchivedQuote` values, whose Strings
/// cost about a microsecond a quote.
func timeSearches(_ archive: Archive, _ filters: [SearchFilter], limit: Int, encoded: Bool = false)
    -> (mean: Double, p50: Double, p99: Double, hits: Double) {
    for filter in filters.prefix(200) { _ = try? archive.search(filter, limit: limit) }
    var samples: [Double] = []
    samples.reserveCapacity(filters.count)
    var hits = 0
    for filter in filters {
        let start = Measurement.now()
        if encoded {
            var writer = ByteWriter(capacity: 64 * 1024)
            try? archive.encodeSearchPage(filter, limit: limit, into: &writer)
            samples.append((Measurement.now() - start) * 1e6)
            hits += writer.bytes.count >= 4 ? Int(writer.bytes[0]) << 24 | Int(writer.bytes[1]) << 16 | Int(writer.bytes[2]) << 8 | Int(writer.bytes[3]) : 0
        } else {
            let page = try? archive.search(filter, limit: limit)
            samples.append((Measurement.now() - start) * 1e6)
            hits += page?.quotes.count ?? 0
        }
    }
    let mean = samples.reduce(0, +) / Double(samples.count)
    samples.sort()
    return (mean, Measurement.percentile(samples, 0.5), Measurement.percentile(samples, 0.99), Double(hits) / Double(filters.count))
}

var table = ResultTable()
var generator = QuoteGenerator(seed: configuration.seed)
let neverPath = root + "/never"
let alwaysPath = root + "/always"
let reuse = configuration.reuse && FileManager.default.fileExists(atPath: neverPath + "/quotes.log")
if !reuse { try? FileManager.default.removeItem(atPath: neverPath) }
try? FileManager.default.removeItem(atPath: alwaysPath)
if !configuration.rowsOnly { print("quote-bench: \(Measurement.grouped(configuration.quotes)) quotes in \(root)") }

// Append, durability never.
if !reuse {
    var quotes: [Quote] = []
    let generation = Measurement.time { quotes = generator.nextQuotes(configuration.quotes) }
    let averageBytes = quotes.prefix(10_000).reduce(0) { total, quote in
        var writer = ByteWriter(capacity: 512)
        quote.encode(into: &writer)
        return total + writer.count
    } / min(quotes.count, 10_000)
    print("generated in \(Measurement.fixed(generation, 1)) s, about \(averageBytes) bytes per encoded quote")
    let archive = openArchive(neverPath, durability: .never)
    let seconds = append(quotes, to: archive, batchSize: configuration.batchSize, inFlight: 4)
    archive.close()
    table.add("append, durability never", Measurement.grouped(Int(Double(quotes.count) / seconds)) + " quotes/s",
              note: "\(Measurement.grouped(quotes.count)) quotes in batches of \(configuration.batchSize), "
                  + "\(Measurement.fixed(seconds, 2)) s")
}

// Append, durability always: one fdatasync per group commit of one batch.
if !configuration.skipAlways && !reuse {
    let count = min(configuration.alwaysQuotes, configuration.quotes)
    var always = QuoteGenerator(seed: configuration.seed &+ 1)
    let quotes = always.nextQuotes(count)
    let archive = openArchive(alwaysPath, durability: .always)
    let seconds = append(quotes, to: archive, batchSize: configuration.batchSize, inFlight: 1)
    archive.close()
    table.add("append, durability always", Measurement.grouped(Int(Double(count) / seconds)) + " quotes/s",
              note: "smaller run: \(Measurement.grouped(count)) quotes, one fdatasync per commit of "
                  + "\(configuration.batchSize), \(Measurement.fixed(seconds, 2)) s")
    try? FileManager.default.removeItem(atPath: alwaysPath)
}

// The archive is reopened by a fresh process, as a restarted server would: this one still
// holds tens of megabytes from appending, which would count in its RSS.
if !reuse {
    let child = Process()
    child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
    child.arguments = ["--dir", root, "--reuse", "--skip-always", "--rows-only",
                       "--quotes", String(configuration.quotes), "--searches", String(configuration.searches)]
    let output = Pipe()
    child.standardOutput = output
    do { try child.run() } catch { fail("cannot start the reopen process: \(error)") }
    let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    child.waitUntilExit()
    guard child.terminationStatus == 0 else { fail("the reopen process failed") }
    var trailer: [Substring] = []
    for line in printed.split(separator: "\n") {
        if line.contains("\t") { table.add(renderedRow: line) } else { trailer.append(line) }
    }
    print("")
    print(table.render())
    print("")
    for line in trailer { print(line) }
    if removeRoot { try? FileManager.default.removeItem(atPath: root) }
    exit(0)
}

// Reopen, page cache warm: recovery, then the indexes from the snapshot the last close
// saved (a restart after a clean shutdown); the rebuild from the log (a restart after a
// crash) is timed at the end.
let snapshotPath = neverPath + "/indexes"
if !FileManager.default.fileExists(atPath: snapshotPath) { openArchive(neverPath, durability: .never).close() }
Measurement.releaseFreeMemory()
let baselineRSS = Measurement.residentBytes()
let logBytes = Measurement.fileSize(neverPath + "/quotes.log")
var reopened: Archive?
let reopenSeconds = Measurement.time { reopened = openArchive(neverPath, durability: .never) }
let archive = reopened!
// Word and tag searches are fastest once the lists are ranked, which the archive does in
// the background after open; the memory is measured once it is done.
let rankSeconds = Measurement.time { archive.waitUntilRanked() }
table.add("ranking after reopen", Measurement.fixed(rankSeconds, 2) + " s",
          note: "word and tag lists in (date, id) order, built in the background; searches before it use the ordinal lists")
let rss = Measurement.residentBytes()
let statistics = archive.statistics
table.add("reopen (recovery + indexes)", Measurement.fixed(reopenSeconds, 2) + " s", target: "< 1 s",
          met: reopenSeconds < 1,
          note: "\(Measurement.grouped(archive.recoveryReport.records)) records, warm page cache, "
              + "indexes from the snapshot; " + phases(archive))
let ratio = Double(rss) / Double(max(1, logBytes))
table.add("RSS after reopen", Measurement.megabytes(rss) + " (" + Measurement.fixed(ratio, 2) + "x log)",
          target: "< 1.5x log", met: ratio < 1.5,
          note: "log \(Measurement.megabytes(logBytes)); RSS before open \(Measurement.megabytes(baselineRSS))")

// Searches.
var queryGenerator = SplitMix64(seed: configuration.seed &+ 2)
let speakerFilters = (0..<configuration.searches).map { _ in
    SearchFilter(speaker: generator.speakers.randomElement(using: &queryGenerator)!)
}
let speaker = timeSearches(archive, speakerFilters, limit: 20)
table.add("search by speaker, limit 20", Measurement.fixed(speaker.mean, 1) + " µs/query", target: "< 20 µs",
          met: speaker.mean < 20,
          note: "p99 \(Measurement.fixed(speaker.p99, 1)) µs, \(Measurement.fixed(speaker.hits, 1)) hits/query, "
              + "\(QuoteGenerator.speakerCount) speakers")
let encodedSpeaker = timeSearches(archive, speakerFilters, limit: 20, encoded: true)
table.add("search by speaker, limit 20, encoded", Measurement.fixed(encodedSpeaker.mean, 1) + " µs/query",
          note: "p99 \(Measurement.fixed(encodedSpeaker.p99, 1)) µs: the same queries, the page written as SEARCH_OK bytes "
              + "as the server does (no Quote values built)")

let monthFilters = (0..<configuration.searches).map { _ in
    let month = generator.randomMonth()
    return SearchFilter(from: month, to: month)
}
let month = timeSearches(archive, monthFilters, limit: 20)
table.add("search one-month range, limit 20", Measurement.fixed(month.mean, 1) + " µs/query",
          note: "p99 \(Measurement.fixed(month.p99, 1)) µs, \(Measurement.fixed(month.hits, 1)) hits/query")

let wordSearches = max(1, configuration.searches / 10)
let wordFilters = (0..<wordSearches).map { _ in
    SearchFilter(words: generator.randomWord() + " " + generator.randomWord())
}
let words = timeSearches(archive, wordFilters, limit: 20)
table.add("search two words, limit 20", "p50 " + Measurement.fixed(words.p50, 1) + " µs",
          target: "p50 < 50 µs, p99 < 500 µs", met: words.p50 < 50 && words.p99 < 500,
          note: "p99 \(Measurement.fixed(words.p99, 1)) µs, mean \(Measurement.fixed(words.mean, 1)) µs, "
              + "\(Measurement.fixed(words.hits, 1)) hits/query, Zipf-drawn words, \(Measurement.grouped(wordSearches)) queries")

let encodedWords = timeSearches(archive, wordFilters, limit: 20, encoded: true)
table.add("search two words, limit 20, encoded", "p50 " + Measurement.fixed(encodedWords.p50, 1) + " µs",
          note: "p99 \(Measurement.fixed(encodedWords.p99, 1)) µs, mean \(Measurement.fixed(encodedWords.mean, 1)) µs: "
              + "the same queries, the page written as SEARCH_OK bytes as the server does")

// Phrases of two words that follow each other in a generated text (so most exist), and
// prefixes of four letters of Zipf-drawn words with another word.
let phraseFilters = (0..<wordSearches).map { _ in
    let text = generator.nextQuote().text.split(separator: " ")
    let at = Int.random(in: 0..<(text.count - 1), using: &queryGenerator)
    return SearchFilter(words: "\"" + text[at] + " " + text[at + 1] + "\"")
}
let phrases = timeSearches(archive, phraseFilters, limit: 20)
table.add("search a two-word phrase, limit 20", "p50 " + Measurement.fixed(phrases.p50, 1) + " µs",
          target: "3x: p50 < 150 µs, p99 < 1.5 ms", met: phrases.p50 < 150 && phrases.p99 < 1500,
          note: "p99 \(Measurement.fixed(phrases.p99, 1)) µs, mean \(Measurement.fixed(phrases.mean, 1)) µs, "
              + "\(Measurement.fixed(phrases.hits, 1)) hits/query, consecutive words of generated texts")
// Why a phrase costs what it does: each quote holding the phrase's words is a candidate,
// whose word pair bits are checked and, when they may hold the phrase (about a third of
// the others here), whose text is read to see whether the words are in a row; how many
// candidates there are per match found. Counting the quotes that hold both words walks the
// same intersection without checking either, which splits a phrase page's time in two.
var readPerMatch: [Double] = []
var (intersected, intersectSeconds) = (0, 0.0)
for filter in phraseFilters.prefix(200) {
    let matches = (try? archive.count(filter)) ?? 0
    var holding = 0
    intersectSeconds += Measurement.time {
        holding = (try? archive.count(SearchFilter(words: filter.words.filter { $0 != "\"" }))) ?? 0
    }
    intersected += holding
    if matches > 0 { readPerMatch.append(Double(holding) / Double(matches)) }
}
readPerMatch.sort()
let medianRead = readPerMatch.isEmpty ? 0 : readPerMatch[readPerMatch.count / 2]
let textsPerPage = min(20 * medianRead, 1e9)
table.add("phrase: candidates per match", Measurement.fixed(medianRead, 1),
          note: "median over 200 phrases of (quotes holding both words) / (quotes holding the phrase): a page of 20 "
              + "checks about \(Measurement.fixed(textsPerPage, 0)) candidates")
let stepMicroseconds = intersectSeconds * 1e6 / Double(max(intersected, 1))
let intersectPart = stepMicroseconds * textsPerPage
table.add("phrase: a p50 page's time", "lists " + Measurement.fixed(intersectPart, 0) + " + checks "
              + Measurement.fixed(phrases.p50 - intersectPart, 0) + " µs",
          note: "finding \(Measurement.fixed(textsPerPage, 0)) candidates at \(Measurement.fixed(stepMicroseconds * 1000, 0)) ns "
              + "each (counting both words), the rest checking them (word pairs, then the texts that may match): "
              + "\(Measurement.fixed((phrases.p50 - intersectPart) / max(textsPerPage, 1) * 1000, 0)) ns a candidate")
let prefixFilters = (0..<wordSearches).map { _ in
    SearchFilter(words: String(generator.randomWord().prefix(4)) + "* " + generator.randomWord())
}
let prefixes = timeSearches(archive, prefixFilters, limit: 20)
table.add("search a prefix and a word, limit 20", "p50 " + Measurement.fixed(prefixes.p50, 1) + " µs",
          target: "3x: p50 < 150 µs, p99 < 1.5 ms", met: prefixes.p50 < 150 && prefixes.p99 < 1500,
          note: "p99 \(Measurement.fixed(prefixes.p99, 1)) µs, mean \(Measurement.fixed(prefixes.mean, 1)) µs, "
              + "\(Measurement.fixed(prefixes.hits, 1)) hits/query, `abcd* word`, Zipf-drawn")

// The most one page may cost: `w -w` matches nothing, but every quote holding `w` has its
// text read before the page ends on the work budget, empty, with a cursor.
let budgetFilters = (0..<200).map { _ in
    let word = generator.vocabulary[Int.random(in: 0..<20, using: &queryGenerator)]
    return SearchFilter(words: word + " -" + word)
}
let budgeted = timeSearches(archive, budgetFilters, limit: 20)
table.add("a page the work budget ends", "p50 " + Measurement.fixed(budgeted.p50 / 1000, 2) + " ms",
          note: "p99 \(Measurement.fixed(budgeted.p99 / 1000, 2)) ms: `w -w` for the 20 most frequent words, which reads "
              + "texts until the budget (\(Archive.defaultSearchWorkBudget) steps, a text 50) ends the page empty")

archive.close()
reopened = nil

// Reopen with the snapshot set aside: every index built from the log, as after a crash.
try? FileManager.default.removeItem(atPath: snapshotPath)
Measurement.releaseFreeMemory()
var rebuilt: Archive?
let rebuildSeconds = Measurement.time { rebuilt = openArchive(neverPath, durability: .never) }
table.add("reopen, indexes rebuilt", Measurement.fixed(rebuildSeconds, 2) + " s",
          note: "no snapshot, as after a crash; " + phases(rebuilt!))
rebuilt!.close()
rebuilt = nil

if configuration.rowsOnly {
    print(table.renderRows())
} else {
    print("")
    print(table.render())
    print("")
}
print("archive: \(Measurement.grouped(statistics.liveQuotes)) live quotes, \(Measurement.grouped(statistics.speakers)) speakers, "
      + "\(Measurement.grouped(statistics.words)) distinct words")
if removeRoot { try? FileManager.default.removeItem(atPath: root) }

/// An open's phases, as the table notes them.
func phases(_ archive: Archive) -> String {
    let timings = archive.openTimings
    return "read \(timings.readMilliseconds) + check \(timings.checkMilliseconds) + index \(timings.indexMilliseconds) ms"
}
