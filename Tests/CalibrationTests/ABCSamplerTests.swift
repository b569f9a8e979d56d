import Foundation
import Testing
import ABC
import Stochastic

/// ABC-SMC on toy problems with known posteriors.
///
/// The toy: n = 20 observations x_i ~ N(mu, 1), summarised by their mean (sufficient for mu), so the
/// ABC posterior tends to the exact posterior as the tolerance shrinks. The distance is
/// |mean of a simulated data set - observed mean|; a simulated mean is drawn as N(mu, 1/n).
struct ABCSamplerTests {
    static let n = 20.0
    static let observedMean = 1.3

    /// A distance factory for the toy (each worker its own generator, re-seeded per simulation).
    static func toyDistance() -> () throws -> ABCSMC.Distance {
        {
            let generator = try Generator()
            return { theta, seed in
                generator.reseed(UInt(truncatingIfNeeded: seed))
                let simulated = generator.normal(mean: theta[0], sd: 1 / n.squareRoot())
                return abs(simulated - observedMean)
            }
        }
    }

    static func run(prior: Distribution, settings: ABCSettings) throws -> ABCOutcome {
        let sampler = ABCSMC(parameters: [ABCParameter(name: "mu", prior: prior)], settings: settings,
                             makeDistance: toyDistance())
        return try sampler.run { _ in }
    }

    /// The exact normal posterior of mu under a N(m0, s0^2) prior.
    static func conjugate(priorMean m0: Double, priorSD s0: Double) -> (mean: Double, sd: Double) {
        let precision = 1 / (s0 * s0) + n
        return ((m0 / (s0 * s0) + n * observedMean) / precision, (1 / precision).squareRoot())
    }

    static func check(_ outcome: ABCOutcome, exact: (mean: Double, sd: Double)) {
        let final = outcome.final
        let values = final.particles.map { $0[0] }
        let mean = WeightedSummary.mean(values, final.weights)
        let sd = WeightedSummary.standardDeviation(values, final.weights)
        let ess = final.effectiveSampleSize
        // 5-sigma bounds from the effective sample size (the sd's relative standard error is about
        // 1/sqrt(2 ESS)); the final tolerance adds at most eps^2/3 to the variance.
        #expect(abs(mean - exact.mean) < 5 * exact.sd / ess.squareRoot(), "mean \(mean) vs exact \(exact.mean), ESS \(ess)")
        #expect(abs(sd / exact.sd - 1) < 5 / (2 * ess).squareRoot() + 0.02, "sd \(sd) vs exact \(exact.sd), ESS \(ess)")
        // Shrinking the tolerance brought the sd nearer the exact one than generation 1 was.
        let first = outcome.made[1]
        let firstSD = WeightedSummary.standardDeviation(first.particles.map { $0[0] }, first.weights)
        #expect(abs(firstSD - exact.sd) > 2 * abs(sd - exact.sd))
        #expect(first.tolerance > 10 * final.tolerance)
    }

    @Test func normalPriorApproachesConjugatePosterior() throws {
        let settings = ABCSettings(populationSize: 500, maxGenerations: 20, finalTolerance: 0.02, seed: 11, jobs: 2)
        let outcome = try Self.run(prior: .normal(mean: 0, sd: 3), settings: settings)
        #expect(outcome.stopReason == .tolerance)
        Self.check(outcome, exact: Self.conjugate(priorMean: 0, priorSD: 3))
    }

    @Test func wideUniformPriorApproachesLikelihood() throws {
        let settings = ABCSettings(populationSize: 500, maxGenerations: 20, finalTolerance: 0.02, seed: 5, jobs: 2)
        let outcome = try Self.run(prior: .uniform(min: -10, max: 10), settings: settings)
        // Under a flat prior far wider than the likelihood the posterior is N(mean, 1/n).
        Self.check(outcome, exact: (Self.observedMean, 1 / Self.n.squareRoot()))
    }

    @Test func weightsAreNormalisedAndTolerancesShrink() throws {
        let settings = ABCSettings(populationSize: 200, maxGenerations: 6, seed: 3)
        let outcome = try Self.run(prior: .normal(mean: 0, sd: 3), settings: settings)
        #expect(outcome.made.count == 6)
        #expect(outcome.stopReason == .generations)
        for population in outcome.made {
            #expect(abs(population.weights.reduce(0, +) - 1) < 1e-12)
            #expect(population.weights.allSatisfy { $0 > 0 })
            #expect(population.distances.allSatisfy { $0 <= population.tolerance })
            #expect(population.effectiveSampleSize <= Double(population.particles.count) + 1e-9)
            #expect(population.effectiveSampleSize >= 1)
        }
        #expect(outcome.made[0].tolerance == .infinity)
        #expect(outcome.made[0].acceptanceRate == 1)
        for g in 1..<outcome.made.count {
            #expect(outcome.made[g].tolerance <= outcome.made[g - 1].tolerance)
            #expect(outcome.made[g].tolerance == Quantiles.quantile(outcome.made[g - 1].distances, 0.5))
        }
    }

    /// A bounded prior with the data near its edge: the kernel proposes outside [0, 1] often, and
    /// none of those proposals may reach the simulator.
    @Test func proposalsOutsideBoundedSupportAreNeverSimulated() throws {
        let log = OutsideLog()
        for prior in [Distribution.uniform(min: 0, max: 1), .beta(a: 2, b: 2)] {
            let settings = ABCSettings(populationSize: 200, maxGenerations: 6, seed: 9, jobs: 2)
            let sampler = ABCSMC(parameters: [ABCParameter(name: "p", prior: prior)], settings: settings) {
                let generator = try Generator()
                return { theta, seed in
                    if !(0...1).contains(theta[0]) { log.record() }
                    generator.reseed(UInt(truncatingIfNeeded: seed))
                    return abs(generator.normal(mean: theta[0], sd: 0.05) - 0.98)
                }
            }
            let outcome = try sampler.run { _ in }
            let last = outcome.final
            #expect(last.particles.allSatisfy { (0...1).contains($0[0]) })
            // The kernel did propose outside the support: more proposals than simulations.
            #expect(outcome.made.dropFirst().contains { $0.proposals > $0.simulations })
        }
        #expect(log.count == 0)
    }

    @Test func sameSeedSamePosteriorWhateverTheThreads() throws {
        func populations(jobs: Int) throws -> [ABCPopulation] {
            let settings = ABCSettings(populationSize: 150, maxGenerations: 5, seed: 77, jobs: jobs)
            return try Self.run(prior: .gamma(shape: 2, scale: 1), settings: settings).made
        }
        let one = try populations(jobs: 1), two = try populations(jobs: 2), three = try populations(jobs: 3)
        for other in [two, three] {
            #expect(other.count == one.count)
            for (a, b) in zip(one, other) {
                #expect(a.particles == b.particles)
                #expect(a.weights == b.weights)
                #expect(a.distances == b.distances)
                #expect(a.tolerance == b.tolerance)
                #expect(a.simulations == b.simulations)
            }
        }
        let otherSeed = try Self.run(prior: .gamma(shape: 2, scale: 1),
                                     settings: ABCSettings(populationSize: 150, maxGenerations: 5, seed: 78)).final
        #expect(otherSeed.particles != one.last!.particles)
    }

    @Test func resumingEqualsAnUninterruptedRun() throws {
        let whole = try Self.run(prior: .normal(mean: 0, sd: 3), settings: ABCSettings(populationSize: 100, maxGenerations: 5, seed: 4))
        let part = try Self.run(prior: .normal(mean: 0, sd: 3), settings: ABCSettings(populationSize: 100, maxGenerations: 3, seed: 4))
        let sampler = ABCSMC(parameters: [ABCParameter(name: "mu", prior: .normal(mean: 0, sd: 3))],
                             settings: ABCSettings(populationSize: 100, maxGenerations: 5, seed: 4, jobs: 2),
                             makeDistance: Self.toyDistance())
        let rest = try sampler.run(resumingFrom: part.final) { _ in }
        #expect(rest.made.count == 2)
        #expect(rest.final.particles == whole.final.particles)
        #expect(rest.final.weights == whole.final.weights)
    }

    @Test func lowAcceptanceStops() throws {
        let settings = ABCSettings(populationSize: 100, maxGenerations: 50, minAcceptanceRate: 0.3, quantile: 0.2, seed: 2)
        let outcome = try Self.run(prior: .normal(mean: 0, sd: 3), settings: settings)
        #expect(outcome.stopReason == .acceptanceRate)
        #expect(outcome.final.acceptanceRate < 0.3)
        #expect(outcome.made.dropLast().dropFirst().allSatisfy { $0.acceptanceRate >= 0.3 })
    }

    @Test func exhaustedSlotsGiveUpTheGeneration() throws {
        // One attempt per slot: generation 0 always fills (every distance is finite), but in
        // generation 1 each slot meets the median tolerance with probability about 1/2 only.
        let settings = ABCSettings(populationSize: 20, maxGenerations: 5, seed: 1, maxAttemptsPerParticle: 1)
        let sampler = ABCSMC(parameters: [ABCParameter(name: "x", prior: .uniform(min: 0, max: 1))], settings: settings) {
            let generator = try Generator()
            return { _, seed in
                generator.reseed(UInt(truncatingIfNeeded: seed))
                return generator.uniform()
            }
        }
        let outcome = try sampler.run { _ in }
        #expect(outcome.stopReason == .attemptsExhausted)
        #expect(outcome.final.generation == 0)
    }
}

/// Counts calls from several threads.
final class OutsideLog: @unchecked Sendable {
    private let lock = NSLock()
    private var calls = 0
    func record() { lock.lock(); calls += 1; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return calls }
}
