import ABC
import Foundation
import PartnershipModel
import Stochastic

/// `calibration.json`: what a calibration found, for `lspsim report DIR` and other tools; the one
/// type that writes and reads it (format `lspsim-calibration`, version 1). `lspsim calibrate` writes
/// it beside `calibration.sqlite`, `posterior.csv`, `observations.csv` and `predictive.csv`.
public struct CalibrationResultFile: Codable, Sendable, Equatable {
    public static let fileName = "calibration.json"
    public static let formatName = "lspsim-calibration"

    public var format = CalibrationResultFile.formatName
    public var version = 1
    /// The lspsim that wrote it.
    public var lspsim = LspsimVersion.current
    /// The calibration's name (its file's `name:`, else the file's stem) and files, as named.
    public var name: String
    public var calibrationFile: String
    public var scenarioFile: String
    public var observationsFile: String
    public var observedCells: Int
    public var settings: Settings
    /// Why the sampler stopped (`generations`, `tolerance`, `acceptance rate`, `attempts exhausted`, `requested`).
    public var stopReason: String
    /// Every generation in the store, in order (the last is the posterior).
    public var generations: [Generation]
    /// The posterior's summary, per parameter, and its weighted correlations (row-major).
    public var parameters: [Parameter]
    public var correlations: [[Double]]
    /// The posterior predictive sample behind `predictive.csv`; nil where none was made (`abc.predictive: 0`).
    public var predictive: Predictive?

    public struct Settings: Codable, Sendable, Equatable {
        public var population: Int, generations: Int, quantile: Double, replications: Int, seed: UInt64
        public var finalTolerance: Double?, minAcceptance: Double, generator: String
        enum CodingKeys: String, CodingKey {
            case population, generations, quantile, replications, seed, generator
            case finalTolerance = "final_tolerance", minAcceptance = "min_acceptance"
        }
    }

    public struct Generation: Codable, Sendable, Equatable {
        /// nil for generation 0 (+infinity: every prior draw accepted).
        public var tolerance: Double?
        public var generation: Int, simulations: Int, acceptanceRate: Double, ess: Double, seconds: Double
        enum CodingKeys: String, CodingKey {
            case generation, tolerance, simulations, ess, seconds
            case acceptanceRate = "acceptance_rate"
        }
    }

    public struct Parameter: Codable, Sendable, Equatable {
        public var path: String
        /// The prior as text (`uniform(min 0.0, max 0.4)`), its mean and standard deviation.
        public var prior: String, priorMean: Double, priorSD: Double
        /// Weighted posterior mean, sd, median, and the 90% credible interval (5% and 95% quantiles).
        public var mean: Double, sd: Double, median: Double, p05: Double, p95: Double
        enum CodingKeys: String, CodingKey {
            case path, prior, mean, sd, median, p05, p95
            case priorMean = "prior_mean", priorSD = "prior_sd"
        }

        /// Posterior sd / prior sd: near 1, the data say little about the parameter.
        public var sdRatio: Double { priorSD > 0 ? sd / priorSD : .nan }
        /// Whether the parameter counts as not identified by the data (`sdRatio` above `identificationLimit`).
        public var notIdentified: Bool { sdRatio > CalibrationResultFile.identificationLimit }
    }

    /// How the predictive sample was made: replications 1...`replications` of run seed `seed`.
    public struct Predictive: Codable, Sendable, Equatable {
        public var replications: Int, seed: UInt64, failed: Int
        public var covered: Int, observed: Int
    }

    /// Posterior sd / prior sd above which a parameter is flagged as not identified by the data.
    public static let identificationLimit = 0.8

    enum CodingKeys: String, CodingKey {
        case format, version, lspsim, name, settings, generations, parameters, correlations, predictive
        case calibrationFile = "calibration_file", scenarioFile = "scenario_file", observationsFile = "observations_file"
        case observedCells = "observed_cells", stopReason = "stop_reason"
    }

    /// The file of a finished calibration.
    public init(spec: CalibrationSpec, generations: [ABCPopulation], stopReason: ABCStopReason, summary: PosteriorSummary,
                predictive: (check: PredictiveCheck, failed: Int)?, predictiveReplications: Int) {
        name = spec.name ?? URL(fileURLWithPath: spec.file).deletingPathExtension().lastPathComponent
        calibrationFile = spec.file
        scenarioFile = spec.scenarioPath
        observationsFile = spec.observationsPath
        observedCells = spec.observations.cells.count
        settings = Settings(population: spec.abc.populationSize, generations: spec.abc.maxGenerations, quantile: spec.abc.quantile,
                            replications: spec.replications, seed: spec.abc.seed, finalTolerance: spec.abc.finalTolerance,
                            minAcceptance: spec.abc.minAcceptanceRate, generator: spec.abc.generator.rawValue)
        self.stopReason = stopReason.rawValue
        self.generations = generations.map { p in
            Generation(tolerance: p.tolerance.isFinite ? p.tolerance : nil, generation: p.generation, simulations: p.simulations,
                       acceptanceRate: p.acceptanceRate, ess: p.effectiveSampleSize, seconds: p.seconds)
        }
        parameters = summary.rows.map { row in
            Parameter(path: row.path, prior: row.prior.text, priorMean: row.prior.mean, priorSD: row.prior.variance.squareRoot(),
                      mean: row.mean, sd: row.sd, median: row.median, p05: row.lower, p95: row.upper)
        }
        correlations = summary.correlations
        self.predictive = predictive.map { made in
            let coverage = made.check.coverage
            return Predictive(replications: predictiveReplications, seed: spec.abc.seed, failed: made.failed,
                              covered: coverage.covered, observed: coverage.observed)
        }
    }

    /// Pretty-printed JSON with sorted keys, ending in a newline.
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // A correlation with a constant column is NaN: written as the string "nan".
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        // Plain strings and numbers: encoding cannot fail.
        return try! encoder.encode(self) + Data("\n".utf8)
    }

    /// Reads DIR/calibration.json.
    public static func load(directory: URL) throws(CalibrationError) -> CalibrationResultFile {
        let url = directory.appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw CalibrationError(file: url.path, message: "is missing or unreadable")
        }
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            let file = try decoder.decode(CalibrationResultFile.self, from: data)
            guard file.format == formatName else { throw CalibrationError(file: url.path, message: "is not an lspsim calibration file (format '\(file.format)')") }
            guard file.version == 1 else { throw CalibrationError(file: url.path, message: "has format version \(file.version); this lspsim reads version 1") }
            return file
        } catch let error as CalibrationError {
            throw error
        } catch {
            throw CalibrationError(file: url.path, message: "is not an lspsim calibration file (\(error))")
        }
    }
}
