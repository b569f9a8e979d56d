import Foundation

/// Summaries of a weighted sample (a posterior population): mean, sd, quantiles, correlations.
public enum WeightedSummary {
    /// sum w_i x_i for normalised weights.
    public static func mean(_ values: [Double], _ weights: [Double]) -> Double {
        zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 } / weights.reduce(0, +)
    }

    /// The weighted standard deviation sqrt(sum w_i (x_i - mean)^2) (weights normalised).
    public static func standardDeviation(_ values: [Double], _ weights: [Double]) -> Double {
        covariance(values, values, weights).squareRoot()
    }

    /// sum w_i (x_i - mean_x)(y_i - mean_y) (weights normalised).
    public static func covariance(_ x: [Double], _ y: [Double], _ weights: [Double]) -> Double {
        let total = weights.reduce(0, +)
        let mx = mean(x, weights), my = mean(y, weights)
        var sum = 0.0
        for i in weights.indices { sum += weights[i] * (x[i] - mx) * (y[i] - my) }
        return sum / total
    }

    /// The weighted Pearson correlation; 0 where either spread is 0.
    public static func correlation(_ x: [Double], _ y: [Double], _ weights: [Double]) -> Double {
        let sx = standardDeviation(x, weights), sy = standardDeviation(y, weights)
        guard sx > 0, sy > 0 else { return 0 }
        return covariance(x, y, weights) / (sx * sy)
    }

    /// The weighted q-quantile: the smallest value whose cumulative normalised weight (values in
    /// increasing order) reaches q, the inverse of the weighted empirical distribution function.
    public static func quantile(_ values: [Double], _ weights: [Double], _ q: Double) -> Double {
        precondition(!values.isEmpty && values.count == weights.count)
        let order = values.indices.sorted { values[$0] < values[$1] }
        let total = weights.reduce(0, +)
        var cumulative = 0.0
        for i in order {
            cumulative += weights[i] / total
            if cumulative >= q - 1e-12 { return values[i] }
        }
        return values[order.last!]
    }
}
