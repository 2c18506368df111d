import Dispatch
import QuotePOSIX
import QuoteCore
#if canImport(Glibc)
import Glibc
#endif

/// The open log file: appends, syncs, and cuts back a failed append.
///
/// Used only from the archive's writer queue (and during open), never concurrently.
final class LogFile: @unchecked Sendable {
    // @unchecked: every use is confined to the Archive's serial writer queue.
    let path: String
    let descriptor: Int32
    /// The file's size: the end of the last whole record.
    private(set) var size: Int

    /// Opens or creates the log. A new file gets the header, synced with its directory.
    init(path: String, directory: String) throws(SystemError) {
        self.path = path
        let existed = SystemCall.exists(path)
        let descriptor = try SystemCall.require("open", path) { open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644) }
        self.descriptor = descriptor
        var info = stat()
        try SystemCall.require("fstat", path) { fstat(descriptor, &info) }
        size = Int(info.st_size)
        if !existed || size == 0 {
            let header = LogFormat.header
            try append(header)
            try sync()
            try DataDirectory.syncDirectory(directory)
        }
    }

    deinit {
        SystemCall.close(descriptor)
    }

    /// Reads the whole file into a fresh arena chunk, without zero-filling it first. A big
    /// file is read as two halves on two threads: most of a read's time is the kernel
    /// faulting in and filling fresh pages, which both cores can do at once.
    func readAllIntoChunk() throws(SystemError) -> ArenaChunk {
        let chunk = ArenaChunk(capacity: size)
        let target = UncheckedTarget(base: chunk.mutableBytes.baseAddress!)
        let middle = size >= 1 << 22 ? size / 2 : size
        let later = UncheckedReadResult()
        let done = DispatchSemaphore(value: 0)
        if middle < size {
            let (descriptor, path, size) = (self.descriptor, self.path, self.size)
            DispatchQueue.global(qos: .userInitiated).async {
                later.result = Result { () throws(SystemError) in
                    try LogFile.read(descriptor, path: path, into: target.base, from: middle, to: size)
                }
                done.signal()
            }
        }
        let firstResult = Result { () throws(SystemError) in try LogFile.read(descriptor, path: path, into: target.base, from: 0, to: middle) }
        if middle < size { done.wait() }
        var read = try firstResult.get()
        if middle < size, read == middle { read += try later.result.get() }
        chunk.shrink(to: read)
        return chunk
    }

    /// Reads bytes `start..<end` of the file to the same offsets from `base`; returns how
    /// many were read before the end of the file, if it came first.
    private static func read(_ descriptor: Int32, path: String, into base: UnsafeMutableRawPointer,
                             from start: Int, to end: Int) throws(SystemError) -> Int {
        var done = start
        while done < end {
            let count = try SystemCall.require("read", path) { pread(descriptor, base + done, end - done, off_t(done)) }
            if count == 0 { break }
            done += count
        }
        return done - start
    }

    /// Appends bytes; on failure the file is cut back to its previous size so it stays whole.
    func append(_ bytes: [UInt8]) throws(SystemError) {
        do throws(SystemError) {
            try SystemCall.writeAll(descriptor, bytes, target: path)
            size += bytes.count
        } catch {
            // Best effort: if even this fails, recovery cuts the torn tail at the next open.
            SystemCall.attempt { ftruncate(descriptor, off_t(size)) }
            throw error
        }
    }

    /// Makes every appended byte durable.
    func sync() throws(SystemError) {
        try SystemCall.require("fdatasync", path) { fdatasync(descriptor) }
    }

    /// Cuts the file to `length` bytes and syncs: drops a torn tail for good.
    func truncate(to length: Int) throws(SystemError) {
        try SystemCall.require("ftruncate", path) { ftruncate(descriptor, off_t(length)) }
        size = length
        try sync()
    }
}

extension LogFile {
    /// Reads `count` bytes at `offset`. Safe from any thread: `pread` does not
    /// move the file offset, and bytes below `size` are never rewritten.
    func read(at offset: Int, count: Int) throws(SystemError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        try readExactly(&buffer, at: offset)
        return buffer
    }

    private func readExactly(_ buffer: inout [UInt8], at offset: Int) throws(SystemError) {
        var done = 0
        let total = buffer.count
        while done < total {
            let count = try SystemCall.require("pread", path) {
                buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, total - done, off_t(offset + done)) }
            }
            if count == 0 { throw SystemError(call: "pread", target: path, errno: EIO) }
            done += count
        }
    }
}

/// The chunk being read into, filled by two threads at disjoint offsets.
private struct UncheckedTarget: @unchecked Sendable {
    // @unchecked: each thread writes its own range; the semaphore orders both before use.
    let base: UnsafeMutableRawPointer
}

/// The second half's read, written by its thread and read after it signals.
private final class UncheckedReadResult: @unchecked Sendable {
    // @unchecked: written only by the worker, read only after the semaphore orders it.
    var result: Result<Int, SystemError> = .success(0)
}
