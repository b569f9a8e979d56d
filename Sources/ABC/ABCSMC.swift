import Dispatch
import Foundation
import Stochastic

/// Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC, population Monte Carlo
/// after Beaumont, Cornuet, Marin and Robert 2009, with quantile-adaptive tolerances as pyABC's
/// default schedule).
///
/// Generation 0 draws N particles from the prior and accepts them all (tolerance +infinity).
/// Generation g >= 1 sets its tolerance epsilon_g to the alpha-quantile of generation g - 1's
/// distances (never below the final tolerance), fits a `PerturbationKernel` to generation g - 1 and
/// fills each of its N particle slots by proposing theta* (ancestor by weight, multivariate normal
/// step), redrawing any theta* outside the prior's support without simulating it, and simulating
/// until a distance d <= epsilon_g. Accepted particles get the importance weight
/// w ∝ prior(theta) / sum_j W_j K(theta | theta_j), normalised to sum 1.
///
/// Determinism: slot j of generation g re-seeds its generator from (seed, g, j) alone
/// (`ABCSeeds`), and its k-th simulation receives the seed `ABCSeeds.simulation(...)`, so the
/// posterior does not depend on the number of threads or on which thread filled which slot.
public final class ABCSMC: @unchecked Sendable {
    /// The distance of a simulation at `parameters` run with random seed `seed` (non-finite: rejected).
    public typealias Distance = (_ parameters: [Double], _ seed: UInt64) throws -> Double

    public let parameters: [ABCParameter]
    public let settings: ABCSettings
    private let makeDistance: () throws -> Distance

    /// `makeDistance` is called once per worker thread; each returned function is only ever called
    /// from one thread at a time, so it may own per-thread state (generators, simulators).
    public init(parameters: [ABCParameter], settings: ABCSettings, makeDistance: @escaping () throws -> Distance) {
        precondition(!parameters.isEmpty, "ABC-SMC needs at least one parameter")
        precondition(settings.problems.isEmpty, settings.problems.joined(separator: "; "))
        self.parameters = parameters
        self.settings = settings
        self.makeDistance = makeDistance
    }

    /// The prior's log density at `theta` (the sum over independent parameters).
    public func logPrior(_ theta: [Double]) -> Double {
        zip(parameters, theta).reduce(0) { $0 + $1.0.prior.logDensity($1.1) }
    }

    /// Whether every value of `theta` lies where its prior has a positive density.
    public func admits(_ theta: [Double]) -> Bool {
        zip(parameters, theta).allSatisfy { $0.prior.admits($1) }
    }

    /// Runs generations until a stopping rule holds. With `resumingFrom`, continues after that
    /// (complete) generation exactly as an uninterrupted run would have. `onGeneration` receives each
    /// new generation as soon as it is complete (to store it); `shouldStop` is asked between generations.
    public func run(resumingFrom previous: ABCPopulation? = nil, shouldStop: () -> Bool = { false },
                    onGeneration: (ABCPopulation) throws -> Void) throws -> ABCOutcome {
        let workers = try (0..<settings.jobs).map { _ in try Worker(kind: settings.generator, distance: makeDistance()) }
        var made: [ABCPopulation] = []
        var current: ABCPopulation
        if let previous {
            current = previous
        } else {
            guard let first = try generation(0, tolerance: .infinity, kernel: nil, workers: workers) else {
                throw ABCError(generation: 0, particle: 0, message: "no finite distance from the prior in \(settings.maxAttemptsPerParticle) attempts")
            }
            current = first
            try onGeneration(current)
            made.append(current)
        }
        while true {
            if let reason = stopReason(after: current) { return ABCOutcome(final: current, made: made, stopReason: reason) }
            if shouldStop() { return ABCOutcome(final: current, made: made, stopReason: .requested) }
            let tolerance = nextTolerance(after: current)
            let kernel = PerturbationKernel(particles: current.particles, weights: current.weights)
            guard let next = try generation(current.generation + 1, tolerance: tolerance, kernel: kernel, workers: workers) else {
                return ABCOutcome(final: current, made: made, stopReason: .attemptsExhausted)
            }
            current = next
            try onGeneration(current)
            made.append(current)
        }
    }

    /// The rule that ends the run after `population`, if any.
    public func stopReason(after population: ABCPopulation) -> ABCStopReason? {
        if population.generation + 1 >= settings.maxGenerations { return .generations }
        if let finalTolerance = settings.finalTolerance, population.tolerance <= finalTolerance { return .tolerance }
        if population.generation > 0, population.acceptanceRate < settings.minAcceptanceRate { return .acceptanceRate }
        return nil
    }

    /// epsilon_{g+1}: the alpha-quantile of generation g's distances, not below the final tolerance.
    public func nextTolerance(after population: ABCPopulation) -> Double {
        max(Quantiles.quantile(population.distances, settings.quantile), settings.finalTolerance ?? 0)
    }

    // MARK: One generation

    /// Fills the N slots of generation `g` in parallel; nil if a slot used up its attempts.
    private func generation(_ g: Int, tolerance: Double, kernel: PerturbationKernel?, workers: [Worker]) throws -> ABCPopulation? {
        let clock = ContinuousClock()
        let start = clock.now
        let n = settings.populationSize
        let slots = Slots(count: n)
        let fill: @Sendable (Worker) -> Void = { worker in
            while let j = slots.next() {
                slots.store(Result { try self.slot(g, j, tolerance: tolerance, kernel: kernel, worker: worker) }, at: j)
            }
        }
        if workers.count == 1 {
            fill(workers[0])
        } else {
            DispatchQueue.concurrentPerform(iterations: workers.count) { fill(workers[$0]) }
        }
        var particles: [[Double]] = [], distances: [Double] = []
        var simulations = 0, proposals = 0
        var exhausted = false
        for j in 0..<n {
            switch slots.results[j]! {
            case let .failure(error):
                throw ABCError(generation: g, particle: j, message: "\(error)")
            case let .success(found):
                simulations += found.simulations
                proposals += found.proposals
                if let particle = found.particle {
                    particles.append(particle)
                    distances.append(found.distance)
                } else {
                    exhausted = true
                }
            }
        }
        if exhausted { return nil }
        let weights: [Double]
        if let kernel {
            weights = LogSum.normalise(particles.map { logPrior($0) - kernel.logProposalDensity($0) })
        } else {
            weights = [Double](repeating: 1 / Double(n), count: n)
        }
        let elapsed = clock.now - start
        return ABCPopulation(generation: g, tolerance: tolerance, particles: particles, weights: weights,
                             distances: distances, simulations: simulations, proposals: proposals,
                             seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }

    /// What one slot found: its particle (nil if it used up its attempts), distance and effort.
    struct SlotResult {
        let particle: [Double]?
        let distance: Double
        let simulations: Int, proposals: Int
    }

    /// Fills slot j of generation g: propose (from the prior in generation 0), redraw what the prior
    /// does not admit, simulate, and repeat until the distance is finite and within `tolerance`.
    private func slot(_ g: Int, _ j: Int, tolerance: Double, kernel: PerturbationKernel?, worker: Worker) throws -> SlotResult {
        let generator = worker.generator
        generator.reseed(ABCSeeds.slot(seed: settings.seed, generation: g, particle: j))
        var simulations = 0, proposals = 0
        // Proposals outside the support are free (never simulated) but bounded, lest a kernel that
        // lies almost wholly outside the support loop for ever.
        let proposalLimit = settings.maxAttemptsPerParticle * 1000
        while simulations < settings.maxAttemptsPerParticle && proposals < proposalLimit {
            proposals += 1
            let theta = kernel?.propose(using: generator) ?? parameters.map { generator.draw($0.prior) }
            guard admits(theta) else { continue }
            simulations += 1
            let seed = ABCSeeds.simulation(seed: settings.seed, generation: g, particle: j, attempt: simulations)
            let distance = try worker.distance(theta, seed)
            if distance.isFinite && distance <= tolerance {
                return SlotResult(particle: theta, distance: distance, simulations: simulations, proposals: proposals)
            }
        }
        return SlotResult(particle: nil, distance: .infinity, simulations: simulations, proposals: proposals)
    }

    /// A thread's generator and distance function.
    final class Worker: @unchecked Sendable {
        let generator: Generator
        let distance: Distance
        init(kind: GeneratorKind, distance: @escaping Distance) throws {
            generator = try Generator(kind: kind)
            self.distance = distance
        }
    }

    /// A generation's slots, handed out one at a time; each result written by one thread.
    /// The particle slots of a generation: handed out to workers one at a time, their results
    /// stored under the same lock (an array written from several threads at once loses writes).
    private final class Slots: @unchecked Sendable {
        private(set) var results: [Result<SlotResult, Error>?]
        private var handed = 0
        private let lock = NSLock()
        init(count: Int) { results = Array(repeating: nil, count: count) }
        func store(_ result: Result<SlotResult, Error>, at j: Int) {
            lock.lock()
            defer { lock.unlock() }
            results[j] = result
        }
        func next() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard handed < results.count else { return nil }
            handed += 1
            return handed - 1
        }
    }
}

/// The seeds of an ABC-SMC run, each a function of (seed, generation, particle slot[, attempt]) alone.
public enum ABCSeeds {
    /// The 64-bit key of slot j of generation g.
    static func key(seed: UInt64, generation: Int, particle: Int) -> UInt64 {
        let s = SeedDerivation.splitMix64(seed ^ 0xABC5_AB0C_5EED_0000)
        let g = SeedDerivation.splitMix64(s ^ UInt64(generation))
        return SeedDerivation.splitMix64(g ^ UInt64(particle))
    }

    /// The GSL seed of slot j's generator (32 bits, as GSL's generators read).
    public static func slot(seed: UInt64, generation: Int, particle: Int) -> UInt {
        UInt(UInt32(truncatingIfNeeded: key(seed: seed, generation: generation, particle: particle) >> 32))
    }

    /// The seed handed to the distance function for slot j's `attempt`-th simulation (1-based).
    public static func simulation(seed: UInt64, generation: Int, particle: Int, attempt: Int) -> UInt64 {
        SeedDerivation.splitMix64(key(seed: seed, generation: generation, particle: particle) ^ UInt64(attempt) &* 0x9E37_79B9_7F4A_7C15)
    }
}
