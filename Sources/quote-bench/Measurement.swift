#if canImport(Glibc)
import Glibc
#endif

/// Timing, memory and formatting helpers for the benchmark.
enum Measurement {
    /// Seconds on the monotonic clock.
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Runs `body` and returns how long it took, in seconds.
    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = now()
        try body()
        return now() - start
    }

    /// The process's resident set size in bytes (`VmRSS` in /proc/self/status).
    static func residentBytes() -> Int {
        guard let file = fopen("/proc/self/status", "r") else { return 0 }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("VmRSS:") {
                let digits = text.dropFirst(6).filter { $0.isNumber }
                return (Int(digits) ?? 0) * 1024
            }
        }
        return 0
    }

    /// Hands freed heap pages back to the OS (glibc's `malloc_trim`, looked up at run time
    /// because the Glibc module does not export it), so RSS measures what is live.
    static func releaseFreeMemory() {
        typealias MallocTrim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(nil, "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
    }

    /// The size of a file in bytes, 0 if it cannot be read.
    static func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    static func megabytes(_ bytes: Int) -> String { fixed(Double(bytes) / 1_048_576, 1) + " MB" }

    /// `value` with `digits` decimals.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var text = String(rounded)
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if digits == 0 { text = String(text[..<dot]) } else if decimals < digits {
                text += String(repeating: "0", count: digits - decimals)
            }
        }
        return text
    }

    /// An integer with thousands separators: 1,234,567.
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return out
    }

    /// The value at `fraction` (0...1) of sorted `samples`.
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * fraction))]
    }
}

/// A table of results printed with aligned columns.
struct ResultTable {
    struct Row {
        var measurement: String
        var result: String
        var target: String
        var verdict: String
        var note: String
    }

    private var rows: [Row] = []

    mutating func add(_ measurement: String, _ result: String, target: String = "", met: Bool? = nil, note: String = "") {
        let verdict = met.map { $0 ? "ok" : "MISSED" } ?? ""
        rows.append(Row(measurement: measurement, result: result, target: target, verdict: verdict, note: note))
    }

    /// The rows alone, a line each, their cells separated by tabs.
    func renderRows() -> String {
        rows.map { [$0.measurement, $0.result, $0.target, $0.verdict, $0.note].joined(separator: "\t") }.joined(separator: "\n")
    }

    /// Adds a row `renderRows()` wrote.
    mutating func add(renderedRow line: Substring) {
        let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard cells.count == 5 else { return }
        rows.append(Row(measurement: cells[0], result: cells[1], target: cells[2], verdict: cells[3], note: cells[4]))
    }

    func render() -> String {
        let header = Row(measurement: "measurement", result: "result", target: "target", verdict: "", note: "notes")
        let all = [header] + rows
        func width(_ column: (Row) -> String) -> Int { all.map { column($0).count }.max() ?? 0 }
        let widths = [width(\.measurement), width(\.result), width(\.target), width(\.verdict)]
        func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: width - text.count) }
        func line(_ row: Row) -> String {
            let cells = [pad(row.measurement, widths[0]), pad(row.result, widths[1]), pad(row.target, widths[2]),
                         pad(row.verdict, widths[3]), row.note]
            var text = cells.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        let rule = String(repeating: "-", count: widths.reduce(0, +) + 8 + (all.map { $0.note.count }.max() ?? 0))
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}
