#if canImport(Glibc)
import Glibc
#endif

/// The standard streams: writing to them, and whether they are terminals. The CLI's only
/// libc calls live here.
///
/// Standard output goes through `print` (buffered by stdio); standard error is written
/// directly, after flushing standard output so that the two stay in order when they share
/// a file or a terminal.
enum Terminal {
    /// Prints a line on standard output.
    static func output(_ line: String) {
        print(line)
    }

    /// Writes text on standard error as is; add the newline yourself.
    static func error(_ text: String) {
        fflush(nil)
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Writes out what `print` has buffered, before the process exits.
    static func flush() {
        fflush(nil)
    }

    /// Whether standard error is a terminal, where progress bars and counts are welcome.
    static var standardErrorIsTerminal: Bool { isatty(2) == 1 }
    static var standardOutputIsTerminal: Bool { isatty(1) == 1 }

    /// The width of the terminal standard output is on, or 80 when it is not a terminal.
    static var columns: Int {
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        // Narrower than this, wrapping makes a column of single words; let the terminal fold.
        return max(Int(size.ws_col), 20)
    }
}
