#if canImport(Glibc)
import Glibc
#endif
import QuoteCore
import QuotePOSIX

/// Writes one line per event to stderr: `time level event key=value…`.
public struct Logger: Sendable {
    /// How much to say.
    public enum Level: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
        case debug = 0, info, warning, error

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

        public var description: String {
            switch self {
            case .debug: return "debug"
            case .info: return "info"
            case .warning: return "warning"
            case .error: return "error"
            }
        }

        /// Parses `debug`, `info`, `warning` or `error`.
        public init?(name: String) {
            guard let level = Level.allCases.first(where: { $0.description == name }) else { return nil }
            self = level
        }
    }

    /// The least severe level written.
    public let minimumLevel: Level

    /// Creates a logger writing `minimumLevel` and above.
    public init(minimumLevel: Level = .info) {
        self.minimumLevel = minimumLevel
    }

    /// Logs an event with key-value details; values with spaces are quoted.
    public func log(_ level: Level, _ event: String, _ details: KeyValuePairs<String, String> = [:]) {
        log(level, event, fields: details.map { ($0.key, $0.value) })
    }

    /// The same, for fields put together at run time, in order.
    public func log(_ level: Level, _ event: String, fields details: [(key: String, value: String)]) {
        guard level >= minimumLevel else { return }
        var line = Logger.timestamp() + " " + level.description + " " + event
        for (key, value) in details {
            let needsQuotes = value.isEmpty || value.contains(" ") || value.contains("\"")
            line += " \(key)=" + (needsQuotes ? "\"" + value.replacingAll("\"", with: "'") + "\"" : value)
        }
        line += "\n"
        var bytes = Array(line.utf8)
        // A log line that cannot be written has nowhere else to go.
        SystemCall.attempt { bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) } }
    }

    static func timestamp() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(spec.tv_nsec / 1_000_000), 3))Z"
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
