#if canImport(Glibc)
import Glibc
#endif
import QuotePOSIX
import Testing

/// The one door to libc, tested on real descriptors: a socketpair and temporary files.
@Suite struct SystemCallTests {
    /// A connected pair of nonblocking stream sockets, closed when the pair goes.
    struct SocketPair {
        let left: FileDescriptor
        let right: FileDescriptor

        init() throws {
            var descriptors: [Int32] = [-1, -1]
            let kind = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
            try SystemCall.require("socketpair", "test") { socketpair(AF_UNIX, kind, 0, &descriptors) }
            left = FileDescriptor(adopting: descriptors[0])
            right = FileDescriptor(adopting: descriptors[1])
        }
    }

    static func temporaryDirectory() throws -> String {
        var template = Array("/tmp/quoteposix-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        #expect(made != nil)
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    @Test func anInterruptedCallIsRetriedUntilItAnswers() throws {
        var calls = 0
        let result = try SystemCall.run("test", "retry") { () -> Int in
            calls += 1
            if calls == 1 {
                errno = EINTR
                return -1
            }
            return 7
        }
        #expect(result == 7)
        #expect(calls == 2)
    }

    @Test func wouldBlockIsNilNotAnError() throws {
        let pair = try SocketPair()
        var buffer = [UInt8](repeating: 0, count: 16)
        let count = try buffer.withUnsafeMutableBytes { try Socket.read(pair.left.rawValue, into: $0) }
        #expect(count == nil)
    }

    @Test func requireTurnsWouldBlockIntoAnError() {
        #expect(throws: SystemError(call: "test", target: "x", errno: EAGAIN)) {
            try SystemCall.require("test", "x") { () -> Int in
                errno = EAGAIN
                return -1
            }
        }
    }

    @Test func aFailureNamesTheCallTheTargetAndTheOSsWords() throws {
        let directory = try Self.temporaryDirectory()
        defer { rmdir(directory) }
        let path = directory + "/missing"
        do {
            _ = try FileDescriptor(opening: path, flags: O_RDONLY)
            Issue.record("opening a missing file succeeded")
        } catch {
            #expect(error.errno == ENOENT)
            #expect(error.call == "open")
            #expect(error.description == "open \(path): No such file or directory (errno \(ENOENT))")
            #expect(!error.isOutOfSpace)
        }
        #expect(SystemError(call: "write", target: "f", errno: ENOSPC).isOutOfSpace)
    }

    @Test func bytesCrossASocketPairBothWays() throws {
        let pair = try SocketPair()
        let message: [UInt8] = Array("someone broke into our home".utf8)
        let sent = try message.withUnsafeBytes { try Socket.write(pair.left.rawValue, $0) }
        #expect(sent == message.count)
        let events = try Socket.poll(pair.right.rawValue, for: Int16(POLLIN), timeoutMilliseconds: 5_000)
        #expect(events & Int16(POLLIN) != 0)
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = try buffer.withUnsafeMutableBytes { try Socket.read(pair.right.rawValue, into: $0) }
        #expect(count.map { Array(buffer[0..<$0]) } == message)
        let reply = try [UInt8]([1, 2, 3]).withUnsafeBytes { try Socket.write(pair.right.rawValue, $0) }
        #expect(reply == 3)
    }

    @Test func pollWithNothingToReadTimesOutAsZero() throws {
        let pair = try SocketPair()
        #expect(try Socket.poll(pair.left.rawValue, for: Int16(POLLIN), timeoutMilliseconds: 10) == 0)
    }

    @Test func closingADescriptorIsEndOfStreamForItsPeerAndHappensOnce() throws {
        let pair = try SocketPair()
        pair.left.close()
        #expect(!pair.left.isOpen)
        pair.left.close()
        var buffer = [UInt8](repeating: 0, count: 8)
        _ = try Socket.poll(pair.right.rawValue, for: Int16(POLLIN), timeoutMilliseconds: 5_000)
        let count = try buffer.withUnsafeMutableBytes { try Socket.read(pair.right.rawValue, into: $0) }
        #expect(count == 0)
    }

    @Test func writingToAGonePeerIsAnErrorNotASignal() throws {
        let pair = try SocketPair()
        pair.right.close()
        #expect(throws: SystemError(call: "send", target: "fd \(pair.left.rawValue)", errno: EPIPE)) {
            try [UInt8]([1]).withUnsafeBytes { try Socket.write(pair.left.rawValue, $0) }
        }
    }

    @Test func fileHelpersTreatWhatIsAlreadySoAsDone() throws {
        let directory = try Self.temporaryDirectory()
        let path = directory + "/file"
        #expect(try SystemCall.readFile(path) == nil)
        #expect(!SystemCall.exists(path))
        let file = try FileDescriptor(opening: path, flags: O_WRONLY | O_CREAT | O_TRUNC)
        try SystemCall.writeAll(file.rawValue, Array("quote".utf8), target: path)
        file.close()
        #expect(SystemCall.exists(path))
        #expect(try SystemCall.readFile(path) == Array("quote".utf8))
        try SystemCall.makeDirectory(directory)
        try SystemCall.removeFile(path)
        try SystemCall.removeFile(path)
        #expect(!SystemCall.exists(path))
        try SystemCall.require("rmdir", directory) { rmdir(directory) }
    }
}
