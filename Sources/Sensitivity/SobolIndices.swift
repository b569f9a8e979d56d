import Stochastic

/// First- and total-order Sobol indices estimated on a `SaltelliDesign`, with bootstrap intervals.
///
/// With f_A(j), f_B(j) and f_ABi(j) the outputs at row j of A, B and AB_i (j over the N usable
/// base samples), and V the variance of the 2N outputs at A and B together (divided by 2N):
///
/// - first order, Saltelli et al. (2010), their Table 2 (b): S_i = mean_j[f_B (f_ABi - f_A)] / V,
///   the share of the output's variance due to input i alone;
/// - total order, Jansen (1999): ST_i = mean_j[(f_A - f_ABi)^2] / (2 V), the share due to input i
///   with all its interactions.
///
/// Before estimating, the outputs are centred on their mean over every usable point (as SALib
/// does); in expectation this changes nothing, and it removes the rounding error and the extra
/// variance a large mean would bring into the first-order estimator. Estimates are not clipped: a
/// first-order index slightly below 0, or total-order indices summing to less than the first-order
/// ones, is sampling error, and the intervals show how much.
///
/// **Intervals**: the N base samples (each with its D + 2 outputs) are resampled with replacement
/// (`Bootstrap`, 1000 resamples by default), every index is re-estimated on each resample (V
/// included), and the 95% interval is the 2.5% and 97.5% percentiles. Quasi-random rows are not
/// independent, so the intervals are, if anything, conservative.
///
/// **Missing outputs** (nil, e.g. a failed simulation) exclude their whole base sample.
/// **Constant output**: if every usable output has the same value the variance is 0 and the
/// indices are undefined; `estimate` throws `SensitivityError.constantOutput` rather than return
/// 0/0. (A resample whose V happens to be 0 is left out of the bootstrap.)
public struct SobolIndices: Sendable {
    /// The number of uncertain inputs D.
    public let dimensions: Int
    /// First-order indices S_i, in input order, with their intervals.
    public let firstOrder: [IntervalEstimate]
    /// Total-order indices ST_i, in input order, with their intervals.
    public let totalOrder: [IntervalEstimate]
    /// The mean and variance of the outputs at A and B (the variance divides by 2N).
    public let mean: Double, variance: Double
    /// Base samples used, and those excluded for a missing output.
    public let samplesUsed: Int, samplesExcluded: Int
    /// The bootstrap: resamples drawn, resamples used (defined V), and the confidence level.
    public let resamples: Int, resamplesUsed: Int, confidence: Double

    /// Estimates the indices from outputs in `SaltelliDesign`'s evaluation order.
    ///
    /// - Parameters:
    ///   - outputs: N (D + 2) outputs in the design's order; nil where missing.
    ///   - dimensions: D, the number of inputs (1...20).
    ///   - resamples: bootstrap resamples (>= 100; default 1000).
    ///   - confidence: coverage of the intervals (default 0.95).
    ///   - generator: the GSL generator the bootstrap draws from.
    /// - Throws: `SensitivityError` if the outputs do not fit the design, an output is not finite,
    ///   fewer than 2 base samples have all their outputs, or the output is constant.
    public static func estimate(outputs: [Double?], dimensions: Int, resamples: Int = Bootstrap.defaultResamples,
                                confidence: Double = 0.95, generator: Generator) throws(SensitivityError) -> SobolIndices {
        guard (1...SaltelliDesign.maximumDimensions).contains(dimensions) else {
            throw .dimensions(got: dimensions, allowed: 1...SaltelliDesign.maximumDimensions, method: "Saltelli's design")
        }
        let width = dimensions + 2
        guard !outputs.isEmpty, outputs.count % width == 0 else {
            throw .outputCount(expected: (outputs.count / width + 1) * width, got: outputs.count,
                               design: "a Saltelli design with \(dimensions) inputs (N (D + 2) points for N base samples)")
        }
        for (position, value) in outputs.enumerated() {
            if let value, !value.isFinite { throw .nonFiniteOutput(position: position, value: value) }
        }
        let baseSamples = outputs.count / width
        // The usable base samples: all D + 2 outputs present.
        var usable: [[Double]] = []
        for j in 0..<baseSamples {
            let block = outputs[(j * width)..<((j + 1) * width)]
            if block.allSatisfy({ $0 != nil }) { usable.append(block.map { $0! }) }
        }
        let n = usable.count
        guard n >= SaltelliDesign.minimumBaseSamples else {
            throw .tooFewUsable(used: n, of: baseSamples, needed: SaltelliDesign.minimumBaseSamples, what: "base samples")
        }
        let all = usable.flatMap { $0 }
        guard let lowest = all.min(), let highest = all.max(), lowest < highest else {
            throw .constantOutput(value: all[0])
        }
        let centre = all.reduce(0, +) / Double(all.count)
        let fA = usable.map { $0[0] - centre }, fB = usable.map { $0[dimensions + 1] - centre }
        let fAB = (0..<dimensions).map { i in usable.map { $0[1 + i] - centre } }

        // The statistic on a multiset of rows: [S_1 ... S_D, ST_1 ... ST_D], nil where V = 0.
        func indices(_ rows: [Int]) -> [Double]? {
            let count = Double(rows.count)
            var sum = 0.0
            for j in rows { sum += fA[j] + fB[j] }
            let m = sum / (2 * count)
            var v = 0.0
            for j in rows { v += (fA[j] - m) * (fA[j] - m) + (fB[j] - m) * (fB[j] - m) }
            v /= 2 * count
            guard v > 0 else { return nil }
            var result = [Double](repeating: 0, count: 2 * dimensions)
            for i in 0..<dimensions {
                let ab = fAB[i]
                var first = 0.0, total = 0.0
                for j in rows {
                    let difference = ab[j] - fA[j]
                    first += fB[j] * difference
                    total += difference * difference
                }
                result[i] = first / count / v
                result[dimensions + i] = total / count / 2 / v
            }
            return result
        }

        let rows = Array(0..<n)
        guard let point = indices(rows) else { throw .constantOutput(value: usable[0][0]) }
        let (intervals, used) = try Bootstrap.percentileIntervals(count: n, resamples: resamples, confidence: confidence,
                                                                   generator: generator, statistic: indices)
        func estimate(_ c: Int) -> IntervalEstimate {
            IntervalEstimate(estimate: point[c], lower: intervals?[c].lower ?? .nan, upper: intervals?[c].upper ?? .nan)
        }
        var mean = 0.0
        for j in rows { mean += usable[j][0] + usable[j][dimensions + 1] }
        mean /= 2 * Double(n)
        var variance = 0.0
        for j in rows {
            variance += (usable[j][0] - mean) * (usable[j][0] - mean) + (usable[j][dimensions + 1] - mean) * (usable[j][dimensions + 1] - mean)
        }
        variance /= 2 * Double(n)
        return SobolIndices(dimensions: dimensions, firstOrder: (0..<dimensions).map(estimate),
                            totalOrder: (0..<dimensions).map { estimate(dimensions + $0) }, mean: mean, variance: variance,
                            samplesUsed: n, samplesExcluded: baseSamples - n, resamples: resamples, resamplesUsed: used,
                            confidence: confidence)
    }
}
