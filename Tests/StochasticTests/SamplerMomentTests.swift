import Foundation
import Testing
@testable import Stochastic

/// Each sampler against its exact mean and variance: 200,000 draws with a fixed seed, 5-sigma bounds.
/// The standard error of the sample variance uses the exact fourth central moment.
struct SamplerMomentTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let distribution: Distribution
        /// Exact raw moments E[X], E[X^2], E[X^3], E[X^4].
        let raw: [Double]
        var testDescription: String { distribution.text }
    }

    static func uniformRaw(_ a: Double, _ b: Double) -> [Double] {
        (1...4).map { (n: Int) -> Double in
            let power = Double(n + 1)
            let numerator: Double = pow(b, power) - pow(a, power)
            return numerator / (power * (b - a))
        }
    }

    static func normalRaw(_ m: Double, _ s: Double) -> [Double] {
        let m2: Double = m * m + s * s
        let m3: Double = m * m * m + 3 * m * s * s
        let m4: Double = pow(m, 4) + 6 * m * m * s * s + 3 * pow(s, 4)
        return [m, m2, m3, m4]
    }

    static func betaRaw(_ a: Double, _ b: Double) -> [Double] {
        (1...4).map { (n: Int) -> Double in
            (0..<n).reduce(1.0) { (product: Double, r: Int) -> Double in product * (a + Double(r)) / (a + b + Double(r)) }
        }
    }

    static func gammaRaw(_ k: Double, _ theta: Double) -> [Double] {
        (1...4).map { (n: Int) -> Double in
            (0..<n).reduce(1.0) { (product: Double, r: Int) -> Double in product * (k + Double(r)) } * pow(theta, Double(n))
        }
    }

    static func lognormalRaw(_ mu: Double, _ s: Double) -> [Double] {
        (1...4).map { (n: Int) -> Double in
            let order = Double(n)
            return Foundation.exp(order * mu + order * order * s * s / 2)
        }
    }

    static let cases: [Case] = [
        Case(distribution: .uniform(min: 0.2, max: 0.8), raw: uniformRaw(0.2, 0.8)),
        Case(distribution: .uniform(min: -3, max: 5), raw: uniformRaw(-3, 5)),
        Case(distribution: .normal(mean: 0.6, sd: 0.1), raw: normalRaw(0.6, 0.1)),
        Case(distribution: .normal(mean: -2, sd: 3), raw: normalRaw(-2, 3)),
        Case(distribution: .beta(a: 2, b: 5), raw: betaRaw(2, 5)),
        Case(distribution: .beta(a: 0.5, b: 0.5), raw: betaRaw(0.5, 0.5)),
        Case(distribution: .gamma(shape: 2, scale: 1.5), raw: gammaRaw(2, 1.5)),
        Case(distribution: .gamma(shape: 0.7, scale: 0.2), raw: gammaRaw(0.7, 0.2)),
        Case(distribution: .lognormal(mu: 0, sigma: 0.25), raw: lognormalRaw(0, 0.25)),
        Case(distribution: .lognormal(mu: 1, sigma: 0.5), raw: lognormalRaw(1, 0.5)),
    ]

    @Test("sampler mean and variance within 5 sigma of the exact values", arguments: cases, GeneratorKind.allCases.filter { $0 == .mt19937 || $0 == .taus2 || $0 == .ranlxd2 })
    func moments(_ testCase: Case, kind: GeneratorKind) throws {
        let n = 200_000
        let generator = try Generator(kind: kind, seed: 20_261_126)
        var sum = 0.0, sumSquares = 0.0
        var draws = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let x = generator.draw(testCase.distribution)
            draws[i] = x
            sum += x
        }
        let mean = sum / Double(n)
        for x in draws { sumSquares += (x - mean) * (x - mean) }
        let variance = sumSquares / Double(n - 1)

        let m = testCase.raw
        let exactMean = m[0]
        let exactVariance = m[1] - m[0] * m[0]
        let mu4 = m[3] - 4 * m[0] * m[2] + 6 * m[0] * m[0] * m[1] - 3 * pow(m[0], 4)
        #expect(abs(exactMean - testCase.distribution.mean) <= 1e-12 * max(1, abs(exactMean)))
        #expect(abs(exactVariance - testCase.distribution.variance) <= 1e-12 * max(1, exactVariance))
        let meanError = (exactVariance / Double(n)).squareRoot()
        let varianceError = ((mu4 - exactVariance * exactVariance) / Double(n)).squareRoot()
        #expect(abs(mean - exactMean) < 5 * meanError, "mean \(mean) vs exact \(exactMean)")
        #expect(abs(variance - exactVariance) < 5 * varianceError, "variance \(variance) vs exact \(exactVariance)")
        let support = testCase.distribution.support
        #expect(draws.allSatisfy { support.contains($0) })
    }

    @Test("standard normal and uniform draws used by the quarter loop have the right moments")
    func quarterDraws() throws {
        let n = 200_000
        let generator = try Generator(kind: .mt19937, seed: 7)
        var normals = 0.0, normalSquares = 0.0, uniforms = 0.0, uniformSquares = 0.0
        for _ in 0..<n {
            let z = generator.standardNormal()
            normals += z
            normalSquares += z * z
            let u = generator.uniform()
            #expect(u >= 0 && u < 1)
            uniforms += u
            uniformSquares += u * u
        }
        let nd = Double(n)
        #expect(abs(normals / nd) < 5 * (1 / nd).squareRoot())
        #expect(abs(normalSquares / nd - 1) < 5 * (2 / nd).squareRoot())
        #expect(abs(uniforms / nd - 0.5) < 5 * (1.0 / 12 / nd).squareRoot())
        // Var(U^2) = 1/5 - 1/9.
        #expect(abs(uniformSquares / nd - 1.0 / 3) < 5 * ((1.0 / 5 - 1.0 / 9) / nd).squareRoot())
    }
}
