/// Counts describing an archive, for STATS.
public struct ArchiveStatistics: Sendable, Equatable {
    /// Quotes that can be read.
    public var liveQuotes: Int
    /// Ids whose winning op is a delete.
    public var deletedQuotes: Int
    /// The log's size in bytes.
    public var logBytes: Int
    /// The sequence number of the last op appended.
    public var lastSequence: UInt64
    /// Distinct speakers indexed.
    public var speakers: Int
    /// Distinct words indexed.
    public var words: Int
    /// Quotes (live or not) whose words and tags are in the ranked lists (`RankedIndex`),
    /// and those indexed since, which searches find in the unranked tail.
    public var rankedQuotes: Int = 0
    public var unrankedQuotes: Int = 0
}
