import ArgumentParser
import Experiments
import Foundation
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
        var metric: String = "targets_met_share"

        @OptionGroup var format: FormatOption

        func run() throws {
            let (store, folder) = try SweepStore.openForReading(directory)
            let data = try store.loadData()
            guard let factorIndex = data.factorIndex(factor) else {
                throw ValidationError("unknown factor '\(factor)'; this sweep's factors: \(data.factors.joined(separator: ", "))")
            }
            let metricIndex = try Analysis.measureIndices([metric])[0]
            let levels = data.levels(of: factorIndex)
            let reference = baseline ?? levels.first ?? ""
            let comparisons = try Analysis.compare(data, factor: factorIndex, baseline: reference, metric: metricIndex)
            var csv = TextTable(header: ["factor", "option", "baseline", "metric", "pairs", "option_mean", "baseline_mean",
                                         "difference", "ci95_low", "ci95_high", "sd", "effect_size_dz", "share_better", "share_worse"],
                                numeric: Set(4...13))
            for c in comparisons {
                csv.add([factor, c.option, reference, metric, "\(c.pairs)", fullNumber(c.optionMean), fullNumber(c.baselineMean),
                         fullNumber(c.difference.mean), fullNumber(c.difference.lower), fullNumber(c.difference.upper),
                         fullNumber(c.difference.standardDeviation), fullNumber(c.effectSize), fullNumber(c.shareBetter),
                         fullNumber(c.shareWorse)])
            }
            let csvURL = folder.appendingPathComponent("compare-\(factor)-\(metric).csv".replacingOccurrences(of: "/", with: "_"))
            try writeAtomically(csv.csv(), to: csvURL)
            switch format.format {
            case .csv: print(csv.csv(), terminator: "")
            case .json:
                let objects: [[String: Any]] = comparisons.map { c in
                    ["option": c.option, "baseline": reference, "pairs": c.pairs, "option_mean": c.optionMean,
                     "baseline_mean": c.baselineMean, "difference": c.difference.mean, "ci95_low": c.difference.lower as Any,
                     "ci95_high": c.difference.upper as Any, "effect_size_dz": c.effectSize as Any, "share_better": c.shareBetter,
                     "share_worse": c.shareWorse]
                }
                let json = try JSONSerialization.data(withJSONObject: ["factor": factor, "metric": metric, "comparisons": objects],
                                                      options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: json, as: UTF8.self))
            case .table:
                print("\(metric): each value of \(factor) against the baseline \(reference),")
                print("paired by replication and the values of the other factors (common random numbers)")
                var table = TextTable(header: ["option", "mean", "baseline", "difference", "95% CI", "d_z", "better", "worse", "pairs"],
                                      numeric: [1, 2, 3, 5, 6, 7, 8])
                for c in comparisons {
                    let ci = c.difference.lower.map { "[\(shortNumber($0)), \(shortNumber(c.difference.upper))]" } ?? ""
                    table.add([c.option, shortNumber(c.optionMean), shortNumber(c.baselineMean), shortNumber(c.difference.mean), ci,
                               shortNumber(c.effectSize), String(format: "%.0f%%", c.shareBetter * 100),
                               String(format: "%.0f%%", c.shareWorse * 100), "\(c.pairs)"])
                }
                print(table.text(), terminator: "")
                print("Wrote \(csvURL.path)")
            }
        }
    }
}
