import PartnershipModel
import Stochastic

/// Sets up replication r of run seed S on one thread: its two GSL streams and its simulator.
///
/// Each replication has two generators, both seeded from (S, r) alone (`SeedDerivation`): the
/// *input stream* draws the scenario's uncertain inputs, the *quarter stream* draws zeta, u and eps
/// every quarter. Keeping them apart means replication r's quarterly draws are the same at every
/// design point of a sweep, whether or not a field is uncertain there and however many uniforms a
/// beta or gamma draw consumed: the common random numbers that pair options.
/// A replicator allocates its generators once and re-seeds them; it reuses its simulator while
/// the template's model is shared. It is not thread-safe: one per worker.
public final class Replicator {
    /// The quarter stream, to pass to `Simulator.run(generator:)`.
    public let generator: Generator
    /// The input stream.
    let inputs: Generator
    private var cached: (model: ObjectIdentifier, simulator: Simulator)?

    public init(kind: GeneratorKind = .standard) throws(GSLError) {
        generator = try Generator(kind: kind)
        inputs = try Generator(kind: kind)
    }

    /// Seeds both streams for replication `replication` of `seed`, draws the uncertain inputs and
    /// returns a simulator ready to `run(generator:)`.
    public func simulator(for template: ScenarioTemplate, seed: UInt64, replication: Int) throws(ScenarioTemplate.DrawError) -> Simulator {
        generator.reseed(runSeed: seed, replication: replication)
        if let shared = template.shared {
            let id = ObjectIdentifier(shared)
            if let cached, cached.model == id { return cached.simulator }
            let simulator = Simulator(model: shared.model)
            cached = (id, simulator)
            return simulator
        }
        inputs.reseed(inputsOf: seed, replication: replication)
        return Simulator(model: try template.instantiate(using: inputs))
    }

    /// As `simulator(for:seed:replication:)`, with the uncertain fields at positions `fields` of
    /// `template.uncertain` set to `values` instead of drawn (every other uncertain field is drawn from
    /// the input stream, as usual).
    public func simulator(for template: ScenarioTemplate, setting values: [Double], at fields: [Int], seed: UInt64,
                          replication: Int) throws(ScenarioTemplate.DrawError) -> Simulator {
        generator.reseed(runSeed: seed, replication: replication)
        // The input stream draws only the fields not set here; with none left it is not used.
        if !template.drawsNothing(besides: fields) { inputs.reseed(inputsOf: seed, replication: replication) }
        return Simulator(model: try template.instantiate(setting: values, at: fields, using: inputs))
    }

    /// Seeds the quarter stream for replication `replication` of `seed` (the input stream has nothing
    /// to draw) and returns `simulator` unchanged:
    /// for another replication of a model that draws nothing (every uncertain field set), which
    /// `simulator(for:setting:at:seed:replication:)` would compile again to the same model.
    public func again(_ simulator: Simulator, seed: UInt64, replication: Int) -> Simulator {
        generator.reseed(runSeed: seed, replication: replication)
        return simulator
    }
}
