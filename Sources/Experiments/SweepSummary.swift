import Foundation
import PartnershipModel
import Results

/// `lspsim summarize`'s statistics of a sweep store: per design point or per group of factor
/// values, each measure's estimates and the probability of meeting at least a share of targets;
/// as a CSV table (written into the sweep folder), JSON, or text for the terminal.
public struct SweepSummary {
    /// The measures summarised when none are named.
    public static let defaultMetrics = [RunMeasure.targetsMetShare, .meanProgress, .rewardGrant, .alignedShareMean,
                                        .meanTrustFinal, .pooledTotal, .overheadTotal, .fragmentation, .moneyMovedShare].map(\.name)

    public let metrics: [String]
    /// The grouping factors (empty: each design point).
    public let by: [String]
    public let targetShare: Double
    public let summaries: [Analysis.GroupSummary]
    /// Design point labels by id.
    public let pointLabels: [Int: String]

    /// Summarises `metrics` (default: `defaultMetrics`) of the runs in `store`, grouped by the
    /// factors `by`; an unknown measure or factor is a usage error that lists the valid ones.
    public init(store: ResultStore, by: [String], metrics: [String], targetShare: Double = TargetShareThreshold.default) throws {
        let data = try store.loadData()
        let metrics = metrics.isEmpty ? Self.defaultMetrics : metrics
        let wanted = try Analysis.measureIndices(metrics)
        let groups = try by.map { name in
            guard let index = data.factorIndex(name) else {
                throw ClassifiedError(.usage, "unknown factor '\(name)'; this sweep's factors: \(data.factors.joined(separator: ", "))")
            }
            return index
        }
        self.metrics = metrics
        self.by = by
        self.targetShare = targetShare
        summaries = Analysis.summarize(data, by: groups, measures: wanted, targetShare: targetShare)
        pointLabels = try store.pointLabels()
    }

    var groupColumns: [String] { by.isEmpty ? ["point"] : by }
    var meetName: String { "p_targets_met_share_ge_\(targetShare)" }

    /// `summary-by-point.csv`, or `summary-by-<factors>.csv`.
    public var fileName: String {
        by.isEmpty ? "summary-by-point.csv" : "summary-by-" + by.joined(separator: "+").replacingOccurrences(of: "/", with: "_") + ".csv"
    }

    /// Writes the CSV table into `folder`; returns its URL.
    public func write(into folder: URL) throws -> URL {
        let url = folder.appendingPathComponent(fileName)
        try ClassifiedError.classifying(.cannotCreate, "cannot write \(url.path)") { try writeAtomically(table().csv(), to: url) }
        return url
    }

    /// One row per group and measure, and one per group for the probability of meeting the share.
    public func table() -> TextTable {
        var table = TextTable(header: groupColumns + ["measure", "n", "mean", "sd", "ci95_low", "ci95_high", "q05", "q50", "q95"],
                              numeric: Set(groupColumns.count..<(groupColumns.count + 9)).subtracting([groupColumns.count]))
        for summary in summaries {
            for (slot, name) in metrics.enumerated() {
                guard let e = summary.estimates[slot] else {
                    // Runs succeeded but the store holds no value of this measure (a store written
                    // before the measure existed): missing, with n 0, never a made-up value.
                    if summary.runs > summary.failed { table.add(summary.key + [name, "0", "", "", "", "", "", "", ""]) }
                    continue
                }
                table.add(summary.key + [name, "\(e.count)", fullNumber(e.mean), fullNumber(e.standardDeviation),
                                         fullNumber(e.lower), fullNumber(e.upper), fullNumber(e.q05), fullNumber(e.q50), fullNumber(e.q95)])
            }
            if let p = summary.meetProbability {
                table.add(summary.key + [meetName, "\(summary.runs - summary.failed)", fullNumber(p.estimate), "",
                                         fullNumber(p.lower), fullNumber(p.upper), "", "", ""])
            }
        }
        return table
    }

    /// The summaries for the terminal: a block per group.
    public func text() -> String {
        var text = ""
        for summary in summaries {
            var title = by.isEmpty ? "design point \(summary.key[0]): \(pointLabels[Int(summary.key[0])!] ?? "")"
                : zip(by, summary.key).map { "\($0) = \($1)" }.joined(separator: ", ")
            title += "  (\(summary.runs) runs\(summary.failed > 0 ? ", \(summary.failed) failed" : ""))"
            text += title + "\n"
            var block = TextTable(header: ["measure", "mean", "sd", "95% CI of mean", "5%", "50%", "95%"], numeric: [1, 2, 4, 5, 6])
            for (slot, name) in metrics.enumerated() {
                guard let e = summary.estimates[slot] else {
                    if summary.runs > summary.failed { block.add(["  " + name, "missing", "", "", "", "", ""]) }
                    continue
                }
                let ci = e.lower.map { "[\(shortNumber($0)), \(shortNumber(e.upper))]" } ?? ""
                block.add(["  " + name, shortNumber(e.mean), shortNumber(e.standardDeviation), ci,
                           shortNumber(e.q05), shortNumber(e.q50), shortNumber(e.q95)])
            }
            text += block.text()
            if let p = summary.meetProbability {
                text += "  P(share of targets met >= \(shortNumber(targetShare))) = \(shortNumber(p.estimate)) [\(shortNumber(p.lower)), \(shortNumber(p.upper))]\n"
            }
            text += "\n"
        }
        return text
    }

    /// The summaries as JSON: per group, its key, runs, failed runs, each measure's estimates and
    /// the probability of meeting the share.
    public func json() throws -> String {
        let objects: [[String: Any]] = summaries.map { summary in
            var object: [String: Any] = ["group": Dictionary(uniqueKeysWithValues: zip(groupColumns, summary.key)),
                                         "runs": summary.runs, "failed": summary.failed]
            var measures: [String: Any] = [:]
            for (slot, name) in metrics.enumerated() {
                guard let e = summary.estimates[slot] else {
                    if summary.runs > summary.failed { measures[name] = NSNull() }
                    continue
                }
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
