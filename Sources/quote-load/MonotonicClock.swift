#if canImport(Glibc)
import Glibc
#endif

/// Readings of `CLOCK_MONOTONIC`, which wall-clock steps do not move.
enum MonotonicClock {
    /// Nanoseconds since an arbitrary start; the corresponding C function is `clock_gettime`.
    static func nanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }
}
