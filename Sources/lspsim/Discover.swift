import ArgumentParser
import Experiments
import Foundation
import PartnershipModel
import Results
import Sensitivity

extension LSPSim {
    struct Discover: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Scenario discovery: the ranges of the factors under which a condition on the runs mostly holds (PRIM).",
            discussion: """
                Every successful run of the sweep is a case: its inputs are its design point's factor values \
                (numeric factors as ranges, others as categories; 'scenario' only if the sweep has several), and \
                it is 'of interest' when the --where condition holds. PRIM (Friedman and Fisher 1999, as in the \
                EMA Workbench) peels thin slices off the factors' ranges, step by step, always the slice whose \
                removal leaves the highest share of runs meeting the condition (density), down to --min-mass of \
                all runs. Along the way the box loses runs that meet the condition (coverage falls). \
                The chosen step (by default the densest one with coverage >= --min-coverage, or --box N) is \
                pasted (widened again while that raises density), and limits that are not statistically \
                meaningful (quasi-p-value above --significance) are relaxed.

                Prints the trajectory's coverage/density trade-off, the chosen box's limits and a sentence \
                in plain words; writes DIR/discover-trajectory.csv and DIR/discover-box.json (docs/SWEEPS.md, \
                "Scenario discovery").

                Example:
                  lspsim discover outputs/discovery --where "targets_met_share >= 0.6"
                  lspsim discover outputs/discovery --where "mean_trust_final < 0.2" --box 30
                """
        )

        @Argument(help: "The sweep folder (or its results.sqlite).")
        var directory: String

        @Option(name: .customLong("where"), help: ArgumentHelp(
            "The condition a run must meet: MEASURE OPERATOR NUMBER, operator one of >=, >, <=, <, ==.",
            valueName: "condition"))
        var condition: String

        @Option(help: "Share of the box's runs peeled off per step, in (0, 0.5).")
        var alpha: Double = 0.05

        @Option(help: "Share of the box's runs added back per pasting step, in (0, 1).")
        var pasteAlpha: Double = 0.05

        @Option(help: "Smallest share of all runs a peeled box may hold, in (0, 1).")
        var minMass: Double = 0.05

        @Option(help: "The default choice: the densest step covering at least this share of the runs meeting the condition.")
        var minCoverage: Double = 0.5

        @Option(help: "Relax limits whose quasi-p-value exceeds this, in (0, 1]; 1 keeps every limit.")
        var significance: Double = 0.05

        @Option(name: .customLong("box"), help: "Choose this step of the peeling trajectory instead of the default.")
        var step: Int?

        @OptionGroup var format: FormatOption

        func validate() throws {
            _ = try asValidationError { try DiscoveryCondition(parsing: condition) }
            guard alpha > 0, alpha < 0.5 else { throw ValidationError("--alpha must be in (0, 0.5), got \(alpha)") }
            guard pasteAlpha > 0, pasteAlpha < 1 else { throw ValidationError("--paste-alpha must be in (0, 1), got \(pasteAlpha)") }
            guard minMass > 0, minMass < 1 else { throw ValidationError("--min-mass must be in (0, 1), got \(minMass)") }
            guard minCoverage >= 0, minCoverage <= 1 else { throw ValidationError("--min-coverage must be in [0, 1], got \(minCoverage)") }
            guard significance > 0, significance <= 1 else { throw ValidationError("--significance must be in (0, 1], got \(significance)") }
            if let step, step < 0 { throw ValidationError("--box must be a step number >= 0, got \(step)") }
        }

        func run() throws {
            let rule = try DiscoveryCondition(parsing: condition)
            let (store, folder) = try SweepStore.openForReading(directory)
            let options = PRIM.Options(peelAlpha: alpha, pasteAlpha: pasteAlpha, minimumMass: minMass,
                                       minimumCoverage: minCoverage, significance: significance)
            let report = try Discovery.discover(try store.loadData(), sweepName: try store.sweep()?.name ?? "", condition: rule,
                                                options: options, step: step)
            for note in report.cases.notes { FileHandle.standardError.write(Data(("note: " + note + "\n").utf8)) }
            let written = try report.write(into: folder)
            switch format.format {
            case .csv: print(report.trajectoryTable().csv(), terminator: "")
            case .json: print(try report.json())
            case .table:
                print(report.text(), terminator: "")
                print("Wrote \(written.trajectory.path) and \(written.box.path)")
            }
        }
    }
}
