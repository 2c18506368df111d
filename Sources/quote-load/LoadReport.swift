/// The result of a run, as one aligned line or one JSON object.
struct LoadReport {
    let configuration: LoadConfiguration
    let tally: LoadTally
    /// From the start to when the last thread stopped measuring.
    let elapsedSeconds: Double
    /// Quotes added before the run.
    let seededQuotes: Int

    /// Successful requests per second.
    var operationsPerSecond: Double { elapsedSeconds > 0 ? Double(tally.succeeded) / elapsedSeconds : 0 }

    private func microseconds(_ fraction: Double) -> Double { tally.latencies.percentileNanoseconds(fraction) / 1_000 }

    /// One line with fixed-width fields, so the lines of several runs stack into a table:
    /// `op=get    conns=16    depth=1    ops/s=  102469.3  p50_us=   142.3  p99_us=   410.0  ok=512345 failed=0 lost=0`.
    func line() -> String {
        [
            "op=" + LoadReport.padded(configuration.operation.rawValue, 6),
            "conns=" + LoadReport.padded(String(configuration.connections), 5),
            "depth=" + LoadReport.padded(String(configuration.depth), 4),
            "threads=" + LoadReport.padded(String(configuration.threads), 2),
            "ops/s=" + LoadReport.padded(LoadReport.fixed(operationsPerSecond, 1), 10, right: true),
            "p50_us=" + LoadReport.padded(LoadReport.fixed(microseconds(0.50), 1), 8, right: true),
            "p99_us=" + LoadReport.padded(LoadReport.fixed(microseconds(0.99), 1), 8, right: true),
            "ok=\(tally.succeeded) failed=\(tally.failedRequests) lost=\(tally.lostConnections)",
        ].joined(separator: "  ")
    }

    /// One JSON object on one line; keys in a fixed order.
    func json() -> String {
        let fields: [(String, String)] = [
            ("op", LoadReport.quoted(configuration.operation.rawValue)),
            ("server", LoadReport.quoted(configuration.server.description)),
            ("connections", String(configuration.connections)),
            ("depth", String(configuration.depth)),
            ("threads", String(configuration.threads)),
            ("value_bytes", String(configuration.valueBytes)),
            ("seeded_quotes", String(seededQuotes)),
            ("elapsed_seconds", LoadReport.fixed(elapsedSeconds, 3)),
            ("requests", String(tally.succeeded)),
            ("ops_per_second", LoadReport.fixed(operationsPerSecond, 1)),
            ("p50_us", LoadReport.fixed(microseconds(0.50), 1)),
            ("p90_us", LoadReport.fixed(microseconds(0.90), 1)),
            ("p99_us", LoadReport.fixed(microseconds(0.99), 1)),
            ("p999_us", LoadReport.fixed(microseconds(0.999), 1)),
            ("max_us", LoadReport.fixed(Double(tally.latencies.maximumNanoseconds) / 1_000, 1)),
            ("mean_us", LoadReport.fixed(tally.latencies.meanNanoseconds / 1_000, 1)),
            ("failed", String(tally.failedRequests)),
            ("lost_connections", String(tally.lostConnections)),
            ("first_failure", tally.firstFailure.map(LoadReport.quoted) ?? "null"),
        ]
        return "{" + fields.map { LoadReport.quoted($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    /// `value` rounded to `digits` decimals, without exponent: `102469.3`.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        guard digits > 0 else { return String(scaled) }
        let whole = String(scaled / Int(scale))
        let fraction = String(scaled % Int(scale))
        return whole + "." + String(repeating: "0", count: digits - fraction.count) + fraction
    }

    private static func padded(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }

    /// A JSON string literal.
    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
