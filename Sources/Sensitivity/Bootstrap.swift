import Stochastic

/// Percentile bootstrap intervals (Efron and Tibshirani 1993, ch. 13) over resampled rows.
///
/// Each resample draws `count` row indices uniformly with replacement from 0..<count with a GSL
/// generator (`Generator.uniform`, so the same generator state gives the same intervals), and
/// evaluates a vector-valued statistic on them. The interval of component c runs from the
/// (1 - confidence) / 2 to the (1 + confidence) / 2 quantile of that component over the resamples
/// (GSL's quantile of sorted data, R's type 7).
public enum Bootstrap {
    /// The default number of resamples: 1000, enough for stable 95% percentile ends.
    public static let defaultResamples = 1000
    /// The fewest resamples accepted.
    public static let minimumResamples = 100

    /// Percentile intervals of each component of `statistic`.
    ///
    /// - Parameters:
    ///   - count: the number of rows (>= 1).
    ///   - resamples: how many resamples to draw (>= 100).
    ///   - confidence: the interval's coverage, in (0, 1); 0.95 for 95% intervals.
    ///   - generator: the GSL generator to draw the resamples from (advanced by count x resamples draws).
    ///   - statistic: the statistic of a resample, given its row indices (with repetitions); it
    ///     returns nil where it is undefined on that resample (e.g. a zero variance), and such a
    ///     resample is left out.
    /// - Returns: one (lower, upper) pair per component, and the number of resamples used; nil
    ///   intervals if fewer than half the resamples gave a defined statistic.
    public static func percentileIntervals(
        count: Int, resamples: Int, confidence: Double, generator: Generator,
        statistic: ([Int]) -> [Double]?
    ) throws(SensitivityError) -> (intervals: [(lower: Double, upper: Double)]?, used: Int) {
        guard resamples >= minimumResamples, confidence > 0, confidence < 1 else {
            throw .bootstrap(resamples: resamples, confidence: confidence)
        }
        precondition(count >= 1, "a bootstrap needs at least one row")
        var draws: [[Double]] = []
        draws.reserveCapacity(resamples)
        var rows = [Int](repeating: 0, count: count)
        for _ in 0..<resamples {
            for k in 0..<count { rows[k] = Swift.min(count - 1, Int(generator.uniform() * Double(count))) }
            if let value = statistic(rows) { draws.append(value) }
        }
        guard draws.count * 2 >= resamples, let components = draws.first?.count else { return (nil, draws.count) }
        let tail = (1 - confidence) / 2
        let intervals = (0..<components).map { c -> (lower: Double, upper: Double) in
            let q = Quantiles.quantiles(draws.map { $0[c] }, [tail, 1 - tail])
            return (q[0], q[1])
        }
        return (intervals, draws.count)
    }
}
