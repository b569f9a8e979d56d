import CGSL

/// Summary statistics of a sample, computed with GSL.
public struct SampleSummary: Sendable, Equatable {
    /// Number of values.
    public let count: Int
    /// Arithmetic mean.
    public let mean: Double
    /// Sample standard deviation (n - 1 denominator); 0 for fewer than two values.
    public let standardDeviation: Double
    /// Smallest and largest value.
    public let minimum: Double
    public let maximum: Double

    /// Summarises `values` (which must not be empty).
    public init(_ values: [Double]) {
        precondition(!values.isEmpty, "SampleSummary of an empty sample")
        count = values.count
        (mean, standardDeviation, minimum, maximum) = values.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            let n = buffer.count
            let mean = gsl_stats_mean(base, 1, n)
            let sd = n > 1 ? gsl_stats_sd_m(base, 1, n, mean) : 0
            var lo = 0.0, hi = 0.0
            gsl_stats_minmax(&lo, &hi, base, 1, n)
            return (mean, sd, lo, hi)
        }
    }
}

/// Quantiles of a sample.
public enum Quantiles {
    /// The q-quantile (0 <= q <= 1) of `values` by linear interpolation between order statistics
    /// (GSL's `gsl_stats_quantile_from_sorted_data`, Hyndman and Fan's type 7, as R's default).
    public static func quantile(_ values: [Double], _ q: Double) -> Double {
        quantiles(values, [q])[0]
    }

    /// Several quantiles of `values` at once (one sort).
    public static func quantiles(_ values: [Double], _ qs: [Double]) -> [Double] {
        precondition(!values.isEmpty, "quantile of an empty sample")
        var sorted = values
        sorted.withUnsafeMutableBufferPointer { gsl_sort($0.baseAddress!, 1, $0.count) }
        return sorted.withUnsafeBufferPointer { buffer in
            qs.map { gsl_stats_quantile_from_sorted_data(buffer.baseAddress!, 1, buffer.count, $0) }
        }
    }
}

/// Student's t distribution (GSL's `gsl_cdf_tdist_Pinv`).
public enum StudentT {
    /// The p-quantile of Student's t with `dof` degrees of freedom (> 0).
    public static func quantile(_ p: Double, degreesOfFreedom dof: Double) -> Double {
        gsl_cdf_tdist_Pinv(p, dof)
    }
}

/// Mean, standard deviation, 95% confidence interval (Student t) and quantiles of a sample.
public struct Estimate: Sendable, Equatable {
    public let count: Int
    public let mean: Double, standardDeviation: Double
    /// 95% confidence interval of the mean: mean -/+ t(0.975, n - 1) sd / sqrt(n); nil for n < 2.
    public let lower: Double?, upper: Double?
    /// 5%, 50% and 95% quantiles (R's type 7).
    public let q05: Double, q50: Double, q95: Double

    /// Estimates from `values` (not empty).
    public init(_ values: [Double], level: Double = 0.95) {
        let summary = SampleSummary(values)
        count = values.count
        mean = summary.mean
        standardDeviation = summary.standardDeviation
        if count >= 2 {
            let half = StudentT.quantile(1 - (1 - level) / 2, degreesOfFreedom: Double(count - 1))
                * standardDeviation / Double(count).squareRoot()
            lower = mean - half
            upper = mean + half
        } else {
            lower = nil
            upper = nil
        }
        let q = Quantiles.quantiles(values, [0.05, 0.5, 0.95])
        q05 = q[0]
        q50 = q[1]
        q95 = q[2]
    }
}
