#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file descriptor that closes itself exactly once: at `close()` or, failing
/// that, when the last reference goes. A bare `Int32` leaks on an early `throw` and can be
/// closed twice, and a second close may close a descriptor another thread just opened.
public final class FileDescriptor: @unchecked Sendable {
    // @unchecked: `rawValue` changes only in `close()`, which callers do not race with uses.
    /// The descriptor, for the calls that take one; -1 once closed.
    public private(set) var rawValue: Int32

    /// Takes ownership of an open descriptor.
    public init(adopting descriptor: Int32) {
        rawValue = descriptor
    }

    /// Opens `path` (close-on-exec added) or throws what `open` said.
    public convenience init(opening path: String, flags: Int32, mode: mode_t = 0o644) throws(SystemError) {
        let descriptor = try SystemCall.require("open", path) { open(path, flags | O_CLOEXEC, mode) }
        self.init(adopting: descriptor)
    }

    deinit {
        close()
    }

    /// Whether the descriptor is still open.
    public var isOpen: Bool { rawValue >= 0 }

    /// Closes the descriptor now; later calls do nothing.
    public func close() {
        guard rawValue >= 0 else { return }
        SystemCall.close(rawValue)
        rawValue = -1
    }
}
