import Foundation
import Testing

/// Runs the Python client's own suite (golden vectors and a real quoted) so that
/// `swift test` is the one command covering every client.
@Suite struct PythonClientTests {
    @Test func pythonClientSuitePasses() throws {
        let root = TestServer.repositoryRoot.path
        let probe = try runCommand("/usr/bin/env", ["python3", "-c", "import pytest"])
        try #require(probe.status == 0, "python3 with pytest is needed: python3 -m pip install pytest")
        let result = try runCommand(
            "/usr/bin/env", ["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", root + "/Clients/python/tests"],
            environment: [
                "QUOTED_BINARY": TestServer.quotedPath,
                "QUOTES": TestServer.quotesPath,
                "PYTHONDONTWRITEBYTECODE": "1",
            ])
        let summary = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(result.status == 0, "pytest failed:\n\(result.stdout.suffix(4000))\n\(result.stderr.suffix(2000))")
        #expect(summary.contains("passed"), "\(summary)")
    }
}
