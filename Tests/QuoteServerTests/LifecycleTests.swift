import Foundation
import QuoteClient
import QuoteCore
import Testing

/// Signals, Quote of the Day, and the `quotes` binary end to end.
@Suite struct LifecycleTests {
    @Test func sigtermAndSigintExitCleanly() throws {
        for signal in [SIGTERM, SIGINT] {
            let server = try TestServer()
            defer { server.removeData() }
            _ = try server.client().add(Quote(text: "Goodbye.", speaker: "Signal \(signal)"))
            #expect(server.stop(signal: signal) == 0)
            #expect(server.log.contains("shutdown.finished"))
        }
    }

    @Test func quoteOfTheDayPortAnswersOneQuoteAndCloses() throws {
        let server = try TestServer(seeded: true)
        defer { server.removeData() }
        server.stop()
        try server.start(qotd: true)
        let address = try #require(server.qotdAddress)
        var texts: [String] = []
        for _ in 0..<2 {
            let raw = try RawConnection(address)
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(raw.descriptor, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                bytes += buffer[0..<count]
            }
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.count < 512)
            #expect(text.hasPrefix("\""))
            #expect(text.contains(" — "))
            #expect(text.hasSuffix("\r\n"))
            texts.append(text)
        }
        #expect(texts[0] == texts[1])
        let today = try server.client().today()
        #expect(texts[0].contains(today.quote.speaker))
    }
}
