/// SplitMix64: a small, fast, seedable random number generator, the same sequence on every
/// platform for a given seed. For reproducible tests, benchmarks and load; not for secrets
/// (nonces and tokens come from the system generator).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator; equal seeds give equal sequences.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound` by multiply-and-shift (Lemire) rather than `Int.random`'s
    /// division and rejection loop; the bias is below 2^-40 for bounds under 2^24.
    public mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }
}
