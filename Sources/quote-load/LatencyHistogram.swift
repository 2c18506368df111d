/// Counts of latencies in log-linear buckets: each power of two split into 32 equal steps,
/// so a percentile read back is within about 3% of the true value at any scale, in fixed
/// memory (15 KiB), with one array increment per sample.
///
/// Below 32 ns every nanosecond has its own bucket; from there a value's bucket is its
/// highest set bit (the power of two) and the next five bits (the step within it). This is
/// the layout of HdrHistogram with 5 significant bits.
///
/// Owned by one thread; merge per-thread histograms once the threads are done.
struct LatencyHistogram: Sendable {
    private static let stepBits = 5
    private static let steps = 1 << stepBits
    /// Enough buckets for any `UInt64` value.
    private static let bucketCount = (64 - stepBits + 1) * steps

    private var counts = [UInt64](repeating: 0, count: LatencyHistogram.bucketCount)
    /// How many samples were recorded.
    private(set) var total: UInt64 = 0
    /// The largest sample, in nanoseconds.
    private(set) var maximumNanoseconds: UInt64 = 0
    private var sumNanoseconds: UInt64 = 0

    /// Creates an empty histogram.
    init() {}

    /// Counts one latency.
    mutating func record(nanoseconds value: UInt64) {
        counts[LatencyHistogram.bucket(of: value)] &+= 1
        total &+= 1
        sumNanoseconds &+= value
        if value > maximumNanoseconds { maximumNanoseconds = value }
    }

    /// Adds another histogram's samples to this one.
    mutating func merge(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] &+= other.counts[index] }
        total &+= other.total
        sumNanoseconds &+= other.sumNanoseconds
        maximumNanoseconds = max(maximumNanoseconds, other.maximumNanoseconds)
    }

    /// The mean latency in nanoseconds, 0 without samples.
    var meanNanoseconds: Double { total == 0 ? 0 : Double(sumNanoseconds) / Double(total) }

    /// The latency at `fraction` (0...1) of the samples, in nanoseconds: the middle of the
    /// bucket holding that rank, never above the largest sample; 0 without samples.
    func percentileNanoseconds(_ fraction: Double) -> Double {
        guard total > 0 else { return 0 }
        let rank = max(1, UInt64((Double(total) * fraction).rounded(.up)))
        var seen: UInt64 = 0
        for (index, count) in counts.enumerated() where count > 0 {
            seen += count
            if seen >= rank {
                let range = LatencyHistogram.range(of: index)
                let middle = (Double(range.lowerBound) + Double(range.upperBound)) / 2
                return min(middle, Double(maximumNanoseconds))
            }
        }
        return Double(maximumNanoseconds)
    }

    /// The bucket a value falls in.
    static func bucket(of value: UInt64) -> Int {
        guard value >= UInt64(steps) else { return Int(value) }
        let highestBit = 63 - value.leadingZeroBitCount
        let shift = highestBit - stepBits
        let step = Int((value >> UInt64(shift)) & UInt64(steps - 1))
        return (shift + 1) * steps + step
    }

    /// The values a bucket holds: `lowerBound` included, `upperBound` excluded.
    static func range(of bucket: Int) -> Range<UInt64> {
        guard bucket >= steps else { return UInt64(bucket)..<UInt64(bucket + 1) }
        let shift = UInt64(bucket / steps - 1)
        let mantissa = UInt64(steps + bucket % steps)
        let lower = mantissa << shift
        // The top bucket's end does not fit in 64 bits.
        let upper = mantissa + 1 == UInt64(2 * steps) && shift == UInt64(63 - stepBits) ? UInt64.max : (mantissa + 1) << shift
        return lower..<upper
    }
}
