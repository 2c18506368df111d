/// Why a run could not start or finish: a connection refused, a seed quote rejected.
/// `main` prints it as `quote-load: <message>` and exits with `exitCode`.
struct LoadFailure: Error, CustomStringConvertible {
    /// The exit status for a run that could not be prepared.
    static let exitCode: Int32 = 3

    /// What went wrong, naming the call and the target.
    let description: String

    init(_ description: String) { self.description = description }
}
