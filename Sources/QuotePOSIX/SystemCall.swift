#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An operating-system call that failed: which call, on what, and the OS's words.
public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The call's name, e.g. `open`.
    public let call: String
    /// What it was called on, e.g. a path or an address.
    public let target: String
    /// The `errno` it failed with.
    public let errno: Int32

    /// Creates an error.
    public init(call: String, target: String, errno: Int32) {
        self.call = call
        self.target = target
        self.errno = errno
    }

    /// Whether the failure means the disk is full or over quota.
    public var isOutOfSpace: Bool { errno == ENOSPC || errno == EDQUOT || errno == EFBIG }

    public var description: String {
        "\(call) \(target): \(String(cString: strerror(errno))) (errno \(errno))"
    }
}

/// The one door to libc: every call the store and server make goes through here.
///
/// Retries on `EINTR` (except `close`, which must never be retried on Linux), reports
/// `EAGAIN`/`EWOULDBLOCK` as `nil` ("would block": a result, not an error), and throws a
/// `SystemError` carrying `errno` otherwise, read right after the call.
public enum SystemCall {
    /// Runs a call returning a count or descriptor; nil when it would block.
    @discardableResult
    public static func run<T: BinaryInteger>(_ call: String, _ target: @autoclosure () -> String,
                                             _ body: () -> T) throws(SystemError) -> T? {
        while true {
            let result = body()
            if result >= 0 { return result }
            let code = Glibc.errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return nil }
            assert(code != EBADF && code != EFAULT, "\(call) on a bad descriptor or address: a bug")
            throw SystemError(call: call, target: target(), errno: code)
        }
    }

    /// Runs a call that must not block (files, setup); a would-block result is an error.
    @discardableResult
    public static func require<T: BinaryInteger>(_ call: String, _ target: @autoclosure () -> String,
                                                 _ body: () -> T) throws(SystemError) -> T {
        guard let result = try run(call, target(), body) else {
            throw SystemError(call: call, target: target(), errno: EAGAIN)
        }
        return result
    }

    /// Closes a descriptor once; `EINTR` still means closed on Linux, so no retry.
    public static func close(_ descriptor: Int32) {
        _ = Glibc.close(descriptor)
    }

    /// Writes every byte, retrying short writes; throws on the first failure.
    public static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], target: String) throws(SystemError) {
        var done = 0
        while done < bytes.count {
            let written = try require("write", target) {
                bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + done, $0.count - done) }
            }
            done += written
        }
    }

    /// Runs a call whose failure is deliberately ignored (best-effort cleanup, wake-ups,
    /// a log line to stderr), still retrying `EINTR`.
    public static func attempt<T: BinaryInteger>(_ body: () -> T) {
        while body() < 0 && Glibc.errno == EINTR {}
    }

    /// Whether anything exists at `path`.
    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Removes a file if it is there; a file already gone is not an error.
    public static func removeFile(_ path: String) throws(SystemError) {
        do throws(SystemError) {
            try require("unlink", path) { unlink(path) }
        } catch where error.errno == ENOENT {
            return
        }
    }

    /// Creates a directory; one already there is not an error.
    public static func makeDirectory(_ path: String, mode: mode_t = 0o755) throws(SystemError) {
        do throws(SystemError) {
            try require("mkdir", path) { mkdir(path, mode) }
        } catch where error.errno == EEXIST {
            return
        }
    }

    /// The file at `path`, read to its end or to `maxBytes`; nil when there is no such file.
    public static func readFile(_ path: String, maxBytes: Int = .max) throws(SystemError) -> [UInt8]? {
        let file: FileDescriptor
        do throws(SystemError) {
            file = try FileDescriptor(opening: path, flags: O_RDONLY)
        } catch where error.errno == ENOENT {
            return nil
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: min(64 << 10, maxBytes))
        while bytes.count < maxBytes {
            let want = min(buffer.count, maxBytes - bytes.count)
            let count = try require("read", path) {
                buffer.withUnsafeMutableBytes { Glibc.read(file.rawValue, $0.baseAddress, want) }
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return bytes
    }
}
