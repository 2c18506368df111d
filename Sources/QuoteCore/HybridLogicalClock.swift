import Synchronization

/// Issues hybrid logical clock readings (Kulkarni et al., 2014) for one node.
///
/// State is guarded by a `Mutex`; the wall clock is injected so tests can step it back.
public final class HybridLogicalClock: Sendable {
    /// Milliseconds since the Unix epoch, as the wall clock says now.
    public typealias WallClock = @Sendable () -> UInt64

    private let wallClock: WallClock
    private let last = Mutex(HybridTimestamp(rawValue: 0))

    /// Creates a clock reading `wallClock` (the system clock by default).
    public init(wallClock: @escaping WallClock = HybridLogicalClock.systemMilliseconds) {
        self.wallClock = wallClock
    }

    /// A reading greater than every reading issued or observed before.
    public func now() -> HybridTimestamp {
        let physical = wallClock()
        return last.withLock { last in
            let next: HybridTimestamp
            if physical > last.milliseconds {
                next = HybridTimestamp(milliseconds: physical, logical: 0)
            } else {
                next = HybridTimestamp(rawValue: last.rawValue &+ 1)
            }
            last = next
            return next
        }
    }

    /// Moves the clock past a reading that came from another node.
    public func observe(_ remote: HybridTimestamp) {
        last.withLock { last in
            if remote > last { last = remote }
        }
    }

    /// The system wall clock in milliseconds since the Unix epoch.
    @Sendable public static func systemMilliseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return UInt64(spec.tv_sec) * 1000 + UInt64(spec.tv_nsec) / 1_000_000
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
