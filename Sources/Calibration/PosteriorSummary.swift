import ABC
import Experiments
import Foundation
import ScenarioFile
import Stochastic
import Yams

extension Posterior {
    /// The final population of an ABC-SMC run, its columns named by `paths`.
    public init(paths: [String], population: ABCPopulation) {
        self.init(paths: paths, values: population.particles, weights: population.weights, distances: population.distances)
    }
}

/// The posterior's summary per parameter: mean, sd, median and 90% credible interval (weighted
/// 5% and 95% quantiles), beside the prior's mean and sd; and the weighted correlations.
public struct PosteriorSummary: Sendable {
    public struct Row: Sendable {
        public let path: String
        public let mean: Double, sd: Double, median: Double, lower: Double, upper: Double
        public let prior: Distribution
    }

    public let rows: [Row]
    /// Weighted Pearson correlations between parameters (row-major, p x p).
    public let correlations: [[Double]]

    public init(posterior: Posterior, priors: [Distribution]) {
        let w = posterior.weights
        rows = posterior.paths.indices.map { i in
            let x = posterior.column(i)
            return Row(path: posterior.paths[i], mean: WeightedSummary.mean(x, w), sd: WeightedSummary.standardDeviation(x, w),
                       median: WeightedSummary.quantile(x, w, 0.5), lower: WeightedSummary.quantile(x, w, 0.05),
                       upper: WeightedSummary.quantile(x, w, 0.95), prior: priors[i])
        }
        correlations = posterior.paths.indices.map { i in
            posterior.paths.indices.map { j in i == j ? 1 : WeightedSummary.correlation(posterior.column(i), posterior.column(j), w) }
        }
    }

    /// A plain-text table (and the correlation matrix where there are several parameters).
    public var text: String {
        func f(_ x: Double) -> String { String(format: "%.4g", x) }
        let width = max(9, rows.map(\.path.count).max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        func left(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
        var text = pad("parameter", width) + left("mean", 11) + left("sd", 11) + left("median", 11) + left("5%", 11) + left("95%", 11)
            + "   prior (sd)\n"
        for row in rows {
            text += pad(row.path, width) + [row.mean, row.sd, row.median, row.lower, row.upper].map { left(f($0), 11) }.joined()
            text += "   \(row.prior.text) (\(f(row.prior.variance.squareRoot())))\n"
        }
        if rows.count > 1 {
            text += "\nposterior correlations:\n"
            for (i, row) in rows.enumerated() {
                text += pad(row.path, width) + correlations[i].map { left(String(format: "%+.2f", $0), 7) }.joined() + "\n"
            }
        }
        return text
    }
}
