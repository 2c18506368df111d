/// Where each record of the log starts, by position, and its sequence number, for CHANGES.
///
/// Sequence numbers rise by one from record to record except across a gap a repair left,
/// so they are kept as runs (the position where each run starts and its first number)
/// rather than eight bytes per record.
struct RecordIndex {
    /// Each record's offset in the log, in log order.
    private(set) var offsets: [UInt64] = []
    /// Positions where a run of consecutive sequence numbers starts, and its first number.
    private var runStarts: [Int] = []
    private var runSequences: [UInt64] = []

    var count: Int { offsets.count }

    mutating func reserveCapacity(_ capacity: Int) {
        offsets.reserveCapacity(capacity)
    }

    mutating func append(sequence: UInt64, offset: Int) {
        if let last = runSequences.last, sequence == last + UInt64(offsets.count - runStarts[runStarts.count - 1]) {
            offsets.append(UInt64(offset))
            return
        }
        runStarts.append(offsets.count)
        runSequences.append(sequence)
        offsets.append(UInt64(offset))
    }

    func offset(at position: Int) -> Int { Int(offsets[position]) }

    mutating func setOffset(_ offset: Int, at position: Int) { offsets[position] = UInt64(offset) }

    /// The sequence number of the record at `position`.
    func sequence(at position: Int) -> UInt64 {
        let run = runStarts.partitionPoint { $0 > position } - 1
        return runSequences[run] + UInt64(position - runStarts[run])
    }

    /// The position of the first record whose sequence number is above `since`.
    func firstPosition(after since: UInt64) -> Int {
        // The run holding the answer is the last one whose first number is at most `since`.
        let run = runSequences.partitionPoint { $0 > since }
        if run == 0 { return 0 }
        let start = runStarts[run - 1]
        let end = run < runStarts.count ? runStarts[run] : offsets.count
        return min(end, start + Int(since - runSequences[run - 1]) + 1)
    }
}
