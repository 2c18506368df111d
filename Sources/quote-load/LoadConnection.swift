#if canImport(Glibc)
import Glibc
#endif
import QuoteCore
import QuotePOSIX

/// One non-blocking connection to the server with up to `depth` requests in flight.
///
/// Each request in flight has a slot holding its id and when it was sent. A request id
/// carries its slot in the low 11 bits (plus one, so no id is 0, which the server keeps
/// for errors about the whole connection) and a wrapping counter above them, so a response
/// finds its slot in O(1) whatever order it arrives in (writes are answered when durable,
/// not in request order) and a stray id is caught.
///
/// Owned by one `LoadWorker` and confined to its thread; it opens and closes the socket.
final class LoadConnection {
    /// The connected socket; -1 once closed.
    private(set) var descriptor: Int32
    private var decoder = FrameDecoder(maxFrameBytes: 64 << 20)
    /// Frames encoded but not yet taken by the socket, from `outputStart` on.
    private var output: [UInt8] = []
    private var outputStart = 0
    private var slotIDs: [UInt32]
    private var slotStartNanoseconds: [UInt64]
    private var freeSlots: [Int]
    private var counter: UInt32 = 0

    private static let slotBits: UInt32 = 11
    private static let slotMask: UInt32 = (1 << slotBits) - 1

    /// Connects to `address`, says HELLO, waits for HELLO_OK, and leaves the socket non-blocking.
    init(address: SocketAddress, depth: Int, timeoutSeconds: Double) throws(LoadFailure) {
        precondition(depth >= 1 && depth < Int(LoadConnection.slotMask), "depth out of range")
        do {
            descriptor = try Socket.connect(to: address, timeoutSeconds: timeoutSeconds)
        } catch {
            throw LoadFailure("\(error)")
        }
        slotIDs = [UInt32](repeating: 0, count: depth)
        slotStartNanoseconds = [UInt64](repeating: 0, count: depth)
        freeSlots = Array((0..<depth).reversed())
        do {
            try greet(address: address, timeoutSeconds: timeoutSeconds)
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// Whether the socket is still open.
    var isOpen: Bool { descriptor >= 0 }
    /// Requests sent and not yet answered.
    var inFlight: Int { slotIDs.count - freeSlots.count }
    /// Requests that can be sent before the depth is reached.
    var freeSlotCount: Int { freeSlots.count }
    /// Whether encoded frames wait for the socket to take them.
    var hasPendingOutput: Bool { outputStart < output.count }

    /// Encodes `count` more requests (at most `freeSlotCount`), stamped as sent at `now`.
    func enqueue(_ count: Int, workload: Workload, thread: Int, sequence: inout Int, random: inout SplitMix64,
                 now: UInt64) {
        for _ in 0..<min(count, freeSlots.count) {
            let slot = freeSlots.removeLast()
            counter &+= 1
            let id = counter << LoadConnection.slotBits | UInt32(slot + 1)
            slotIDs[slot] = id
            slotStartNanoseconds[slot] = now
            workload.appendRequest(to: &output, requestID: id, thread: thread, sequence: sequence, random: &random)
            sequence += 1
        }
    }

    /// Writes what the socket takes now; the rest waits for `POLLOUT`.
    func flush() throws(LoadFailure) {
        while outputStart < output.count {
            let written: Int?
            do {
                written = try output.withUnsafeBytes { buffer in
                    try Socket.write(descriptor, UnsafeRawBufferPointer(rebasing: buffer[outputStart...]))
                }
            } catch {
                throw LoadFailure("\(error)")
            }
            guard let written else { return }
            outputStart += written
        }
        output.removeAll(keepingCapacity: true)
        outputStart = 0
    }

    /// Reads what has arrived (into `scratch`), and hands each response to `tally` with its
    /// latency measured to `now`. Throws when the connection is over: closed by the
    /// server, a read error, or bytes that break the protocol.
    func receive(scratch: inout [UInt8], now: UInt64, expecting operation: LoadOperation,
                 into tally: inout LoadTally) throws(LoadFailure) {
        // Bounded so one connection with a deep pipeline cannot starve the thread's others.
        for _ in 0..<4 {
            let count: Int?
            do {
                count = try scratch.withUnsafeMutableBytes { buffer in try Socket.read(descriptor, into: buffer) }
            } catch {
                throw LoadFailure("\(error)")
            }
            guard let count else { return }
            guard count > 0 else { throw LoadFailure("the server closed the connection") }
            scratch.withUnsafeBytes { decoder.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            try completeFrames(now: now, expecting: operation, into: &tally)
            if count < scratch.count { return }
        }
    }

    private func completeFrames(now: UInt64, expecting operation: LoadOperation,
                                into tally: inout LoadTally) throws(LoadFailure) {
        while true {
            let next: Frame?
            do { next = try decoder.next() } catch { throw LoadFailure("bad frame from the server: \(error)") }
            guard let frame = next else { return }
            let slot = Int(frame.requestID & LoadConnection.slotMask) - 1
            guard slot >= 0, slot < slotIDs.count, slotIDs[slot] == frame.requestID else {
                if frame.requestID == 0, case let .error(code, message)? = try? Response.decode(opcode: frame.opcode, payload: frame.payload) {
                    throw LoadFailure("the server ended the connection: \(message) [\(code.name)]")
                }
                throw LoadFailure("response \(frame.opcode) to unknown request id \(frame.requestID)")
            }
            slotIDs[slot] = 0
            freeSlots.append(slot)
            tally.complete(frame, latencyNanoseconds: now &- slotStartNanoseconds[slot], expecting: operation)
        }
    }

    /// Closes the socket once.
    func close() {
        guard descriptor >= 0 else { return }
        SystemCall.close(descriptor)
        descriptor = -1
    }

    /// HELLO and its answer, blocking with a deadline; then the socket goes non-blocking.
    private func greet(address: SocketAddress, timeoutSeconds: Double) throws(LoadFailure) {
        let hello = Request.hello(Hello(clientName: "quote-load/0.1")).frame(requestID: 1).encoded
        let deadline = MonotonicClock.nanoseconds() + UInt64(timeoutSeconds * 1e9)
        do {
            try SystemCall.writeAll(descriptor, hello, target: address.description)
            var scratch = [UInt8](repeating: 0, count: 4096)
            waiting: while true {
                if let frame = try decoder.next() {
                    switch try Response.decode(opcode: frame.opcode, payload: frame.payload) {
                    case .hello?: break waiting
                    case let .error(code, message)?: throw LoadFailure("HELLO \(address): \(message) [\(code.name)]")
                    default: throw LoadFailure("HELLO \(address): expected HELLO_OK, got \(frame.opcode)")
                    }
                }
                let now = MonotonicClock.nanoseconds()
                guard now < deadline else { throw LoadFailure("HELLO \(address): no answer in \(timeoutSeconds) s") }
                var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                let waitMilliseconds = Int32(min(1_000, (deadline - now) / 1_000_000 + 1))
                guard try SystemCall.require("poll", address.description, { poll(&poller, 1, waitMilliseconds) }) > 0 else { continue }
                let count = try scratch.withUnsafeMutableBytes { buffer in
                    try SystemCall.require("read", address.description) { read(descriptor, buffer.baseAddress, buffer.count) }
                }
                guard count > 0 else { throw LoadFailure("HELLO \(address): the server closed the connection") }
                scratch.withUnsafeBytes { decoder.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            }
            let flags = try SystemCall.require("fcntl", address.description) { fcntl(descriptor, F_GETFL) }
            try SystemCall.require("fcntl", address.description) { fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) }
        } catch let failure as LoadFailure {
            throw failure
        } catch {
            throw LoadFailure("HELLO \(address): \(error)")
        }
    }
}
