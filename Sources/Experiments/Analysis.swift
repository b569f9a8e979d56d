import PartnershipModel
import Results
import Stochastic

/// Statistics of a sweep's results: per group of design points, and paired comparisons.
public enum Analysis {
    /// The measures that can be summarised or compared, as named in the store and CSV files.
    public static let measures = ResultStore.measureColumns

    /// One group's estimates.
    public struct GroupSummary: Sendable {
        /// The group's value of each grouping factor.
        public let key: [String]
        public let runs: Int, failed: Int
        /// An estimate per measure (same order as `measures` asked), over the runs that hold it; nil
        /// where no run succeeded or the store holds the measure for none of them (missing).
        public let estimates: [Estimate?]
        /// The share of runs meeting at least the given share of targets, with a 95% Wilson interval.
        public let meetProbability: (estimate: Double, lower: Double, upper: Double)?
    }

    /// Summaries grouped by the values of `by` (factor indices; empty: each design point).
    public static func summarize(_ data: SweepData, by: [Int], measures wanted: [Int],
                                 targetShare: Double = TargetShareThreshold.default) -> [GroupSummary] {
        let keyOf: (Int) -> [String] = { point in
            by.isEmpty ? ["\(point)"] : by.map { data.pointValues[point - 1][$0] }
        }
        var order: [[String]] = []
        var groups: [[String]: (values: [[Double]], runs: Int, failed: Int, met: Int)] = [:]
        for run in data.runs {
            let key = keyOf(run.point)
            if groups[key] == nil {
                order.append(key)
                groups[key] = (Array(repeating: [], count: wanted.count), 0, 0, 0)
            }
            groups[key]!.runs += 1
            guard let measures = run.measures else { groups[key]!.failed += 1; continue }
            // A measure missing from the store for this run (NaN) is left out, never read as a value.
            for (slot, measure) in wanted.enumerated() where !StoredRun.isMissing(measures[measure]) {
                groups[key]!.values[slot].append(measures[measure])
            }
            if TargetShareThreshold.isMet(measures[shareIndex], threshold: targetShare) { groups[key]!.met += 1 }
        }
        return order.map { key in
            let group = groups[key]!
            let succeeded = group.runs - group.failed
            return GroupSummary(
                key: key, runs: group.runs, failed: group.failed,
                estimates: group.values.map { $0.isEmpty ? nil : Estimate($0) },
                meetProbability: succeeded > 0 ? wilson(successes: group.met, trials: succeeded) : nil)
        }
    }

    static let shareIndex = measures.firstIndex(of: RunMeasure.targetsMetShare.name)!

    /// Wilson's 95% score interval for a proportion.
    public static func wilson(successes: Int, trials: Int) -> (estimate: Double, lower: Double, upper: Double) {
        let n = Double(trials), p = Double(successes) / n
        let z = 1.959963984540054
        let centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        let half = z / (1 + z * z / n) * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()
        return (p, max(0, centre - half), min(1, centre + half))
    }

    /// A paired comparison of one option against the baseline.
    public struct Comparison: Sendable {
        public let option: String
        /// Mean of the metric under this option and under the baseline, over the matched pairs.
        public let optionMean: Double, baselineMean: Double
        /// Paired differences option - baseline: estimate with 95% CI.
        public let difference: Estimate
        /// Standardised effect size d_z = mean difference / sd of differences (nil if sd = 0).
        public let effectSize: Double?
        /// Share of pairs where the option did better (difference > 0), and worse (difference < 0).
        public let shareBetter: Double, shareWorse: Double
        public let pairs: Int
    }

    public struct ComparisonError: Error, CustomStringConvertible, Sendable {
        public let message: String
        public var description: String { message }
    }

    /// Paired differences of `metric` between each value of `factor` and `baseline`, matching runs
    /// with the same replication (common random numbers) and the same values of every other factor.
    public static func compare(_ data: SweepData, factor: Int, baseline: String, metric: Int) throws(ComparisonError) -> [Comparison] {
        let levels = data.levels(of: factor)
        guard levels.contains(baseline) else {
            throw ComparisonError(message: "'\(baseline)' is not a value of \(data.factors[factor]); its values are: \(levels.joined(separator: ", "))")
        }
        // Context: the other factors' values and the replication. Runs are taken in stored order,
        // so that sums (and so the printed figures) do not depend on hashing.
        struct Key: Hashable { let context: [String]; let replication: Int }
        func key(_ run: StoredRun) -> (level: String, key: Key) {
            var context = data.pointValues[run.point - 1]
            let level = context.remove(at: factor)
            return (level, Key(context: context, replication: run.replication))
        }
        var base: [Key: Double] = [:]
        for run in data.runs {
            guard let measures = run.measures, !StoredRun.isMissing(measures[metric]) else { continue }
            let (level, k) = key(run)
            if level == baseline { base[k] = measures[metric] }
        }
        let recorded = data.runs.contains { $0.measures.map { !StoredRun.isMissing($0[metric]) } ?? false }
        if !recorded && data.runs.contains(where: { $0.measures != nil }) {
            throw ComparisonError(message: "\(measures[metric]) is missing from every run of this store (it was written by an lspsim that did not record it); compare another measure, or run the sweep again into a new store")
        }
        var results: [Comparison] = []
        for level in levels where level != baseline {
            var differences: [Double] = [], optionValues: [Double] = [], baselineValues: [Double] = []
            for run in data.runs {
                guard let measures = run.measures, !StoredRun.isMissing(measures[metric]) else { continue }
                let (runLevel, k) = key(run)
                guard runLevel == level, let reference = base[k] else { continue }
                differences.append(measures[metric] - reference)
                optionValues.append(measures[metric])
                baselineValues.append(reference)
            }
            guard differences.count >= 2 else {
                throw ComparisonError(message: "\(data.factors[factor]) = \(level) has \(differences.count) run(s) matched with the baseline \(baseline) on replication and the other factors' values; a paired comparison needs a design where every value meets the same values of the other factors (a grid) and at least 2 pairs")
            }
            let estimate = Estimate(differences)
            results.append(Comparison(
                option: level, optionMean: SampleSummary(optionValues).mean, baselineMean: SampleSummary(baselineValues).mean,
                difference: estimate,
                effectSize: estimate.standardDeviation > 0 ? estimate.mean / estimate.standardDeviation : nil,
                shareBetter: Double(differences.filter { $0 > 0 }.count) / Double(differences.count),
                shareWorse: Double(differences.filter { $0 < 0 }.count) / Double(differences.count),
                pairs: differences.count))
        }
        return results
    }
}
