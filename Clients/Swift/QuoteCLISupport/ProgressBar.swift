/// A one-line progress bar for terminals: `[########            ]  40%  4000/10000`.
///
/// Pure rendering; the caller writes the line after a carriage return on a terminal and
/// clears it when done, so redirected output never carries bars.
public enum ProgressBar {
    /// The bar for `completed` of `total` units, `width` columns of bar between the brackets.
    public static func render(completed: Int, total: Int, width: Int = 30) -> String {
        let total = max(total, 0)
        let completed = min(max(completed, 0), total)
        let fraction = total == 0 ? 1.0 : Double(completed) / Double(total)
        let filled = Int((fraction * Double(width)).rounded(.down))
        let percent = Int((fraction * 100).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        let percentText = String(repeating: " ", count: 3 - String(percent).count) + "\(percent)%"
        return "[\(bar)] \(percentText)  \(completed)/\(total)"
    }

    /// `rate` (units per second, nothing while still 0) and, when work is left, the time it
    /// needs at that rate: `  104211 ops/s  ETA 0:05`, to follow a bar.
    public static func rateAndETA(completed: Int, total: Int, elapsedSeconds: Double, unit: String) -> String {
        guard elapsedSeconds > 0, completed > 0 else { return "" }
        let rate = Double(completed) / elapsedSeconds
        var text = "  \(Int(rate)) \(unit)/s"
        if total > completed { text += "  " + timeLeft(total - completed, rate: rate) }
        return text
    }

    /// `ETA 1:05`: how long `units` more take at `rate` units per second (above 0).
    public static func timeLeft(_ units: Int, rate: Double) -> String {
        let left = Int((Double(units) / rate).rounded(.up))
        return "ETA \(left / 60):" + (left % 60 < 10 ? "0" : "") + String(left % 60)
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
