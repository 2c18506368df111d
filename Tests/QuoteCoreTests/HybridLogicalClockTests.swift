import QuoteCore
import Synchronization
import Testing

@Suite struct HybridLogicalClockTests {
    /// A wall clock the test sets by hand.
    final class ManualWallClock: Sendable {
        private let milliseconds: Mutex<UInt64>

        init(_ start: UInt64) { milliseconds = Mutex(start) }

        func set(_ value: UInt64) { milliseconds.withLock { $0 = value } }

        var reading: HybridLogicalClock.WallClock { { self.milliseconds.withLock { $0 } } }
    }

    @Test func timestampPacksMillisecondsAboveA16BitCounter() {
        let timestamp = HybridTimestamp(milliseconds: 1_751_112_000_000, logical: 3)
        #expect(timestamp.rawValue == 1_751_112_000_000 << 16 | 3)
        #expect(timestamp.milliseconds == 1_751_112_000_000)
        #expect(timestamp.logical == 3)
    }

    @Test func readingsFollowTheWallClockWhenItMovesForward() {
        let wall = ManualWallClock(1_000)
        let clock = HybridLogicalClock(wallClock: wall.reading)
        #expect(clock.now() == HybridTimestamp(milliseconds: 1_000, logical: 0))
        wall.set(2_000)
        #expect(clock.now() == HybridTimestamp(milliseconds: 2_000, logical: 0))
    }

    @Test func readingsWithinOneMillisecondCountUp() {
        let clock = HybridLogicalClock(wallClock: ManualWallClock(1_000).reading)
        let readings = (0..<5).map { _ in clock.now() }
        #expect(readings.map(\.logical) == [0, 1, 2, 3, 4])
        #expect(Set(readings.map(\.milliseconds)) == [1_000])
    }

    @Test func readingsKeepIncreasingWhenTheWallClockStepsBack() {
        let wall = ManualWallClock(5_000)
        let clock = HybridLogicalClock(wallClock: wall.reading)
        var previous = clock.now()
        for step in [4_000, 4_999, 1, 5_000, 5_001] as [UInt64] {
            wall.set(step)
            let next = clock.now()
            #expect(next > previous, "wall clock at \(step)")
            previous = next
        }
        #expect(previous == HybridTimestamp(milliseconds: 5_001, logical: 0))
    }

    @Test func observingARemoteReadingMovesTheClockPastIt() {
        let clock = HybridLogicalClock(wallClock: ManualWallClock(1_000).reading)
        let remote = HybridTimestamp(milliseconds: 9_000, logical: 7)
        clock.observe(remote)
        #expect(clock.now() == HybridTimestamp(milliseconds: 9_000, logical: 8))
    }

    @Test func observingAnOlderReadingChangesNothing() {
        let clock = HybridLogicalClock(wallClock: ManualWallClock(5_000).reading)
        _ = clock.now()
        clock.observe(HybridTimestamp(milliseconds: 10, logical: 0))
        #expect(clock.now() == HybridTimestamp(milliseconds: 5_000, logical: 1))
    }

    @Test func systemClockReadsMillisecondsSinceTheEpoch() {
        // After 2025-01-01 and before 2100-01-01.
        #expect((1_735_689_600_000..<4_102_444_800_000).contains(HybridLogicalClock.systemMilliseconds()))
    }
}
