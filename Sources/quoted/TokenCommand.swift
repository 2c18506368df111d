import CommandLineKit
import Foundation
import QuoteCore
import QuoteServer

/// `quoted token add|list|revoke`: manages the token file without a running server.
enum TokenCommand {
    static let fileOptions: [OptionSpec] = [
        .single("data", valueName: "dir", help: "The data directory whose tokens file to use.", defaultValue: "./quotes-data"),
        .single("tokens", valueName: "file", help: "The token file, instead of DIR/tokens."),
    ]

    static let spec = CommandSpec(
        // The whole command line's name, so usage and help say `quoted token …`.
        name: "quoted token",
        abstract: "Manage the tokens clients and peers authenticate with.",
        discussion: """
            Tokens live in DIR/tokens (or --tokens FILE), mode 0600, one NAME ROLE SECRET line \
            each. Roles: read (GET, SEARCH, RANDOM, STATS, DIGEST), write (read + ADD, EDIT, \
            DELETE, APPLY), replicate (read + CHANGES, for peers). A running quoted reads the file at \
            start: restart it after a change.
            """,
        subcommands: [
            CommandSpec(name: "add", abstract: "Create a token and print it once, as NAME:SECRET.",
                        options: fileOptions + [.single("role", valueName: "role", help: "What the token allows.",
                                                        isRequired: true, allowedValues: ["read", "write", "replicate"])],
                        arguments: [.required("name", help: "The token's name (letters, digits, '-', '_', '.').")]),
            CommandSpec(name: "list", abstract: "List token names and roles (never secrets).", options: fileOptions),
            CommandSpec(name: "revoke", abstract: "Delete a token.", options: fileOptions,
                        arguments: [.required("name", help: "The token to delete.")]),
        ])

    /// Runs `quoted token …` and exits.
    static func run(_ arguments: [String]) -> Never {
        let parsed = spec.parseOrExit(arguments)
        let path = parsed.value("tokens") ?? (parsed.value("data") ?? "./quotes-data") + "/tokens"
        do {
            if parsed.value("tokens") == nil {
                try FileManager.default.createDirectory(atPath: parsed.value("data") ?? "./quotes-data", withIntermediateDirectories: true)
            }
            var file = try TokenFile(path: path)
            switch parsed.subcommandPath.last {
            case "add":
                let role = Role(name: parsed.value("role") ?? "") ?? .read
                let token = try file.add(name: parsed.argument("name") ?? "", role: role)
                print(token.description)
                FileHandle.standardError.write(Data("quoted: added \(role) token '\(token.name)' to \(path); keep the token printed on standard output secret\n".utf8))
            case "revoke":
                try file.revoke(name: parsed.argument("name") ?? "")
                FileHandle.standardError.write(Data("quoted: revoked; restart quoted to apply\n".utf8))
            default:
                if file.entries.isEmpty { FileHandle.standardError.write(Data("quoted: no tokens in \(path)\n".utf8)) }
                for entry in file.entries { print("\(entry.name)\t\(entry.role)") }
            }
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("quoted: \(error)\n".utf8))
            exit(1)
        }
    }
}
