#if canImport(Glibc)
import Glibc
#endif
import CommandLineKit
import Dispatch
import Foundation
import QuotePOSIX
import QuoteServer
import QuoteStore

/// `quoted`: parse flags, open the archive, serve until SIGINT or SIGTERM.
/// `quoted token …` manages tokens instead.
if CommandLine.arguments.dropFirst().first == "token" {
    TokenCommand.run(Array(CommandLine.arguments.dropFirst(2)))
}
let command = QuotedCommand.spec.parseOrExit()
let configuration: ServerConfiguration
do {
    configuration = try QuotedCommand.configuration(from: command)
} catch {
    error.printAndExit()
}

signal(SIGPIPE, SIG_IGN)
let server: Server
do {
    server = try Server(configuration: configuration)
    try server.start()
} catch let error as DataDirectory.Failure {
    FileHandle.standardError.write(Data("quoted: \(error)\n".utf8))
    exit(1)
} catch {
    FileHandle.standardError.write(Data("quoted: \(error)\n".utf8))
    exit(1)
}

// Signals arrive on a Dispatch source, not in a handler, so shutdown can take locks. The
// main queue (run by dispatchMain) is the main actor's, which owns these top-level values.
var signalSources: [any DispatchSourceSignal] = []
for signalNumber in [SIGINT, SIGTERM] {
    signal(signalNumber, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .main)
    source.setEventHandler {
        server.shutdown()
        exit(0)
    }
    source.resume()
    signalSources.append(source)
}
dispatchMain()
