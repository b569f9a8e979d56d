import ArgumentParser
import Experiments
import Foundation
import PartnershipModel
import Results

extension LSPSim {
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Paired differences between a factor's values and a baseline, with 95% intervals.",
            discussion: """
                Pairs each run with the baseline's run of the same replication and the same values of every \
                other factor: thanks to common random numbers both saw the same random draws, so the difference \
                isolates the option's effect. Prints the mean paired difference with its 95% confidence interval \
                (Student t), the standardised effect size d_z (mean difference / sd of differences) and the share \
                of pairs where the option did better; also writes the table as CSV into the sweep folder.

                Example:
                  lspsim compare outputs/governance-options --factor governance.levels
                  lspsim compare outputs/tier-comparison --factor scenario --metric fragmentation
                """
        )

        @Argument(help: "The sweep folder (or its results.sqlite).")
        var directory: String

        @Option(help: "The factor whose values are compared.")
        var factor: String

        @Option(help: "The baseline value (default: the factor's first value).")
        var baseline: String?

        @Option(help: "The measure compared.")
        var metric: String = RunMeasure.targetsMetShare.name

        @OptionGroup var format: FormatOption

        func run() throws {
            let (store, folder) = try SweepStore.openForReading(directory)
            try present(try FactorComparison(store: store, factor: factor, metric: metric, baseline: baseline), in: folder, format: format.format)
        }
    }
}
