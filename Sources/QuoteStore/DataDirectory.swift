import QuoteCore
import QuotePOSIX
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A data directory held open by this process: its lock, its node id, its paths.
///
/// The lock is an `flock` on `LOCK`, held for the life of the object, so a second process
/// on the same directory fails at once instead of interleaving appends.
public final class DataDirectory: Sendable {
    /// Why a data directory cannot be used.
    public enum Failure: Error, CustomStringConvertible, Sendable {
        /// Another process holds the lock.
        case locked(path: String, holder: String)
        /// `node-id` exists but does not hold 16 hex digits.
        case badNodeID(path: String)
        /// The OS refused something.
        case system(SystemError)

        public var description: String {
            switch self {
            case let .locked(path, holder):
                return "\(path) is already in use by another process (\(holder)); only one quoted may open a data directory"
            case let .badNodeID(path):
                return "\(path) does not hold a node id (16 hex digits); refusing to invent a new one"
            case let .system(error):
                return error.description
            }
        }
    }

    /// The directory's path.
    public let path: String
    /// This archive's random 64-bit node id, created with the directory.
    public let nodeID: UInt64
    /// The descriptor holding the flock; -1 once released.
    private let lockDescriptor: Atomic<Int32>

    /// The path of the log file.
    public var logPath: String { path + "/quotes.log" }

    /// Opens (creating if needed) and locks a data directory.
    public init(path: String) throws(Failure) {
        self.path = path
        do {
            try DataDirectory.makeDirectories(path)
            let lockPath = path + "/LOCK"
            let descriptor = try SystemCall.require("open", lockPath) { open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644) }
            if !DataDirectory.lock(descriptor) {
                let holder = DataDirectory.readSmallFile(lockPath).map { "pid \($0)" } ?? "unknown pid"
                SystemCall.close(descriptor)
                throw Failure.locked(path: path, holder: holder)
            }
            let pid = Array("\(getpid())\n".utf8)
            // Who holds the lock is a courtesy for the error above, so a failure is ignored.
            SystemCall.attempt { ftruncate(descriptor, 0) }
            SystemCall.attempt { pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) } }
            lockDescriptor = Atomic(descriptor)
            do {
                nodeID = try DataDirectory.loadOrCreateNodeID(path)
            } catch {
                SystemCall.close(descriptor)
                throw error
            }
        } catch let error as Failure {
            throw error
        } catch let error as SystemError {
            throw .system(error)
        } catch {
            fatalError("unexpected error \(error)")
        }
    }

    deinit {
        release()
    }

    /// Takes the flock on `descriptor`, trying again for a few milliseconds. A lock just
    /// released can still be held for a moment by a child the releasing process was
    /// spawning: between its fork and its exec the child shares every open file, and
    /// with it the flock (a test process that spawns servers while it reopens archives
    /// hit this). A real holder keeps the lock, and is reported after 50 ms.
    private static func lock(_ descriptor: Int32) -> Bool {
        for _ in 0..<10 {
            // Nil is "would block": held by another process, for now; any other failure is final.
            switch Result(catching: { () throws(SystemError) in try SystemCall.run("flock", "LOCK") { flock(descriptor, LOCK_EX | LOCK_NB) } }) {
            case .success(.some): return true
            case .success(.none): usleep(5_000)
            case .failure: return false
            }
        }
        return false
    }

    /// Gives up the lock now rather than when the last reference goes, so a closed
    /// archive's directory can be reopened at once (a queued block may still hold `self`).
    public func release() {
        let descriptor = lockDescriptor.exchange(-1, ordering: .sequentiallyConsistent)
        if descriptor >= 0 { SystemCall.close(descriptor) }
    }

    static func makeDirectories(_ path: String) throws(SystemError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            try SystemCall.makeDirectory(prefix)
            prefix += "/"
        }
    }

    /// The whole file as UTF-8 text, or nil when it cannot be read.
    public static func readFile(_ path: String) -> String? {
        guard let bytes = try? SystemCall.readFile(path) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A small file's text without its trailing newline; nil when missing, unreadable or empty.
    static func readSmallFile(_ path: String) -> String? {
        guard let text = readFile(path), !text.isEmpty else { return nil }
        return text.trimmingNewlines()
    }

    static func loadOrCreateNodeID(_ path: String) throws -> UInt64 {
        let nodePath = path + "/node-id"
        if SystemCall.exists(nodePath) {
            guard let text = readSmallFile(nodePath), text.utf8.count == 16, let value = UInt64(text, radix: 16) else {
                throw Failure.badNodeID(path: nodePath)
            }
            return value
        }
        var id: UInt64 = 0
        while id == 0 { id = UInt64.random(in: 1...UInt64.max) }
        let text = HexText.sixteenDigits(id) + "\n"
        try writeDurably(Array(text.utf8), to: nodePath, directory: path)
        return id
    }

    /// Writes a small file through a temporary name, syncing file and directory, so a crash
    /// leaves either the old file or the whole new one.
    public static func writeDurably(_ bytes: [UInt8], to path: String, directory: String, mode: mode_t = 0o644) throws(SystemError) {
        let temporary = path + ".tmp"
        try SystemCall.removeFile(temporary)
        let descriptor = try SystemCall.require("open", temporary) {
            open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        }
        do throws(SystemError) {
            try SystemCall.writeAll(descriptor, bytes, target: temporary)
            try SystemCall.require("fsync", temporary) { fsync(descriptor) }
        } catch {
            SystemCall.close(descriptor)
            throw error
        }
        SystemCall.close(descriptor)
        try SystemCall.require("rename", path) { rename(temporary, path) }
        try syncDirectory(directory)
    }

    /// Syncs a directory so a file created or renamed in it survives a crash.
    public static func syncDirectory(_ path: String) throws(SystemError) {
        let descriptor = try SystemCall.require("open", path) { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { SystemCall.close(descriptor) }
        try SystemCall.require("fsync", path) { fsync(descriptor) }
    }
}

extension String {
    func trimmingNewlines() -> String {
        var copy = self
        while copy.last == "\n" || copy.last == "\r" || copy.last == " " { copy.removeLast() }
        return copy
    }
}
