import Stochastic

/// A parameter to infer: a name (for messages and tables) and its prior distribution.
public struct ABCParameter: Sendable, Equatable {
    public let name: String
    public let prior: Distribution

    public init(name: String, prior: Distribution) {
        self.name = name
        self.prior = prior
    }
}

/// The settings of an ABC-SMC run (see `ABCSMC`).
public struct ABCSettings: Sendable, Equatable {
    /// Accepted particles per generation (N).
    public var populationSize: Int
    /// The most generations (populations) to make, generation 0 (the prior's) included.
    public var maxGenerations: Int
    /// Stop after the first generation whose tolerance is at or below this (and never go below it).
    public var finalTolerance: Double?
    /// Stop after a generation (beyond the first) whose acceptance rate fell below this.
    public var minAcceptanceRate: Double
    /// Generation g's tolerance is this quantile (alpha) of generation g - 1's accepted distances.
    public var quantile: Double
    /// The seed every generator seed of the run is derived from.
    public var seed: UInt64
    /// Worker threads; the result does not depend on it.
    public var jobs: Int
    /// The GSL generator algorithm.
    public var generator: GeneratorKind
    /// Simulations one particle slot may spend before the generation is given up.
    public var maxAttemptsPerParticle: Int

    public init(populationSize: Int = 200, maxGenerations: Int = 8, finalTolerance: Double? = nil,
                minAcceptanceRate: Double = 0.01, quantile: Double = 0.5, seed: UInt64 = 1, jobs: Int = 1,
                generator: GeneratorKind = .standard, maxAttemptsPerParticle: Int = 10_000) {
        self.populationSize = populationSize
        self.maxGenerations = maxGenerations
        self.finalTolerance = finalTolerance
        self.minAcceptanceRate = minAcceptanceRate
        self.quantile = quantile
        self.seed = seed
        self.jobs = max(1, jobs)
        self.generator = generator
        self.maxAttemptsPerParticle = maxAttemptsPerParticle
    }

    /// What is wrong with these settings, if anything (one message per problem).
    public var problems: [String] {
        var found: [String] = []
        if populationSize < 2 { found.append("the population size must be at least 2, got \(populationSize)") }
        if maxGenerations < 1 { found.append("generations must be at least 1, got \(maxGenerations)") }
        if let finalTolerance, !(finalTolerance >= 0) { found.append("the final tolerance must be >= 0, got \(finalTolerance)") }
        if !(minAcceptanceRate >= 0 && minAcceptanceRate < 1) { found.append("the minimum acceptance rate must be in [0, 1), got \(minAcceptanceRate)") }
        if !(quantile > 0 && quantile < 1) { found.append("the quantile alpha must be in (0, 1), got \(quantile)") }
        if maxAttemptsPerParticle < 1 { found.append("the attempts per particle must be at least 1, got \(maxAttemptsPerParticle)") }
        return found
    }
}

/// One generation of particles.
public struct ABCPopulation: Sendable, Equatable {
    /// Generation number g (0: drawn from the prior).
    public let generation: Int
    /// The tolerance epsilon_g every particle met (+infinity in generation 0).
    public let tolerance: Double
    /// Particle j's parameter values, in the order of the parameters.
    public let particles: [[Double]]
    /// Normalised importance weights (sum 1).
    public let weights: [Double]
    /// Particle j's distance (<= tolerance).
    public let distances: [Double]
    /// Simulations run (distances computed) to fill the generation.
    public let simulations: Int
    /// Proposals drawn, those outside the prior's support (never simulated) included.
    public let proposals: Int
    /// Wall-clock seconds the generation took (0 where unknown, e.g. read back from a store).
    public let seconds: Double

    public init(generation: Int, tolerance: Double, particles: [[Double]], weights: [Double], distances: [Double],
                simulations: Int, proposals: Int, seconds: Double) {
        self.generation = generation
        self.tolerance = tolerance
        self.particles = particles
        self.weights = weights
        self.distances = distances
        self.simulations = simulations
        self.proposals = proposals
        self.seconds = seconds
    }

    /// Accepted particles per simulation.
    public var acceptanceRate: Double { simulations > 0 ? Double(particles.count) / Double(simulations) : 0 }

    /// The effective sample size 1 / sum(w^2) of the normalised weights.
    public var effectiveSampleSize: Double { 1 / weights.reduce(0) { $0 + $1 * $1 } }
}

/// Why an ABC-SMC run stopped.
public enum ABCStopReason: String, Sendable, Equatable {
    /// The number of generations was reached.
    case generations
    /// The final tolerance was reached.
    case tolerance
    /// The last generation's acceptance rate fell below the minimum.
    case acceptanceRate = "acceptance rate"
    /// A particle slot used up its attempts; that generation was given up.
    case attemptsExhausted = "attempts exhausted"
    /// Stopped on request, between generations.
    case requested
}

/// What an ABC-SMC run returns.
public struct ABCOutcome: Sendable {
    /// The last complete generation: the posterior sample.
    public let final: ABCPopulation
    /// The generations made by this call, in order.
    public let made: [ABCPopulation]
    public let stopReason: ABCStopReason
}

/// A failure of the distance function, with the slot where it happened.
public struct ABCError: Error, Sendable, CustomStringConvertible {
    public let generation: Int, particle: Int
    public let message: String
    public var description: String { "generation \(generation), particle \(particle + 1): \(message)" }
}
