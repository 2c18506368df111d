/// The HELLO request: the first frame on every connection.
public struct Hello: Hashable, Sendable {
    /// The four bytes every HELLO and HELLO_OK starts with: ASCII `QTAR`.
    public static let magic: [UInt8] = Array("QTAR".utf8)
    /// The protocol version this code speaks.
    public static let currentVersion: UInt16 = 2

    /// The lowest protocol version the client speaks.
    public var minVersion: UInt16
    /// The highest protocol version the client speaks.
    public var maxVersion: UInt16
    /// A free-form client name for the server's logs, e.g. `quotes/0.1`.
    public var clientName: String
    /// Reserved for authentication; empty in version 1.
    public var authentication: [UInt8]

    /// Creates a HELLO.
    public init(minVersion: UInt16 = Hello.currentVersion, maxVersion: UInt16 = Hello.currentVersion,
                clientName: String, authentication: [UInt8] = []) {
        self.minVersion = minVersion
        self.maxVersion = maxVersion
        self.clientName = clientName
        self.authentication = authentication
    }

    func encode(into writer: inout ByteWriter) {
        writer.writeBytes(Hello.magic)
        writer.writeInteger(minVersion)
        writer.writeInteger(maxVersion)
        writer.writeString(clientName)
        writer.writeLengthPrefixed(authentication)
    }

    static func decode(from reader: inout ByteReader) throws(DecodeError) -> Hello {
        guard try reader.readBytes(count: 4) == magic else { throw .invalidValue(offset: 0, field: "magic") }
        let minVersion = try reader.readInteger(as: UInt16.self)
        let maxVersion = try reader.readInteger(as: UInt16.self)
        let name = try reader.readString(maxBytes: WireLimits.maxPeerNameBytes)
        let authentication = try reader.readLengthPrefixed(maxBytes: WireLimits.maxHelloBlobBytes)
        return Hello(minVersion: minVersion, maxVersion: maxVersion, clientName: name, authentication: authentication)
    }
}

/// The HELLO_OK response: the version chosen and what the client should know of the server.
public struct HelloReply: Hashable, Sendable {
    /// Bits of `flags`.
    public struct Flags: OptionSet, Hashable, Sendable {
        /// The `u8` on the wire.
        public let rawValue: UInt8
        /// Wraps a byte; bits this version does not define are kept.
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The server refuses ADD and DELETE.
        public static let readOnly = Flags(rawValue: 1)
        /// The server wants authentication before other requests.
        public static let authenticationRequired = Flags(rawValue: 2)
    }

    /// The protocol version both sides now speak.
    public var version: UInt16
    /// The archive's node id.
    public var nodeID: UInt64
    /// The server's name and version, e.g. `quoted/0.1.0`.
    public var serverName: String
    /// The largest frame length the server accepts.
    public var maxFrameBytes: UInt32
    /// What the server is like.
    public var flags: Flags
    /// Reserved for authentication; empty in version 1.
    public var serverNonce: [UInt8]

    /// Creates a HELLO_OK.
    public init(version: UInt16, nodeID: UInt64, serverName: String, maxFrameBytes: UInt32,
                flags: Flags = [], serverNonce: [UInt8] = []) {
        self.version = version
        self.nodeID = nodeID
        self.serverName = serverName
        self.maxFrameBytes = maxFrameBytes
        self.flags = flags
        self.serverNonce = serverNonce
    }

    func encode(into writer: inout ByteWriter) {
        writer.writeBytes(Hello.magic)
        writer.writeInteger(version)
        writer.writeInteger(nodeID)
        writer.writeString(serverName)
        writer.writeInteger(maxFrameBytes)
        writer.writeInteger(flags.rawValue)
        writer.writeLengthPrefixed(serverNonce)
    }

    static func decode(from reader: inout ByteReader) throws(DecodeError) -> HelloReply {
        guard try reader.readBytes(count: 4) == Hello.magic else { throw .invalidValue(offset: 0, field: "magic") }
        let version = try reader.readInteger(as: UInt16.self)
        let nodeID = try reader.readInteger(as: UInt64.self)
        let name = try reader.readString(maxBytes: WireLimits.maxPeerNameBytes)
        let maxFrameBytes = try reader.readInteger(as: UInt32.self)
        let flags = Flags(rawValue: try reader.readInteger(as: UInt8.self))
        let nonce = try reader.readLengthPrefixed(maxBytes: WireLimits.maxHelloBlobBytes)
        return HelloReply(version: version, nodeID: nodeID, serverName: name, maxFrameBytes: maxFrameBytes,
                          flags: flags, serverNonce: nonce)
    }
}
