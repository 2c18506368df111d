#if canImport(Glibc)
import Glibc
#endif
import QuoteCore
import QuotePOSIX
import QuoteStore

/// The tokens a server accepts: `NAME ROLE HEX` lines, `#` comments, mode 0600.
///
/// The file holds secrets, so a server refuses to start when anyone but its owner can
/// read or write it, and every rewrite keeps it 0600.
public struct TokenFile: Sendable {
    /// One accepted token.
    public struct Entry: Sendable, Equatable {
        /// The token's name (sent in AUTH; not secret).
        public var name: String
        /// What it allows.
        public var role: Role
        /// The shared secret.
        public var secret: [UInt8]
    }

    /// Why the file cannot be used.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The file's path.
    public let path: String
    /// The tokens, in file order.
    public private(set) var entries: [Entry]

    /// Loads `path`; a missing file is an empty list.
    public init(path: String) throws(Failure) {
        self.path = path
        entries = []
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        guard info.st_mode & 0o077 == 0 else {
            throw Failure(description: "\(path) is readable or writable by others (mode \(String(info.st_mode & 0o777, radix: 8))); "
                          + "it holds secrets: chmod 600 \(path)")
        }
        guard let text = DataDirectory.readFile(path) else { throw Failure(description: "cannot read \(path)") }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: " \t\r")
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == 3, AccessToken.isValidName(String(fields[0])), let role = Role(name: String(fields[1])),
                  let secret = Hex.decode(String(fields[2])), secret.count >= 16 else {
                throw Failure(description: "\(path):\(index + 1): expected NAME ROLE HEX (role read, write or replicate)")
            }
            entries.append(Entry(name: String(fields[0]), role: role, secret: secret))
        }
    }

    /// The entry named `name`.
    public func entry(named name: String) -> Entry? {
        entries.first { $0.name == name }
    }

    /// Adds a new token with a fresh secret and saves the file; returns it as clients write it.
    public mutating func add(name: String, role: Role) throws(Failure) -> AccessToken {
        guard AccessToken.isValidName(name) else {
            throw Failure(description: "'\(name)' is not a token name: 1-64 letters, digits, '-', '_' or '.'")
        }
        guard entry(named: name) == nil else { throw Failure(description: "a token named '\(name)' exists; revoke it first") }
        let secret = Authentication.randomBytes()
        entries.append(Entry(name: name, role: role, secret: secret))
        try save()
        return AccessToken(name: name, secret: secret)
    }

    /// Removes the token named `name` and saves the file.
    public mutating func revoke(name: String) throws(Failure) {
        guard entry(named: name) != nil else { throw Failure(description: "no token named '\(name)'") }
        entries.removeAll { $0.name == name }
        try save()
    }

    private func save() throws(Failure) {
        var text = "# quoted tokens: NAME ROLE SECRET. Keep this file mode 0600.\n"
        for entry in entries { text += "\(entry.name) \(entry.role) \(Hex.encode(entry.secret))\n" }
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        do {
            try DataDirectory.writeDurably(Array(text.utf8), to: path, directory: directory.isEmpty ? "/" : directory, mode: 0o600)
        } catch {
            throw Failure(description: error.description)
        }
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> Substring {
        var slice = self
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return slice
    }
}
