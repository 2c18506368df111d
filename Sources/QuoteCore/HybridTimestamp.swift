/// A hybrid logical clock reading: wall-clock milliseconds in the high 48 bits, a logical
/// counter in the low 16.
///
/// Readings from one clock only ever increase, even when the wall clock steps back, and a
/// clock that observes a remote reading moves past it, so "later" survives replication.
public struct HybridTimestamp: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The packed 64-bit value, as stored and sent.
    public let rawValue: UInt64

    /// Wraps a packed value.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Packs milliseconds since the Unix epoch and a logical counter.
    public init(milliseconds: UInt64, logical: UInt16) {
        rawValue = (milliseconds << 16) | UInt64(logical)
    }

    /// Milliseconds since the Unix epoch.
    public var milliseconds: UInt64 { rawValue >> 16 }

    /// The logical counter that orders readings within one millisecond.
    public var logical: UInt16 { UInt16(truncatingIfNeeded: rawValue) }

    public static func < (lhs: HybridTimestamp, rhs: HybridTimestamp) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "\(milliseconds).\(logical)" }
}
