import Foundation
import PartnershipModel
import Results

/// `lspsim compare`'s paired differences between each value of a factor and a baseline value,
/// as a CSV table (written into the sweep folder), JSON, or text for the terminal.
public struct FactorComparison {
    public let factor: String
    public let metric: String
    /// The baseline value.
    public let baseline: String
    public let comparisons: [Analysis.Comparison]

    /// Compares `metric` between each value of `factor` and `baseline` (default: the factor's
    /// first value) in `store`; an unknown factor or measure is a usage error, a baseline that
    /// pairs with nothing `invalidInput`.
    public init(store: ResultStore, factor: String, metric: String, baseline: String?) throws {
        let data = try store.loadData()
        guard let factorIndex = data.factorIndex(factor) else {
            throw ClassifiedError(.usage, "unknown factor '\(factor)'; this sweep's factors: \(data.factors.joined(separator: ", "))")
        }
        let metricIndex = try Analysis.measureIndices([metric])[0]
        let reference = baseline ?? data.levels(of: factorIndex).first ?? ""
        self.factor = factor
        self.metric = metric
        self.baseline = reference
        comparisons = try Analysis.compare(data, factor: factorIndex, baseline: reference, metric: metricIndex)
    }

    /// `compare-<factor>-<metric>.csv`.
    public var fileName: String { "compare-\(factor)-\(metric).csv".replacingOccurrences(of: "/", with: "_") }

    /// Writes the CSV table into `folder`; returns its URL.
    public func write(into folder: URL) throws -> URL {
        let url = folder.appendingPathComponent(fileName)
        try ClassifiedError.classifying(.cannotCreate, "cannot write \(url.path)") { try writeAtomically(table().csv(), to: url) }
        return url
    }

    /// One row per value of the factor, at full precision.
    public func table() -> TextTable {
        let factor = self.factor, metric = self.metric, reference = baseline
        var csv = TextTable(header: ["factor", "option", "baseline", "metric", "pairs", "option_mean", "baseline_mean",
                                     "difference", "ci95_low", "ci95_high", "sd", "effect_size_dz", "share_better", "share_worse"],
                            numeric: Set(4...13))
        for c in comparisons {
            csv.add([factor, c.option, reference, metric, "\(c.pairs)", fullNumber(c.optionMean), fullNumber(c.baselineMean),
                     fullNumber(c.difference.mean), fullNumber(c.difference.lower), fullNumber(c.difference.upper),
                     fullNumber(c.difference.standardDeviation), fullNumber(c.effectSize), fullNumber(c.shareBetter),
                     fullNumber(c.shareWorse)])
        }
        return csv
    }

    /// The comparisons as JSON.
    public func json() throws -> String {
        let factor = self.factor, metric = self.metric, reference = baseline
        let objects: [[String: Any]] = comparisons.map { c in
            ["option": c.option, "baseline": reference, "pairs": c.pairs, "option_mean": c.optionMean,
             "baseline_mean": c.baselineMean, "difference": c.difference.mean, "ci95_low": c.difference.lower as Any,
             "ci95_high": c.difference.upper as Any, "effect_size_dz": c.effectSize as Any, "share_better": c.shareBetter,
             "share_worse": c.shareWorse]
        }
        let json = try JSONSerialization.data(withJSONObject: ["factor": factor, "metric": metric, "comparisons": objects],
                                              options: [.prettyPrinted, .sortedKeys])
        return String(decoding: json, as: UTF8.self)
    }

    /// The comparisons for the terminal.
    public func text() -> String {
        let factor = self.factor, metric = self.metric, reference = baseline
        var text = "\(metric): each value of \(factor) against the baseline \(reference),\n"
        text += "paired by replication and the values of the other factors (common random numbers)\n"
        var table = TextTable(header: ["option", "mean", "baseline", "difference", "95% CI", "d_z", "better", "worse", "pairs"],
                              numeric: [1, 2, 3, 5, 6, 7, 8])
        for c in comparisons {
            let ci = c.difference.lower.map { "[\(shortNumber($0)), \(shortNumber(c.difference.upper))]" } ?? ""
            table.add([c.option, shortNumber(c.optionMean), shortNumber(c.baselineMean), shortNumber(c.difference.mean), ci,
                       shortNumber(c.effectSize), String(format: "%.0f%%", c.shareBetter * 100),
                       String(format: "%.0f%%", c.shareWorse * 100), "\(c.pairs)"])
        }
        return text + table.text()
    }
}
