/// What kind of failure an error is, so that the command line can choose its exit code without
/// reading the error's message.
///
/// `lspsim` maps each category to one exit code (sysexits.h where one fits) in one place,
/// `ExitStatus.code(for:)` in `Sources/lspsim/LSPSim.swift`:
///
/// | category           | code | sysexits name  |
/// |--------------------|------|----------------|
/// | `usage`            | 64   | EX_USAGE       |
/// | `invalidInput`     | 65   | EX_DATAERR     |
/// | `noInput`          | 66   | EX_NOINPUT     |
/// | `unavailable`      | 69   | EX_UNAVAILABLE |
/// | `software`         | 70   | EX_SOFTWARE    |
/// | `cannotCreate`     | 73   | EX_CANTCREAT   |
/// | `temporaryFailure` | 75   | EX_TEMPFAIL    |
/// | `interrupted`      | 130  | (128 + SIGINT) |
public enum ExitCategory: Sendable, Equatable, CaseIterable {
    /// The command was called wrongly (an option out of range for this input).
    case usage
    /// An input file or store is invalid, or the inputs give no result (failed runs, a degenerate analysis).
    case invalidInput
    /// An input file or folder does not exist or cannot be read.
    case noInput
    /// A program or service lspsim needs is missing or refused the request (e.g. Slurm's sbatch).
    case unavailable
    /// An internal failure (e.g. a GSL error).
    case software
    /// Output could not be written.
    case cannotCreate
    /// Try again later: the store is busy or locked by another writer, or jobs of an earlier
    /// submission are still running.
    case temporaryFailure
    /// The user stopped the command (Ctrl-C, SIGTERM); finished work was kept.
    case interrupted
}

/// An error that says which `ExitCategory` it belongs to.
///
/// Library errors adopt it so that `lspsim` exits with the right code whatever command met them:
/// for example the results store's error for "the store is busy / locked by another writer"
/// answers `.temporaryFailure` (exit 75). The error's `description` (or `String(describing:)`)
/// is what `lspsim` prints after "error: ".
public protocol ExitCodeClassified: Error {
    var exitCategory: ExitCategory { get }
}

/// An error with a message and a category, for library functions whose failures are best told
/// in a sentence (e.g. "the sweep has no runs yet; run `lspsim sweep` to completion first").
public struct ClassifiedError: ExitCodeClassified, CustomStringConvertible, Sendable, Equatable {
    public let exitCategory: ExitCategory
    public let description: String

    public init(_ category: ExitCategory, _ description: String) {
        exitCategory = category
        self.description = description
    }

    /// Runs `body`; an error that is not already `ExitCodeClassified` becomes a `ClassifiedError`
    /// of `category`, its message prefixed by `context` when one is given. Classified errors pass
    /// unchanged, so that for example a busy store stays `.temporaryFailure`.
    public static func classifying<T>(_ category: ExitCategory, _ context: String? = nil, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ExitCodeClassified {
            throw error
        } catch {
            throw ClassifiedError(category, context.map { "\($0): \(error)" } ?? "\(error)")
        }
    }
}
