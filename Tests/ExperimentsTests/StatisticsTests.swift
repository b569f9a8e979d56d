import Testing
@testable import Experiments
import Results
import Stochastic

@Suite("Sweep statistics against hand-computed values")
struct StatisticsTests {
    @Test("mean, sd, Student-t 95% interval and quantiles of a small sample")
    func estimate() {
        // 1, 2, 3, 4: mean 2.5; sd = sqrt(5/3) = 1.2909944487; t(0.975, 3) = 3.1824463053;
        // half-width = 3.1824463053 * 1.2909944487 / 2 = 2.0542603. Quantiles (type 7): 5% = 1.15, 95% = 3.85.
        let e = Estimate([1, 2, 3, 4])
        #expect(e.mean == 2.5)
        #expect(abs(e.standardDeviation - 1.2909944487358056) < 1e-12)
        #expect(abs(e.lower! - (2.5 - 2.0542603)) < 1e-6)
        #expect(abs(e.upper! - (2.5 + 2.0542603)) < 1e-6)
        #expect(abs(e.q05 - 1.15) < 1e-12 && abs(e.q50 - 2.5) < 1e-12 && abs(e.q95 - 3.85) < 1e-12)
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 10) - 2.228138851986) < 1e-9)
        #expect(Estimate([3]).lower == nil)
    }

    @Test("Wilson interval for a proportion")
    func wilson() {
        // 8 of 10: centre = (0.8 + 1.92073/10) / 1.384146 = 0.716741; half = 1.959964/1.384146 * sqrt(0.016 + 0.0096037) = 0.226581.
        let w = Analysis.wilson(successes: 8, trials: 10)
        #expect(w.estimate == 0.8)
        #expect(abs(w.lower - 0.4901624) < 1e-6)
        #expect(abs(w.upper - 0.9433178) < 1e-6)
    }

    /// Two factors (`pool` with values 0 and 0.05; `rule` with a and b), 3 replications each; measures
    /// chosen so that the paired differences are known.
    func data() -> SweepData {
        let values = [["s", "0", "a"], ["s", "0.05", "a"], ["s", "0", "b"], ["s", "0.05", "b"]]
        let share: [[Double]] = [[0.4, 0.5, 0.6], [0.5, 0.7, 0.6], [0.2, 0.3, 0.4], [0.3, 0.3, 0.6]]
        var runs: [StoredRun] = []
        for point in 1...4 {
            for r in 1...3 {
                var measures = [Double](repeating: 0, count: ResultStore.measureColumns.count)
                measures[2] = share[point - 1][r - 1]
                runs.append(StoredRun(point: point, replication: r, measures: measures, error: nil))
            }
        }
        runs.append(StoredRun(point: 4, replication: 4, measures: nil, error: "out of range"))
        return SweepData(factors: ["scenario", "pool", "rule"], pointValues: values,
                         pointNumbers: values.map { _ in [nil, nil, nil] }, runs: runs)
    }

    @Test("paired differences match by replication and the other factors")
    func compare() throws {
        let comparisons = try Analysis.compare(data(), factor: 1, baseline: "0", metric: 2)
        #expect(comparisons.count == 1)
        let c = comparisons[0]
        // Differences: rule a: 0.1, 0.2, 0.0; rule b: 0.1, 0.0, 0.2 -> mean 0.1, sd = sqrt(0.04 / 5 * ...).
        let d: [Double] = [0.1, 0.2, 0.0, 0.1, 0.0, 0.2].map { $0 }
        let mean = d.reduce(0, +) / 6
        let sd = (d.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 5).squareRoot()
        #expect(c.pairs == 6)
        #expect(abs(c.difference.mean - 0.1) < 1e-12)
        #expect(abs(c.difference.standardDeviation - sd) < 1e-12)
        #expect(abs(c.effectSize! - 0.1 / sd) < 1e-9)
        #expect(abs(c.shareBetter - 4.0 / 6) < 1e-12)
        #expect(abs(c.optionMean - 0.5) < 1e-12 && abs(c.baselineMean - 0.4) < 1e-12)
        #expect(throws: Analysis.ComparisonError.self) { try Analysis.compare(data(), factor: 1, baseline: "0.5", metric: 2) }
    }

    @Test("summaries group by factor values and count failures")
    func summarize() {
        let groups = Analysis.summarize(data(), by: [2], measures: [2], targetShare: 0.5)
        #expect(groups.map(\.key) == [["a"], ["b"]])
        #expect(groups[0].runs == 6 && groups[0].failed == 0)
        #expect(groups[1].runs == 7 && groups[1].failed == 1)
        #expect(abs(groups[0].estimates[0]!.mean - 0.55) < 1e-12)
        // Rule a: shares 0.4 0.5 0.6 0.5 0.7 0.6 -> 5 of 6 at least 0.5.
        #expect(abs(groups[0].meetProbability!.estimate - 5.0 / 6) < 1e-12)
        let byPoint = Analysis.summarize(data(), by: [], measures: [2], targetShare: 0.5)
        #expect(byPoint.count == 4)
    }
}
