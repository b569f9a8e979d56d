import Foundation
import Testing
import ABC
import Stochastic

/// Prior densities (GSL's pdfs) and the perturbation kernel's algebra.
struct DensityTests {
    static let cases: [Distribution] = [
        .uniform(min: -1, max: 3), .normal(mean: 2, sd: 0.5), .beta(a: 2, b: 5),
        .gamma(shape: 3, scale: 0.5), .lognormal(mu: 0, sigma: 0.5),
    ]

    /// Each density integrates to 1 over its support and has the distribution's exact mean
    /// (trapezoid rule on a fine grid).
    @Test(arguments: cases) func densityIntegratesToOneWithTheExactMean(_ distribution: Distribution) {
        let lower = max(distribution.support.lowerBound, distribution.mean - 12 * distribution.variance.squareRoot())
        let upper = min(distribution.support.upperBound, distribution.mean + 12 * distribution.variance.squareRoot())
        let steps = 200_000
        let h = (upper - lower) / Double(steps)
        var mass = 0.0, first = 0.0
        for i in 0...steps {
            let x = lower + Double(i) * h
            let weight = (i == 0 || i == steps) ? 0.5 : 1
            mass += weight * distribution.density(x) * h
            first += weight * x * distribution.density(x) * h
        }
        #expect(abs(mass - 1) < 1e-4, "\(distribution.text): mass \(mass)")
        #expect(abs(first - distribution.mean) < 1e-3, "\(distribution.text): mean \(first)")
    }

    @Test func densitiesAtKnownPoints() {
        #expect(abs(Distribution.normal(mean: 1, sd: 2).density(1) - 1 / (2 * (2 * Double.pi).squareRoot())) < 1e-15)
        #expect(abs(Distribution.uniform(min: 0, max: 4).density(4) - 0.25) < 1e-15)
        #expect(Distribution.uniform(min: 0, max: 4).density(4.0001) == 0)
        #expect(abs(Distribution.beta(a: 2, b: 2).density(0.5) - 1.5) < 1e-12)
        #expect(abs(Distribution.gamma(shape: 1, scale: 2).density(2) - 0.5 * exp(-1)) < 1e-15)
        #expect(Distribution.gamma(shape: 2, scale: 1).density(-0.1) == 0)
        #expect(Distribution.lognormal(mu: 0, sigma: 1).logDensity(-1) == -.infinity)
        #expect(!Distribution.beta(a: 2, b: 2).admits(1.2))
        #expect(Distribution.normal(mean: 0, sd: 1).admits(-4))
    }

    @Test func choleskyReproducesTheMatrix() throws {
        let m = [4.0, 2, 0.4, 2, 3, 0.5, 0.4, 0.5, 2]
        let l = try #require(PerturbationKernel.choleskyFactor(m, 3))
        for i in 0..<3 {
            for j in 0..<3 {
                let product = (0..<3).reduce(0.0) { $0 + l[i * 3 + $1] * l[j * 3 + $1] }
                #expect(abs(product - m[i * 3 + j]) < 1e-12)
            }
        }
        #expect(PerturbationKernel.choleskyFactor([1, 2, 2, 1], 2) == nil)
    }

    /// The kernel has twice the weighted covariance, and its log density matches the product of
    /// normal densities where that covariance is diagonal.
    @Test func kernelCovarianceAndDensity() {
        let particles: [[Double]] = [[0, 0], [2, 0], [0, 4], [2, 4]]
        let weights = [0.25, 0.25, 0.25, 0.25]
        let kernel = PerturbationKernel(particles: particles, weights: weights)
        // Weighted variances 1 and 4, covariance 0; doubled.
        #expect(kernel.covariance == [2, 0, 0, 8])
        let theta = [0.7, -1.1]
        let expected = Distribution.normal(mean: 0, sd: 2.0.squareRoot()).logDensity(0.7)
            + Distribution.normal(mean: 0, sd: 8.0.squareRoot()).logDensity(-1.1)
        #expect(abs(kernel.logDensity(theta, around: [0, 0]) - expected) < 1e-12)
        #expect(kernel.ancestor(0) == 0 && kernel.ancestor(0.26) == 1 && kernel.ancestor(0.9999) == 3)
    }

    @Test func weightedQuantilesAndCorrelation() {
        let values = [1.0, 2, 3, 4]
        let weights = [0.1, 0.2, 0.3, 0.4]
        #expect(WeightedSummary.quantile(values, weights, 0.05) == 1)
        #expect(WeightedSummary.quantile(values, weights, 0.3) == 2)
        #expect(WeightedSummary.quantile(values, weights, 0.61) == 4)
        #expect(abs(WeightedSummary.mean(values, weights) - 3) < 1e-12)
        #expect(abs(WeightedSummary.correlation(values, values.map { -2 * $0 }, weights) + 1) < 1e-12)
        #expect(LogSum.normalise([-1000, -1000 + log(3)]).map { ($0 * 4).rounded() } == [1, 3])
    }
}
