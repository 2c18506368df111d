import CommandLineKit
import Foundation
import QuoteCore
import QuotePOSIX

/// What every subcommand shares: where the server is, how long to wait, how to print.
/// Built from the global options, then the environment, then the defaults.
struct Configuration {
    /// The version `--version` prints.
    static let version = "0.1.0"
    /// The server used without `--server` and `QUOTES_SERVER`.
    static let defaultServer = "127.0.0.1:7878"
    /// The environment variable naming the server.
    static let serverVariable = "QUOTES_SERVER"
    /// The per-call deadline without `--timeout`, in seconds.
    static let defaultTimeoutSeconds = 10.0

    /// The server's address.
    var server: SocketAddress
    /// Whether to print JSON Lines instead of text.
    var json: Bool
    /// How long each call to the server may take, in seconds.
    var timeoutSeconds: Double
    /// The access token, when the server asks for one.
    var token: AccessToken?
    /// The environment variable holding the token.
    static let tokenVariable = "QUOTES_TOKEN"

    /// The global options of `parsed`, with `environment` filling in what they leave out.
    init(_ parsed: ParsedCommand, environment: [String: String]) throws(UsageError) {
        let fromVariable = environment[Configuration.serverVariable].flatMap { $0.isEmpty ? nil : $0 }
        let serverText = parsed.value("server") ?? fromVariable ?? Configuration.defaultServer
        guard let server = Configuration.address(serverText) else {
            let origin = parsed.value("server") != nil ? "'--server'" : "\(Configuration.serverVariable)"
            throw parsed.usageError(
                "Invalid value '\(serverText)' for \(origin): expected HOST, HOST:PORT or [IPV6]:PORT with a numeric address")
        }
        self.server = server
        json = parsed.flag("json")
        timeoutSeconds = try parsed.value("timeout", expected: "a number of seconds above 0") { text in
            Double(text).flatMap { $0 > 0 && $0 <= 86_400 ? $0 : nil }
        } ?? Configuration.defaultTimeoutSeconds
        if let path = parsed.value("token-file") {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8), let token = AccessToken(parsing: text) else {
                throw parsed.usageError("Cannot read a token (NAME:HEX) from '\(path)'")
            }
            self.token = token
        } else if let text = environment[Configuration.tokenVariable], !text.isEmpty {
            guard let token = AccessToken(parsing: text) else {
                throw parsed.usageError("\(Configuration.tokenVariable) does not hold a token of the form NAME:HEX")
            }
            self.token = token
        }
    }

    /// The port used when `--server` names a host alone.
    static let defaultPort: UInt16 = 7878

    /// Parses `HOST:PORT`, or a HOST alone (`127.0.0.1`, `[::1]`, `::1`, `localhost`) on
    /// port 7878; only numeric addresses and `localhost`, since the client does not resolve
    /// names, and saying so here beats a cryptic failure at connect time.
    static func address(_ text: String) -> SocketAddress? {
        var text = text
        let bracketedWithoutPort = text.hasPrefix("[") && text.hasSuffix("]")
        let bareIPv6 = !text.hasPrefix("[") && text.filter { $0 == ":" }.count > 1
        if bracketedWithoutPort {
            text += ":\(defaultPort)"
        } else if bareIPv6 {
            text = "[\(text)]:\(defaultPort)"
        } else if !text.hasPrefix("[") && !text.contains(":") {
            text += ":\(defaultPort)"
        }
        guard let address = SocketAddress(parsing: text), address.port != 0 else { return nil }
        do {
            try address.withSockaddr { _, _ in }
        } catch {
            return nil
        }
        return address
    }
}
