import CommandLineKit
import Testing

@Suite struct ParseOrExitTests {
    @Test func helpExitsSuccessfullyWithHelpOnStandardOutput() async throws {
        let result = try await #require(processExitsWith: .success, observing: [\.standardOutputContent]) {
            _ = Fixtures.quotes.parseOrExit(["help", "search"])
        }
        #expect(String(decoding: result.standardOutputContent, as: UTF8.self) == HelpTests.searchHelp + "\n")
    }

    @Test func usageErrorExitCodeIsTwo() {
        #expect(UsageError.exitCode == 2)
    }

    @Test func usageErrorExitsWithStatusTwoAndTextOnStandardError() async throws {
        let result = try await #require(
            processExitsWith: .exitCode(2), observing: [\.standardErrorContent]
        ) {
            _ = Fixtures.quotes.parseOrExit(["serch"])
        }
        #expect(String(decoding: result.standardErrorContent, as: UTF8.self) == """
            Error: Unknown command 'serch'. Did you mean 'search'?
            Usage: quotes [--server <HOST:PORT>] [--json] <subcommand>
              See 'quotes --help' for more information.

            """)
    }
}
