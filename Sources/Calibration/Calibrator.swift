import ABC
import Experiments
import Foundation
import ScenarioFile
import Stochastic

/// Runs a calibration on the simulator: ABC-SMC with the trajectory distance, every complete
/// generation stored in DIR/calibration.sqlite, and the final population written to DIR/posterior.csv;
/// then the posterior predictive check (DIR/predictive.csv, beside a copy of the observations in
/// DIR/observations.csv) and the summary DIR/calibration.json (`lspsim report DIR` reads them).
public struct Calibrator {
    public let spec: CalibrationSpec
    public let directory: URL
    public static let storeName = "calibration.sqlite"
    /// The copy of the observations the predictive check compares with.
    public static let observationsName = "observations.csv"

    public init(spec: CalibrationSpec, directory: URL) {
        self.spec = spec
        self.directory = directory
    }

    /// What a calibration did.
    public struct Outcome: Sendable {
        /// Every generation in the store, in order (the last is the posterior).
        public let generations: [ABCPopulation]
        public let stopReason: ABCStopReason
        /// Generations already stored before this call.
        public let resumedAfter: Int?
        public let posterior: Posterior
        public let summary: PosteriorSummary
        /// Wall-clock seconds of this call's sampling.
        public let seconds: Double
        /// Simulations (model runs: particles' attempts times replications) made by this call.
        public let modelRuns: Int
        /// The posterior predictive check (nil with `abc.predictive: 0`) and its failed replications.
        public let predictive: PredictiveCheck?
        public let predictiveFailed: Int
    }

    /// What must stay the same for `--resume` to continue a stored calibration: the parameters and
    /// priors, the scenario and observations, the distance and the sampler's seed, population, quantile
    /// and replications. Generations, final tolerance and minimum acceptance may change.
    public var fingerprint: String {
        let scenarioData = (try? Data(contentsOf: URL(fileURLWithPath: spec.scenarioPath))) ?? Data()
        var parts = zip(spec.paths, spec.priors).map { "parameter \($0) ~ \($1.text)" }
        parts.append("scenario sha256 \(FileHash.sha256(scenarioData))")
        parts.append("observations sha256 \(FileHash.sha256(spec.observations.csv))")
        parts += spec.targets.map { "target \($0.measure.name) in [\($0.min), \($0.max)]" }
        parts.append("distance \(spec.scale.rawValue) penalty \(spec.targetPenalty)")
        parts.append("abc population \(spec.abc.populationSize) quantile \(spec.abc.quantile) seed \(spec.abc.seed) replications \(spec.replications) attempts \(spec.abc.maxAttemptsPerParticle)")
        return parts.joined(separator: "\n")
    }

    /// Why a calibration could not start or continue.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// Runs (or, with `resume`, continues) the calibration. `progress` receives each generation as it
    /// is stored; `shouldStop` is asked between generations.
    public func run(jobs: Int, resume: Bool, shouldStop: () -> Bool = { false },
                    progress: (ABCPopulation) -> Void) throws -> Outcome {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try CalibrationStore(path: directory.appendingPathComponent(Self.storeName).path)
        let stored = try store.generations()
        var resumeFrom: ABCPopulation?
        if let recorded = try store.fingerprint(), !stored.isEmpty {
            guard resume else {
                throw Problem(message: "\(store.path) already holds \(stored.count) generations; use --resume to continue, or another --out")
            }
            guard recorded == fingerprint else {
                throw Problem(message: "\(store.path) holds a different calibration (parameters, priors, data, distance or sampler settings changed); use another --out")
            }
            resumeFrom = stored.last
        } else {
            try store.clear()
            try store.begin(fingerprint: fingerprint, parameters: spec.paths.map(\.description))
        }
        var settings = spec.abc
        settings.jobs = max(1, jobs)
        let distance = TrajectoryDistance(spec: spec)
        let sampler = ABCSMC(parameters: spec.parameters, settings: settings) { try distance.makeWorker(kind: settings.generator) }
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = try sampler.run(resumingFrom: resumeFrom, shouldStop: shouldStop) { population in
            try store.insert(population)
            progress(population)
        }
        let elapsed = clock.now - start
        let generations = stored + outcome.made
        let posterior = Posterior(paths: spec.paths.map(\.description), population: outcome.final)
        try Data(posterior.csv.utf8).write(to: directory.appendingPathComponent(Posterior.fileName), options: .atomic)
        // The predictive check depends only on the final population and the seed: a resumed
        // calibration writes the same files as an uninterrupted one.
        try Data(spec.observations.csv.utf8).write(to: directory.appendingPathComponent(Self.observationsName), options: .atomic)
        var predictive: (check: PredictiveCheck, failed: Int)?
        if spec.predictive > 0 {
            predictive = try PredictiveCheck.simulate(binding: spec.binding, posterior: posterior, observations: spec.observations,
                                                      seed: spec.abc.seed, replications: spec.predictive, generator: spec.abc.generator)
            try Data(predictive!.check.csv.utf8).write(to: directory.appendingPathComponent(PredictiveCheck.fileName), options: .atomic)
        } else {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(PredictiveCheck.fileName))
        }
        let summary = PosteriorSummary(posterior: posterior, priors: spec.priors)
        let result = CalibrationResultFile(spec: spec, generations: generations, stopReason: outcome.stopReason, summary: summary,
                                           predictive: predictive, predictiveReplications: spec.predictive)
        try result.json().write(to: directory.appendingPathComponent(CalibrationResultFile.fileName), options: .atomic)
        return Outcome(
            generations: generations, stopReason: outcome.stopReason, resumedAfter: resumeFrom?.generation,
            posterior: posterior, summary: summary,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
            modelRuns: outcome.made.reduce(0) { $0 + $1.simulations } * spec.replications,
            predictive: predictive?.check, predictiveFailed: predictive?.failed ?? 0)
    }

    /// One line of progress for a generation.
    public static func progressLine(_ p: ABCPopulation) -> String {
        let tolerance = p.tolerance.isFinite ? String(format: "%.4g", p.tolerance) : "inf (prior)"
        return "generation \(p.generation): tolerance \(tolerance), acceptance "
            + String(format: "%.3f (%d simulations), ESS %.1f, %.1f s", p.acceptanceRate, p.simulations, p.effectiveSampleSize, p.seconds)
    }
}
