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

        static let defaultMetrics = [RunMeasure.targetsMetShare, .meanProgress, .rewardGrant, .alignedShareMean,
                                     .meanTrustFinal, .pooledTotal, .overheadTotal, .fragmentation].map(\.name)

        func run() throws {
            let (store, folder) = try SweepStore.openForReading(directory)
            let data = try store.loadData()
            let metrics = metric.isEmpty ? Self.defaultMetrics : metric
            let wanted = try Analysis.measureIndices(metrics)
            let groups = try by.map { name in
                guard let index = data.factorIndex(name) else {
                    throw ValidationError("unknown factor '\(name)'; this sweep's factors: \(data.factors.joined(separator: ", "))")
                }
                return index
            }
            let summaries = Analysis.summarize(data, by: groups, measures: wanted, targetShare: targetShare)
            let groupColumns = by.isEmpty ? ["point"] : by

            var table = TextTable(header: groupColumns + ["measure", "n", "mean", "sd", "ci95_low", "ci95_high", "q05", "q50", "q95"],
                                  numeric: Set(groupColumns.count..<(groupColumns.count + 9)).subtracting([groupColumns.count]))
            let meetName = "p_targets_met_share_ge_\(targetShare)"
            for summary in summaries {
                for (slot, name) in metrics.enumerated() {
                    guard let e = summary.estimates[slot] else { continue }
                    table.add(summary.key + [name, "\(e.count)", fullNumber(e.mean), fullNumber(e.standardDeviation),
                                             fullNumber(e.lower), fullNumber(e.upper), fullNumber(e.q05), fullNumber(e.q50), fullNumber(e.q95)])
                }
                if let p = summary.meetProbability {
                    table.add(summary.key + [meetName, "\(summary.runs - summary.failed)", fullNumber(p.estimate), "",
                                             fullNumber(p.lower), fullNumber(p.upper), "", "", ""])
                }
            }
            let name = by.isEmpty ? "summary-by-point.csv" : "summary-by-" + by.joined(separator: "+").replacingOccurrences(of: "/", with: "_") + ".csv"
            let csvURL = folder.appendingPathComponent(name)
            try writeAtomically(table.csv(), to: csvURL)

            switch format.format {
            case .csv: print(table.csv(), terminator: "")
            case .json: print(try json(summaries, metrics: metrics, groupColumns: groupColumns, meetName: meetName))
            case .table:
                let labels = try store.pointLabels()
                for summary in summaries {
                    var title = by.isEmpty ? "design point \(summary.key[0]): \(labels[Int(summary.key[0])!] ?? "")"
                        : zip(by, summary.key).map { "\($0) = \($1)" }.joined(separator: ", ")
                    title += "  (\(summary.runs) runs\(summary.failed > 0 ? ", \(summary.failed) failed" : ""))"
                    print(title)
                    var block = TextTable(header: ["measure", "mean", "sd", "95% CI of mean", "5%", "50%", "95%"], numeric: [1, 2, 4, 5, 6])
                    for (slot, name) in metrics.enumerated() {
                        guard let e = summary.estimates[slot] else { continue }
                        let ci = e.lower.map { "[\(shortNumber($0)), \(shortNumber(e.upper))]" } ?? ""
                        block.add(["  " + name, shortNumber(e.mean), shortNumber(e.standardDeviation), ci,
                                   shortNumber(e.q05), shortNumber(e.q50), shortNumber(e.q95)])
                    }
                    print(block.text(), terminator: "")
                    if let p = summary.meetProbability {
                        print("  P(share of targets met >= \(shortNumber(targetShare))) = \(shortNumber(p.estimate)) [\(shortNumber(p.lower)), \(shortNumber(p.upper))]")
                    }
                    print("")
                }
                print("Wrote \(csvURL.path)")
            }
        }

        func json(_ summaries: [Analysis.GroupSummary], metrics: [String], groupColumns: [String], meetName: String) throws -> String {
            let objects: [[String: Any]] = summaries.map { summary in
                var object: [String: Any] = ["group": Dictionary(uniqueKeysWithValues: zip(groupColumns, summary.key)),
                                             "runs": summary.runs, "failed": summary.failed]
                var measures: [String: Any] = [:]
                for (slot, name) in metrics.enumerated() {
                    guard let e = summary.estimates[slot] else { continue }
                    measures[name] = ["n": e.count, "mean": e.mean, "sd": e.standardDeviation, "ci95_low": e.lower as Any,
                                      "ci95_high": e.upper as Any, "q05": e.q05, "q50": e.q50, "q95": e.q95]
                }
                object["measures"] = measures
                if let p = summary.meetProbability { object[meetName] = ["estimate": p.estimate, "low": p.lower, "high": p.upper] }
                return object
            }
            let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }
    }
}
