#if canImport(Glibc)
import Glibc
#endif
import CommandLineKit
import Dispatch
import Foundation
import QuoteCore
import QuotePOSIX
import QuoteServer
import QuoteStore

/// `quoted`: parse flags, open the archive, serve until SIGINT or SIGTERM.
/// `quoted token …` manages tokens instead.
if CommandLine.arguments.dropFirst().first == "token" {
    TokenCommand.run(Array(CommandLine.arguments.dropFirst(2)))
}
let command = QuotedCommand.spec.parseOrExit()
if command.flag("version") {
    print("\(Server.versionName) (protocol version \(Hello.currentVersion), data format version \(LogFormat.version))")
    exit(0)
}
let configuration: ServerConfiguration
do {
    configuration = try QuotedCommand.configuration(from: command)
} catch {
    error.printAndExit()
}

signal(SIGPIPE, SIG_IGN)

// Signals arrive on a Dispatch source, not in a handler, so shutdown can take locks. The
// sources exist before the server binds: a SIGTERM sent as soon as it is listening must
// not fall between ignoring the signal and watching for it. They run on the main queue
// (run by dispatchMain), the main actor's, which owns these top-level values.
var server: Server?
var signalSources: [any DispatchSourceSignal] = []
for signalNumber in [SIGINT, SIGTERM] {
    signal(signalNumber, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .main)
    source.setEventHandler {
        server?.shutdown()
        exit(0)
    }
    source.resume()
    signalSources.append(source)
}

do {
    let started = try Server(configuration: configuration)
    try started.start()
    server = started
} catch {
    FileHandle.standardError.write(Data("quoted: \(error)\n".utf8))
    exit(1)
}
dispatchMain()
