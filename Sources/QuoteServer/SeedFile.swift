import Foundation
import QuoteCore

/// Reads the JSON Lines a new data directory is seeded from: a file, or the built-in ones.
enum SeedFile {
    /// Why a seed file could not be used.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The quotes of `path`, one JSON object per line; blank lines are skipped.
    static func load(_ path: String) throws -> [Quote] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(description: "cannot read seed file \(path)")
        }
        return try parse(String(decoding: data, as: UTF8.self), name: path)
    }

    /// The built-in sample quotes (`BuiltInSeed`).
    static func builtIn() throws -> [Quote] {
        try parse(BuiltInSeed.jsonLines, name: "the built-in seed")
    }

    /// The quotes of JSON Lines text; errors name `name` and the line.
    static func parse(_ text: String, name path: String) throws -> [Quote] {
        var quotes: [Quote] = []
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            do {
                quotes.append(try Quote.parseJSONLine(String(trimmed)))
            } catch {
                throw Failure(description: "\(path):\(index + 1): \(error)")
            }
        }
        return quotes
    }
}
