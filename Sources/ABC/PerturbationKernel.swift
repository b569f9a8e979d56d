import Foundation
import Stochastic

/// The multivariate normal perturbation kernel fitted to a weighted population: covariance twice the
/// weighted population covariance (Beaumont, Cornuet, Marin and Robert 2009).
///
/// A proposal picks an ancestor by weighted resampling, then adds L z with z ~ N(0, I) and L the
/// lower Cholesky factor of the covariance. The kernel's log density at theta around a centre is
/// exact, normalising constant included.
public struct PerturbationKernel: Sendable {
    /// The population's particles and normalised weights.
    public let centres: [[Double]]
    public let weights: [Double]
    /// The covariance (row-major, d x d) and its lower Cholesky factor.
    public let covariance: [Double]
    let cholesky: [Double]
    let dimension: Int
    private let choice: WeightedChoice
    /// log w_j, one per centre (computed once: every proposal density sums over all of them).
    private let logWeights: [Double]
    /// -(d/2) log(2 pi) - sum log L_ii.
    private let logNormaliser: Double

    /// Fits the kernel to `particles` with normalised `weights`.
    public init(particles: [[Double]], weights: [Double]) {
        precondition(!particles.isEmpty && particles.count == weights.count)
        let d = particles[0].count
        dimension = d
        centres = particles
        self.weights = weights
        var mean = [Double](repeating: 0, count: d)
        for (x, w) in zip(particles, weights) { for a in 0..<d { mean[a] += w * x[a] } }
        var cov = [Double](repeating: 0, count: d * d)
        for (x, w) in zip(particles, weights) {
            for a in 0..<d { for b in 0...a { cov[a * d + b] += w * (x[a] - mean[a]) * (x[b] - mean[b]) } }
        }
        for a in 0..<d { for b in 0...a { cov[a * d + b] *= 2; cov[b * d + a] = cov[a * d + b] } }
        // A dimension in which every particle agrees gets a tiny spread so that the kernel stays proper.
        for a in 0..<d where !(cov[a * d + a] > 0) {
            let spread = 1e-9 * max(1, abs(mean[a]))
            cov[a * d + a] = spread * spread
        }
        var factor = PerturbationKernel.choleskyFactor(cov, d)
        var ridge = 1e-12
        while factor == nil {
            var jittered = cov
            for a in 0..<d { jittered[a * d + a] += ridge * max(cov[a * d + a], 1e-300) }
            factor = PerturbationKernel.choleskyFactor(jittered, d)
            ridge *= 10
        }
        covariance = cov
        cholesky = factor!
        logNormaliser = -0.5 * Double(d) * Foundation.log(2 * Double.pi)
            - (0..<d).reduce(0) { $0 + Foundation.log(factor![$1 * d + $1]) }
        choice = WeightedChoice(weights: weights)
        logWeights = weights.map { Foundation.log($0) }
    }

    /// The lower Cholesky factor of the symmetric d x d matrix `m` (row-major), or nil where `m`
    /// is not positive definite.
    public static func choleskyFactor(_ m: [Double], _ d: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0...i {
                var sum = m[i * d + j]
                for k in 0..<j { sum -= l[i * d + k] * l[j * d + k] }
                if i == j {
                    guard sum > 0, sum.isFinite else { return nil }
                    l[i * d + i] = sum.squareRoot()
                } else {
                    l[i * d + j] = sum / l[j * d + j]
                }
            }
        }
        return l
    }

    /// The ancestor for a uniform draw u in [0, 1): the first particle whose cumulative weight exceeds u.
    public func ancestor(_ u: Double) -> Int { choice.index(for: u) }

    /// A proposal: an ancestor drawn by weight, perturbed by the multivariate normal.
    public func propose(using generator: Generator) -> [Double] {
        let centre = centres[ancestor(generator.uniform())]
        let z = (0..<dimension).map { _ in generator.standardNormal() }
        var theta = centre
        for a in 0..<dimension {
            var step = 0.0
            for b in 0...a { step += cholesky[a * dimension + b] * z[b] }
            theta[a] += step
        }
        return theta
    }

    /// log K(theta | centre): the multivariate normal log density.
    public func logDensity(_ theta: [Double], around centre: [Double]) -> Double {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: dimension) { y in
            logDensity(theta, around: centre, scratch: y.baseAddress!)
        }
    }

    /// The log density with `scratch` (room for d values) for the forward substitution.
    private func logDensity(_ theta: [Double], around centre: [Double], scratch y: UnsafeMutablePointer<Double>) -> Double {
        // Solve L y = theta - centre by forward substitution; the quadratic form is |y|^2.
        var quadratic = 0.0
        cholesky.withUnsafeBufferPointer { l in
            for a in 0..<dimension {
                var rest = theta[a] - centre[a]
                for b in 0..<a { rest -= l[a * dimension + b] * y[b] }
                y[a] = rest / l[a * dimension + a]
                quadratic += y[a] * y[a]
            }
        }
        return logNormaliser - 0.5 * quadratic
    }

    /// log sum_j w_j K(theta | theta_j): the log density of a proposal at theta.
    public func logProposalDensity(_ theta: [Double]) -> Double {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: dimension) { y in
            let terms = centres.indices.map { j in logWeights[j] + logDensity(theta, around: centres[j], scratch: y.baseAddress!) }
            return LogSum.of(terms)
        }
    }
}

/// Log-sum-exp without overflow.
public enum LogSum {
    /// log(sum exp(terms)); -infinity for no terms or all -infinity.
    public static func of(_ terms: [Double]) -> Double {
        guard let top = terms.max(), top > -Double.infinity else { return -Double.infinity }
        return top + Foundation.log(terms.reduce(0) { $0 + Foundation.exp($1 - top) })
    }

    /// exp(logs) / sum exp(logs): normalised weights from log weights.
    public static func normalise(_ logs: [Double]) -> [Double] {
        let total = of(logs)
        return logs.map { Foundation.exp($0 - total) }
    }
}
