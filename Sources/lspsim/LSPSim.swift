import ArgumentParser
import Experiments
import Foundation
import PartnershipModel
import Reports
import Results
import RunOutput
import ScenarioFile

/// The `lspsim` command: simulations of local strategic partnerships.
@main
struct LSPSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lspsim",
        abstract: "Agent-based simulations of Local Strategic Partnerships and their Local Area Agreements.",
        discussion: """
            Each run simulates 12 quarters of influence, spending, outcomes and trust among the partners \
            of one area under one governance set-up, replicated with GSL's random generators.

            Example:
              lspsim run scenarios/unitary.yaml --replications 200 --seed 7
            """,
        version: LspsimVersion.current,
        subcommands: [Run.self, Calibrate.self, Validate.self, Sweep.self, Summarize.self, Compare.self, Robust.self, Sensitivity.self, Discover.self, Report.self, Export.self, Merge.self, Slurm.self, Bench.self, New.self, Assess.self, Studio.self]
    )

    /// Parses and runs the command; every error ends here, in `ExitStatus.exit(for:)`.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            ExitStatus.exit(for: error)
        }
    }
}

/// Exit codes (sysexits.h where one fits), and the one place that maps errors to them.
enum ExitStatus {
    /// Bad command-line arguments (ArgumentParser's validation errors).
    static let usage: Int32 = 64
    /// A scenario file is invalid, or a replication's drawn inputs are out of range.
    static let invalidInput: Int32 = 65
    /// An input file does not exist or cannot be read.
    static let noInput: Int32 = 66
    /// A program lspsim needs (sbatch) is missing, or Slurm refused a submission (EX_UNAVAILABLE).
    static let unavailable: Int32 = 69
    /// Internal failure (a GSL error).
    static let software: Int32 = 70
    /// Output could not be written.
    static let cannotCreate: Int32 = 73
    /// Try again later (EX_TEMPFAIL): the results store is busy or locked by another writer, or
    /// jobs of an earlier Slurm submission are still queued or running.
    static let temporaryFailure: Int32 = 75
    /// Stopped by Ctrl-C or SIGTERM after keeping the finished runs (128 + SIGINT).
    static let interrupted: Int32 = 130

    /// The exit code of each category of error.
    static func code(for category: ExitCategory) -> Int32 {
        switch category {
        case .usage: usage
        case .invalidInput: invalidInput
        case .noInput: noInput
        case .unavailable: unavailable
        case .software: software
        case .cannotCreate: cannotCreate
        case .temporaryFailure: temporaryFailure
        case .interrupted: interrupted
        }
    }

    /// The category of `error`, for the errors lspsim knows; nil for ArgumentParser's own errors
    /// (`ExitCode`, `ValidationError`, `CleanExit`, parse errors) and anything unexpected, which
    /// ArgumentParser reports itself (64 for usage errors, 1 for the unexpected).
    static func category(of error: Error) -> ExitCategory? {
        switch error {
        case let error as ExitCodeClassified: error.exitCategory
        case let error as ScenarioFileError: fileCategory(of: error)
        case let error as ScenarioRun.Failure:
            switch error {
            case let .invalidScenario(fileError): fileCategory(of: fileError)
            case .replicationsFailed: .invalidInput
            case .output: .cannotCreate
            case .gsl: .software
            }
        case let error as ReportError:
            switch error {
            case .noSuchFolder, .notAResultsFolder, .incompleteRunFolder: .noInput
            case .unreadable, .store: .invalidInput
            case .cannotWrite: .cannotCreate
            }
        case is Analysis.ComparisonError, is ShardMerge.MergeError: .invalidInput
        default: nil
        }
    }

    /// A scenario or sweep file that does not exist is `noInput`, any other problem in one
    /// `invalidInput`. "Does not exist" is told by the file system, not by the message: a single
    /// whole-file problem (no line, no field path) with a file that is not there.
    static func fileCategory(of error: ScenarioFileError) -> ExitCategory {
        let missing = error.diagnostics.count == 1 && error.diagnostics[0].line == nil && error.diagnostics[0].path.isEmpty
            && !FileManager.default.fileExists(atPath: error.diagnostics[0].file)
        return missing ? .noInput : .invalidInput
    }

    /// Prints `error` and ends the process with its exit code.
    static func exit(for error: Error) -> Never {
        guard let category = category(of: error) else { LSPSim.exit(withError: error) }
        if isCompilerStyle(error) {
            // "file:line:column: error: field: message" lines, as validate prints them.
            FileHandle.standardError.write(Data("\(error)\n".utf8))
        } else {
            printError("\(error)")
        }
        LSPSim.exit(withError: ExitCode(code(for: category)))
    }

    /// Errors whose description is already one "file:line:column: error: ..." line per problem.
    static func isCompilerStyle(_ error: Error) -> Bool {
        if error is ScenarioFileError { return true }
        if case .invalidScenario = error as? ScenarioRun.Failure { return true }
        return false
    }
}
