import QuoteCore
import QuoteStore

/// Target `codec`: the structures messages and log records are made of.
///
/// The first data byte picks a structure; the rest is decoded as one. What decodes must
/// re-encode to exactly the bytes it consumed and decode again to the same bytes. A quote
/// that canonicalizes must stay within the limits, canonicalize again to the same bytes
/// (canonical form is a fixed point, or ids would drift between hosts), and survive the
/// wire. Two decoded ops must be ordered consistently by last-writer-wins.
enum CodecFuzzing {
    enum Structure: CaseIterable {
        case quote, op, sequencedOp, archivedQuote, searchFilter, opPair, idText
    }

    static func run(_ data: [UInt8]) {
        guard let selector = data.first else { return }
        let bytes = Array(data.dropFirst())
        switch Structure.allCases[Int(selector) % Structure.allCases.count] {
        case .quote:
            if let quote = roundTrip(bytes, Quote.decode, { $0.encode(into: &$1) }) { checkCanonicalization(quote) }
        case .op:
            if let op = roundTrip(bytes, Op.decode, { $0.encode(into: &$1) }) { checkOp(op) }
        case .sequencedOp:
            if let sequenced = roundTrip(bytes, SequencedOp.decode, { $0.encode(into: &$1) }) { checkOp(sequenced.op) }
        case .archivedQuote:
            if let archived = roundTrip(bytes, ArchivedQuote.decode, { $0.encode(into: &$1) }) {
                checkCanonicalization(archived.quote)
            }
        case .searchFilter:
            if let filter = roundTrip(bytes, SearchFilter.decode, { $0.encode(into: &$1) }) { foldFilter(filter) }
        case .opPair:
            var reader = ByteReader(bytes)
            guard let first = try? Op.decode(from: &reader), let second = try? Op.decode(from: &reader) else { return }
            checkOrdering(first, second)
        case .idText:
            let text = String(decoding: bytes, as: UTF8.self)
            if let id = QuoteID(hex: text) {
                invariant(id.description == text.lowercased(), "an id does not print as the hex it was parsed from")
            }
            if let prefix = QuoteIDPrefix(hex: text) {
                invariant(prefix.matches(prefix.lowerBound), "an id prefix does not match its own lower bound")
            }
            _ = Hex.decode(text).map { invariant(Hex.decode(Hex.encode($0)) == $0, "hex does not round trip") }
        }
    }

    /// Decodes a `T` from the front of `bytes`; if it decodes, checks it re-encodes to the
    /// bytes consumed and decodes again from them alone, exactly.
    static func roundTrip<T: Equatable>(_ bytes: [UInt8], _ decode: (inout ByteReader) throws(DecodeError) -> T,
                                        _ encode: (T, inout ByteWriter) -> Void) -> T? {
        var reader = ByteReader(bytes)
        let value: T
        do throws(DecodeError) {
            value = try decode(&reader)
        } catch {
            return nil
        }
        let consumed = Array(bytes[0..<reader.offset])
        var writer = ByteWriter()
        encode(value, &writer)
        invariant(writer.bytes == consumed, "\(T.self) does not re-encode to the \(consumed.count) bytes it came from")
        var again = ByteReader(writer.bytes)
        let decodedAgain = try? decode(&again)
        invariant(decodedAgain == value && again.remaining == 0, "\(T.self) does not decode again to itself")
        return value
    }

    static func encoded(_ quote: Quote) -> [UInt8] {
        var writer = ByteWriter()
        quote.encode(into: &writer)
        return writer.bytes
    }

    /// Canonicalizes `quote` as ADD does and checks the result is a canonical fixed point.
    static func checkCanonicalization(_ quote: Quote) {
        let canonical: Quote
        do throws(ValidationError) {
            canonical = try quote.canonicalized()
        } catch {
            invariant(error.code.rawValue >= 300 && error.code.rawValue < 400, "validation error \(error) has code \(error.code)")
            return
        }
        let bytes = encoded(canonical)
        invariant(!canonical.text.isEmpty && canonical.text.utf8.count <= QuoteLimits.maxTextBytes, "canonical text out of limits")
        invariant(!canonical.speaker.isEmpty && canonical.speaker.utf8.count <= QuoteLimits.maxSpeakerBytes, "canonical speaker out of limits")
        invariant((canonical.source?.utf8.count ?? 0) <= QuoteLimits.maxSourceBytes, "canonical source out of limits")
        invariant((canonical.lang?.utf8.count ?? 0) <= QuoteLimits.maxLanguageBytes, "canonical lang out of limits")
        invariant(canonical.source?.isEmpty != true && canonical.lang?.isEmpty != true, "canonical optional field is empty, not absent")
        invariant(canonical.tags.count <= QuoteLimits.maxTags, "too many canonical tags")
        let tagBytes = canonical.tags.map { Array($0.utf8) }
        for (index, tag) in tagBytes.enumerated() {
            invariant(!tag.isEmpty && tag.count <= QuoteLimits.maxTagBytes, "canonical tag out of limits")
            if index > 0 { invariant(tagBytes[index - 1].lexicographicallyPrecedes(tag), "canonical tags not sorted and unique") }
        }
        let again: Quote
        do throws(ValidationError) {
            again = try canonical.canonicalized()
        } catch {
            fatalError("invariant broken: a canonical quote fails validation: \(error); quote bytes \(Hex.encode(bytes))")
        }
        invariant(encoded(again) == bytes,
                  "canonicalization is not a fixed point: \(Hex.encode(bytes)) becomes \(Hex.encode(encoded(again)))")
        var reader = ByteReader(bytes)
        let wire = try? Quote.decode(from: &reader)
        invariant(wire.map(encoded) == bytes && reader.remaining == 0, "a canonical quote does not survive the wire")
        invariant(again.id == canonical.id, "a canonical quote's id changed")
        foldQuote(canonical)
    }

    /// What the store does with an op's quote: hash, fold its words.
    static func checkOp(_ op: Op) {
        invariant((op.kind == .put) == (op.quote != nil), "a put without a quote or a delete with one")
        if let quote = op.quote {
            _ = quote.id
            checkCanonicalization(quote)
        }
        invariant(!op.supersedes(op), "an op supersedes itself")
    }

    /// Last-writer-wins must be a strict order, or replicas that see ops in different
    /// orders would disagree.
    static func checkOrdering(_ first: Op, _ second: Op) {
        let forward = first.supersedes(second)
        let backward = second.supersedes(first)
        invariant(!(forward && backward), "two ops supersede each other")
        let sameKey = first.timestamp == second.timestamp && first.origin == second.origin && first.kind == second.kind
        invariant(forward || backward || sameKey, "two different ops are unordered")
    }

    static func foldFilter(_ filter: SearchFilter) {
        _ = TextFolder.shared.words(of: filter.words)
        _ = TextFolder.shared.foldedPhrase(filter.speaker)
        for tag in filter.tags { _ = TextFolder.shared.words(of: tag) }
    }

    static func foldQuote(_ quote: Quote) {
        let words = TextFolder.shared.words(of: quote.text)
        for word in words { invariant(!word.isEmpty, "an empty folded word") }
        _ = TextFolder.shared.foldedPhrase(quote.speaker)
    }
}
