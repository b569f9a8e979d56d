import ArgumentParser
import PartnershipModel

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
        subcommands: [Run.self, Validate.self, Sweep.self, Summarize.self, Compare.self, Sensitivity.self, Discover.self, Robust.self, Report.self, Export.self, Merge.self, Slurm.self, Bench.self]
    )
}

/// Exit codes (sysexits.h where one fits).
enum ExitStatus {
    /// Bad command-line arguments (ArgumentParser's validation errors).
    static let usage: Int32 = 64
    /// A scenario file is invalid, or a replication's drawn inputs are out of range.
    static let invalidInput: Int32 = 65
    /// An input file does not exist or cannot be read.
    static let noInput: Int32 = 66
    /// Internal failure (a GSL error).
    static let software: Int32 = 70
    /// Output could not be written.
    static let cannotCreate: Int32 = 73
}
