import QuoteCore
import QuoteStore

/// Target `frames`: the bytes of one connection.
///
/// The data is framed twice, once appended whole and once in random chunk sizes (as the
/// network delivers it); both must yield the same frames and the same failure, and the
/// frames re-encoded must be the bytes they came from. Every frame is then decoded as a
/// request and as a response. What decodes must re-encode to the exact payload and decode
/// again to the same value, and goes through what the server does next with hostile input:
/// canonicalizing ADD's quotes, parsing GET and DELETE ids, folding filter words.
enum FrameFuzzing {
    /// Small enough that libFuzzer's inputs reach the `frameTooLarge` branch.
    static let maxFrameBytes = 4096

    static func run(_ data: [UInt8]) {
        var whole = FrameDecoder(maxFrameBytes: maxFrameBytes)
        whole.append(data)
        let expected = drain(&whole)

        var random = SplitMix64(seededBy: data)
        var chunked = FrameDecoder(maxFrameBytes: maxFrameBytes)
        var frames: [Frame] = []
        var failure: FrameDecoder.Failure?
        var index = 0
        while index < data.count && failure == nil {
            // Mostly tiny reads (a byte at a time splits every field), sometimes big ones.
            let size = 1 + (random.below(4) == 0 ? random.below(1024) : random.below(7))
            let end = min(data.count, index + size)
            if random.next() % 2 == 0 {
                chunked.append(Array(data[index..<end]))
            } else {
                data[index..<end].withUnsafeBytes { chunked.append($0) }
            }
            index = end
            let step = drain(&chunked)
            frames += step.frames
            failure = step.failure
        }
        invariant(frames == expected.frames, "chunked framing gave \(frames.count) frames, whole gave \(expected.frames.count)")
        invariant(failure == expected.failure, "chunked failure \(String(describing: failure)) != \(String(describing: expected.failure))")
        if failure == nil {
            invariant(chunked.bufferedBytes == whole.bufferedBytes, "buffered bytes differ")
        }

        var consumed = 0
        for frame in frames {
            let encoded = frame.encoded
            invariant(consumed + encoded.count <= data.count && Array(data[consumed..<(consumed + encoded.count)]) == encoded,
                      "frame at \(consumed) does not re-encode to its bytes")
            consumed += encoded.count
            checkRequest(frame)
            checkResponse(frame)
        }
        if failure == nil { invariant(consumed + whole.bufferedBytes == data.count, "bytes lost between frames") }
    }

    /// Every frame until the decoder wants more bytes or fails.
    static func drain(_ decoder: inout FrameDecoder) -> (frames: [Frame], failure: FrameDecoder.Failure?) {
        var frames: [Frame] = []
        do throws(FrameDecoder.Failure) {
            while let frame = try decoder.next() {
                invariant(frame.payload.count + 5 <= decoder.maxFrameBytes, "a frame above the limit was returned")
                frames.append(frame)
            }
            return (frames, nil)
        } catch {
            return (frames, error)
        }
    }

    static func checkRequest(_ frame: Frame) {
        let request: Request?
        do {
            request = try Request.decode(opcode: frame.opcode, payload: frame.payload)
        } catch {
            return
        }
        guard let request else {
            invariant(!Opcode.requests.contains(frame.opcode), "request opcode \(frame.opcode) decoded as nil")
            return
        }
        invariant(request.opcode == frame.opcode, "request decoded under another opcode")
        var writer = ByteWriter()
        request.encodePayload(into: &writer)
        invariant(writer.bytes == frame.payload, "\(frame.opcode) request does not re-encode to its payload")
        let again = try? Request.decode(opcode: frame.opcode, payload: writer.bytes)
        invariant(again == request, "\(frame.opcode) request does not decode again to itself")
        actOnRequest(request)
    }

    /// What the server does with a request's hostile parts before touching the archive.
    static func actOnRequest(_ request: Request) {
        switch request {
        case let .add(quotes, _):
            for quote in quotes { CodecFuzzing.checkCanonicalization(quote) }
        case let .edit(_, quote):
            CodecFuzzing.checkCanonicalization(quote)
        case let .get(id), let .delete(id):
            if let prefix = QuoteIDPrefix(hex: id) {
                invariant(prefix.matches(prefix.lowerBound), "an id prefix does not match its own lower bound")
                invariant(prefix.description.count == prefix.length, "prefix text has the wrong length")
            }
        case let .search(filter, _, _), let .random(filter, _), let .count(filter):
            CodecFuzzing.foldFilter(filter)
        case let .speakers(query, _):
            CodecFuzzing.foldFilter(SearchFilter(speaker: query))
        case let .apply(ops):
            for op in ops { if let quote = op.quote { _ = quote.id } }
        default:
            // HELLO, PING, STATS, CHANGES, DIGEST, DIGEST_RANGE (and newer requests) carry
            // nothing the server parses further.
            break
        }
    }

    static func checkResponse(_ frame: Frame) {
        let response: Response?
        do {
            response = try Response.decode(opcode: frame.opcode, payload: frame.payload)
        } catch {
            return
        }
        guard let response else { return }
        invariant(response.opcode == frame.opcode, "response decoded under another opcode")
        var writer = ByteWriter()
        response.encodePayload(into: &writer)
        invariant(writer.bytes == frame.payload, "\(frame.opcode) response does not re-encode to its payload")
        var framed = ByteWriter()
        response.encodeFrame(requestID: frame.requestID, into: &framed)
        invariant(framed.bytes == frame.encoded, "\(frame.opcode) response frame does not re-encode")
        let again = try? Response.decode(opcode: frame.opcode, payload: writer.bytes)
        invariant(again == response, "\(frame.opcode) response does not decode again to itself")
    }
}
