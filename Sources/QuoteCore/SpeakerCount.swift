/// One speaker of a SPEAKERS_OK: the name as stored and how many live quotes it has.
public struct SpeakerCount: Hashable, Sendable {
    public var name: String
    public var quotes: UInt32

    public init(name: String, quotes: UInt32) {
        self.name = name
        self.quotes = quotes
    }

    /// Writes `string name ‖ u32 quotes`.
    public func encode(into writer: inout ByteWriter) {
        writer.writeString(name)
        writer.writeInteger(quotes)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> SpeakerCount {
        let name = try reader.readString(maxBytes: WireLimits.maxSpeakerBytes)
        return SpeakerCount(name: name, quotes: try reader.readInteger(as: UInt32.self))
    }

    /// The smallest encoding: an empty name and the count.
    public static let minimumEncodedBytes = 4 + 4
}
