import Foundation
import Testing

/// `quotes` pointed at a port where something else listens says so in words, quickly,
/// with what the peer sent first, and exits 3.
@Suite struct NotAQuoteServerTests {
    /// Accepts connections on a loopback port and greets each with `greeting`, then closes
    /// it (`closes`) or keeps it open without a word more.
    final class OtherServer: @unchecked Sendable {
        // @unchecked: set once in init; the accept thread only reads them.
        let port: UInt16
        private let listener: Int32

        init(greeting: String, closes: Bool) throws {
            (listener, port) = try FakePeer.loopbackListener()
            let listener = self.listener
            Thread.detachNewThread {
                var open: [Int32] = []
                while true {
                    let connection = accept(listener, nil, nil)
                    if connection < 0 { break }
                    _ = Array(greeting.utf8).withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    if closes {
                        // Read the HELLO first: closing with it unread would send a reset,
                        // which can reach the client before the greeting does.
                        var scratch = [UInt8](repeating: 0, count: 256)
                        _ = scratch.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
                        close(connection)
                    } else {
                        open.append(connection)
                    }
                }
                for connection in open { close(connection) }
            }
        }

        func stop() {
            shutdown(listener, Int32(SHUT_RDWR))
            close(listener)
        }
    }

    @Test(arguments: [
        ("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", false, #"127.0.0.1:PORT is not a quote archive server: it sent "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n" first"#),
        ("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", true, #"127.0.0.1:PORT is not a quote archive server: it sent "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n" first"#),
        ("", true, "127.0.0.1:PORT closed the connection without answering HELLO (it sent nothing first): is it a quote archive server?"),
    ])
    func theCLISaysWhatAnsweredInstead(greeting: String, closes: Bool, expected: String) throws {
        let other = try OtherServer(greeting: greeting, closes: closes)
        defer { other.stop() }
        let started = Date()
        let result = try runCommand(TestServer.quotesPath, ["--server", "127.0.0.1:\(other.port)", "ping"])
        #expect(Date().timeIntervalSince(started) < 5, "it should not wait for the 10 s timeout")
        #expect(result.status == 3)
        #expect(result.stderr == "quotes: " + expected.replacingOccurrences(of: "PORT", with: String(other.port)) + "\n")
    }

    @Test func aSilentPeerIsNamedAsSuchAfterTheTimeout() throws {
        let other = try OtherServer(greeting: "", closes: false)
        defer { other.stop() }
        let result = try runCommand(TestServer.quotesPath, ["--server", "127.0.0.1:\(other.port)", "--timeout", "1", "ping"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("accepted the connection but did not answer HELLO within 1 s (it sent nothing): is it a quote archive server?"))
    }

    /// On a terminal, a silent peer is named after a second, while the wait goes on.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func aTerminalHearsWithinASecondThatThePeerIsSilent() throws {
        let other = try OtherServer(greeting: "", closes: false)
        defer { other.stop() }
        let command = "\(TestServer.quotesPath) --server 127.0.0.1:\(other.port) --timeout 5 ping"
        let result = try runCommand("/usr/bin/script", ["-qec", command, "/dev/null"])
        #expect(result.stdout.contains("has not answered HELLO after 1 s: is it a quote archive server? (waiting up to 5 s)"),
                "\(result.stdout)")
        #expect(result.stdout.contains("did not answer HELLO within 5 s"))
    }
}
