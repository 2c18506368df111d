import QuoteCore
import QuotePOSIX

/// Why a client call failed.
public enum ClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered with an ERROR frame.
    case server(code: ErrorCode, message: String)
    /// Connecting failed, or the connection dropped or timed out.
    case connection(String)
    /// The server sent bytes that do not follow the protocol.
    case protocolViolation(String)
    /// The peer answered HELLO with something that is not this protocol (an SSH banner, an
    /// HTTP response), or closed or fell silent without answering: not a quote archive
    /// server. `reason` says which, with the first bytes it sent, printable.
    case notAQuoteServer(String)

    /// The server's error code, when the server refused the request.
    public var code: ErrorCode? {
        // (Only `.server` carries one.)
        if case let .server(code, _) = self { return code }
        return nil
    }

    public var description: String {
        switch self {
        case let .server(code, message): return "\(message) [\(code.name)]"
        case let .connection(reason): return "connection: \(reason)"
        case let .protocolViolation(reason): return "protocol violation: \(reason)"
        case let .notAQuoteServer(reason): return reason
        }
    }
}
