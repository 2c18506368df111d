#if !FUZZING
import Foundation

/// `quote-fuzz FILE|DIR...`: replays saved fuzz inputs through the same targets.
///
/// Without `-DFUZZING` there is no libFuzzer, so this is the executable: every file named,
/// and every file under every directory named, is fed to `FuzzHarness.run`. An input that
/// breaks an invariant traps, so the process dies by a signal (a non-zero status); when all
/// inputs pass it prints how many it replayed and exits 0.
@main
struct Replayer {
    static let usage = """
        OVERVIEW: Replay quote-fuzz inputs (crashers, corpora) through the fuzz targets.

        USAGE: quote-fuzz <path> ...

        ARGUMENTS:
          <path>    A file, or a directory whose files (recursively) are replayed.

        Set QUOTE_FUZZ_TARGET=frames|codec|recovery to send whole inputs to one target
        instead of choosing it by the first byte. The fuzzer itself is built by scripts/fuzz.
        """

    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.contains("-h") || arguments.contains("--help") {
            print(usage)
            return
        }
        guard !arguments.isEmpty else {
            FileHandle.standardError.write(Data("Error: no input given\n\(usage)\n".utf8))
            exit(2)
        }
        var replayed = 0
        for path in arguments {
            let files = inputFiles(at: path)
            guard let files else {
                FileHandle.standardError.write(Data("quote-fuzz: \(path): no such file or directory\n".utf8))
                exit(2)
            }
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else {
                    FileHandle.standardError.write(Data("quote-fuzz: \(file): cannot be read\n".utf8))
                    exit(2)
                }
                FuzzHarness.run(Array(data))
                replayed += 1
            }
        }
        print("quote-fuzz: replayed \(replayed) inputs, no crash")
    }

    /// The regular files at `path` (itself, or every file under it, sorted); nil if missing.
    static func inputFiles(at path: String) -> [String]? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        guard isDirectory.boolValue else { return [path] }
        let base = URL(fileURLWithPath: path)
        var files: [String] = []
        if let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                files.append(url.path)
            }
        }
        return files.sorted()
    }
}
#endif
