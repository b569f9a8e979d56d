import CGSL

/// An owned GSL random number generator.
///
/// One generator is allocated per worker and re-seeded for each replication (allocation is far
/// dearer than seeding). It is a reference type that frees its `gsl_rng` when released; it is not
/// thread-safe, so each thread owns its own.
public final class Generator {
    @usableFromInline let rng: UnsafeMutablePointer<gsl_rng>
    /// The algorithm of this generator.
    public let kind: GeneratorKind

    /// Allocates a generator of the given kind, seeded with `seed`.
    public init(kind: GeneratorKind = .standard, seed: UInt = 0) throws(GSLError) {
        GSL.configure()
        guard let rng = gsl_rng_alloc(kind.gslType) else {
            throw GSLError(status: Int32(GSL_ENOMEM), context: "allocating a \(kind.rawValue) generator")
        }
        self.rng = rng
        self.kind = kind
        gsl_rng_set(rng, seed)
    }

    deinit { gsl_rng_free(rng) }

    /// Re-seeds the generator (GSL's `gsl_rng_set`). GSL's generators read at most the low 32 bits
    /// (some fewer); seed 0 stands for each algorithm's own default seed.
    @inline(__always)
    public func reseed(_ seed: UInt) { gsl_rng_set(rng, seed) }

    /// Re-seeds the generator as the quarter stream of replication `replication` of run seed `seed`
    /// (see `SeedDerivation`).
    public func reseed(runSeed seed: UInt64, replication: Int) {
        gsl_rng_set(rng, UInt(SeedDerivation.generatorSeed(runSeed: seed, replication: replication)))
    }

    /// Re-seeds the generator as the input stream (uncertain inputs) of replication `replication`.
    public func reseed(inputsOf seed: UInt64, replication: Int) {
        gsl_rng_set(rng, UInt(SeedDerivation.inputSeed(runSeed: seed, replication: replication)))
    }

    // MARK: Sampling

    /// The generator's next raw integer output (`gsl_rng_get`).
    public func next() -> UInt { gsl_rng_get(rng) }

    /// A uniform draw in [0, 1) (`gsl_rng_uniform`).
    @inline(__always)
    public func uniform() -> Double { gsl_rng_uniform(rng) }

    /// A standard normal draw, N(0, 1) (`gsl_ran_gaussian_ziggurat`).
    @inline(__always)
    public func standardNormal() -> Double { gsl_ran_gaussian_ziggurat(rng, 1.0) }

    /// A uniform draw in [min, max) (`gsl_ran_flat`).
    public func uniform(min: Double, max: Double) -> Double { gsl_ran_flat(rng, min, max) }

    /// A normal draw with the given mean and standard deviation (`gsl_ran_gaussian_ziggurat`).
    public func normal(mean: Double, sd: Double) -> Double {
        mean + gsl_ran_gaussian_ziggurat(rng, sd)
    }

    /// A beta draw on [0, 1] with shape parameters a, b > 0 (`gsl_ran_beta`).
    public func beta(a: Double, b: Double) -> Double { gsl_ran_beta(rng, a, b) }

    /// A gamma draw with shape k > 0 and scale theta > 0 (`gsl_ran_gamma`); mean k * theta.
    public func gamma(shape: Double, scale: Double) -> Double { gsl_ran_gamma(rng, shape, scale) }

    /// A lognormal draw: exp of a normal with mean mu and sd sigma > 0 (`gsl_ran_lognormal`).
    public func lognormal(mu: Double, sigma: Double) -> Double { gsl_ran_lognormal(rng, mu, sigma) }

    /// Draws from a `Distribution`.
    public func draw(_ distribution: Distribution) -> Double {
        switch distribution {
        case let .uniform(min, max): return uniform(min: min, max: max)
        case let .normal(mean, sd): return normal(mean: mean, sd: sd)
        case let .beta(a, b): return beta(a: a, b: b)
        case let .gamma(shape, scale): return gamma(shape: shape, scale: scale)
        case let .lognormal(mu, sigma): return lognormal(mu: mu, sigma: sigma)
        }
    }
}
