import QuoteCore

/// What a run sends: the request frames of one operation, ready to copy onto a socket.
///
/// GET, SEARCH and PING frames are encoded once, up front, with request id 0; sending one
/// copies it and patches the id, so the load generator spends its CPU on the socket, not
/// on encoding (on a 2-core machine it shares the cores with the server). ADD builds each
/// frame from a new quote, since every add must be a real write.
///
/// Immutable once built; shared by every thread.
struct Workload: Sendable {
    /// The request sent.
    let operation: LoadOperation
    /// Encoded frames to pick from at random (GET, SEARCH, PING), end to end; empty for ADD.
    /// One flat array rather than an array of arrays: picking a frame then costs no
    /// reference counting, which showed up at 10% of the generator's CPU.
    private let templateBytes: [UInt8]
    /// Where each frame starts in `templateBytes`, and where the last one ends.
    private let templateStarts: [Int]
    /// The speakers new quotes are attributed to (ADD).
    let speakers: [String]
    /// Bytes of quote text for ADD.
    let valueBytes: Int
    /// Sets this run's quotes apart from every other run's, so none is already present.
    let runTag: String

    /// Where the request id sits in a frame: after the length and the opcode.
    static let requestIDOffset = 5

    /// The speakers seeded and added quotes are spread over; searches pick among them.
    static let seededSpeakers = (0..<100).map { "Load Speaker " + ($0 < 10 ? "0" : "") + String($0) }

    /// A workload sending `operation`; `known` lists the ids (GET) or speakers (SEARCH) to ask for.
    init(operation: LoadOperation, known: [String], configuration: LoadConfiguration, runTag: String) {
        self.operation = operation
        self.valueBytes = configuration.valueBytes
        self.runTag = runTag
        speakers = Workload.seededSpeakers
        let frames: [[UInt8]]
        switch operation {
        case .get:
            frames = known.map { Request.get($0).frame(requestID: 0).encoded }
        case .search:
            let limit = UInt32(configuration.searchLimit)
            frames = known.map { Request.search(SearchFilter(speaker: $0), limit: limit, cursor: []).frame(requestID: 0).encoded }
        case .words:
            let limit = UInt32(configuration.searchLimit)
            frames = known.map { Request.search(SearchFilter(words: $0), limit: limit, cursor: []).frame(requestID: 0).encoded }
        case .ping:
            let data = [UInt8](repeating: UInt8(ascii: "p"), count: configuration.valueBytes)
            frames = [Request.ping(data).frame(requestID: 0).encoded]
        case .add:
            frames = []
        }
        templateBytes = frames.flatMap { $0 }
        var starts = [0]
        for frame in frames { starts.append(starts[starts.count - 1] + frame.count) }
        templateStarts = starts
    }

    /// Appends one request frame to `output`: a random template, or a new quote numbered
    /// `sequence` for `thread`.
    func appendRequest(to output: inout [UInt8], requestID: UInt32, thread: Int, sequence: Int,
                       random: inout SplitMix64) {
        guard operation == .add else {
            let pick = templateStarts.count == 2 ? 0 : random.below(templateStarts.count - 1)
            let start = output.count
            templateBytes.withUnsafeBufferPointer { bytes in
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[templateStarts[pick]..<templateStarts[pick + 1]]))
            }
            let at = start + Workload.requestIDOffset
            output[at] = UInt8(truncatingIfNeeded: requestID >> 24)
            output[at + 1] = UInt8(truncatingIfNeeded: requestID >> 16)
            output[at + 2] = UInt8(truncatingIfNeeded: requestID >> 8)
            output[at + 3] = UInt8(truncatingIfNeeded: requestID)
            return
        }
        let quote = newQuote(label: "t\(thread)-\(sequence)", index: sequence &+ thread)
        output.append(contentsOf: Request.add([quote]).frame(requestID: requestID).encoded)
    }

    /// A quote no other call makes (the label and the run tag make its text unique), with
    /// about `valueBytes` bytes of text, a speaker and a date chosen from `index`.
    func newQuote(label: String, index: Int) -> Quote {
        let tag = " [" + runTag + "-" + label + "]"
        let fillerBytes = max(0, valueBytes - tag.utf8.count)
        let text = String(Workload.filler.utf8.prefix(fillerBytes))! + tag
        // Spread dates over 1900-2027 so a search page is a real sort, not insertion order.
        let mixed = UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15
        let date = try? QuoteDate(year: 1900 + Int((mixed >> 32) % 128), month: Int((mixed >> 16) % 12) + 1,
                                  day: Int((mixed >> 8) % 28) + 1)
        return Quote(text: text, speaker: speakers[index % speakers.count], date: date, lang: "en")
    }

    /// Plain ASCII prose, long enough for any `--value-bytes` prefix up to its length and
    /// repeated beyond it.
    private static let filler: String = {
        let sentence = "The archive keeps every word that was ever said about patience, and the load "
            + "generator asks for them again and again, measuring how long each answer takes to come back. "
        return String(repeating: sentence, count: 60_000 / sentence.utf8.count + 1)
    }()
}
