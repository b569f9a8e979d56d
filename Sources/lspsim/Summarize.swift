import ArgumentParser
import Experiments
import Foundation
import PartnershipModel
import Results

extension LSPSim {
    struct Summarize: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Statistics of a sweep's results per design point or per group of factor values.",
            discussion: """
                For each group: every measure's mean, standard deviation, 95% confidence interval of the mean \
                (Student t, from GSL) and 5/50/95% quantiles, and the probability of meeting at least a given \
                share of targets (with a 95% Wilson interval). Also writes the table as CSV into the sweep folder.

                Examples:
                  lspsim summarize outputs/governance-options
                  lspsim summarize outputs/governance-options --by governance.levels
                  lspsim summarize outputs/tier-comparison --by scenario --metric fragmentation
                """
        )

        @Argument(help: "The sweep folder (or its results.sqlite).")
        var directory: String

        @Option(name: .long, parsing: .singleValue, help: "Group by this factor (repeatable; default: each design point).")
        var by: [String] = []

        @Option(name: .long, parsing: .singleValue, help: "Measure to report (repeatable; default: the main measures).")
        var metric: [String] = []

        @Option(help: "The share of targets for 'probability of meeting at least this share' (default: the reward-grant rule's threshold).")
        var targetShare: Double = TargetShareThreshold.default

        @OptionGroup var format: FormatOption

        func validate() throws {
            guard targetShare >= 0, targetShare <= 1 else { throw ValidationError("--target-share must be in [0, 1], got \(targetShare)") }
        }

        func run() throws {
            let (store, folder) = try SweepStore.openForReading(directory)
            try present(try SweepSummary(store: store, by: by, metrics: metric, targetShare: targetShare), in: folder, format: format.format)
        }
    }
}
