import Foundation

/// `sensitivity-sobol.json` or `sensitivity-morris.json`, written by `lspsim sensitivity` and read
/// by `lspsim report`: the one type of that file format ("lspsim-sensitivity", version 1).
///
/// Fields:
/// - `format` ("lspsim-sensitivity"), `format_version` (1), `method` ("sobol" or "morris"),
///   `lspsim_version`, `gsl_version`, `created_at` (ISO 8601);
/// - `sweep`: `name`, `file`, `seed`, `replications` (per design point), `generator`,
///   `scenarios` (base scenario file names);
/// - `design`: `type` ("saltelli" or "morris"), `samples` (base samples N, or trajectories r),
///   `points_per_scenario` (N (D + 2), or r (D + 1)), `runs` (all runs, all scenarios), and for
///   morris `levels` (p) and `delta` (the step, p / (2 (p - 1)), in units of each factor's range);
/// - `store`: the path of `results.sqlite`;
/// - `bootstrap`: `resamples`, `confidence` (0.95), `generator`, `stream` (how it is seeded);
/// - `factors`: in sweep-file order, each `name`, `min`, `max`, `integer`;
/// - `measures`: the measures analysed (columns of the store's `runs` table);
/// - `results`: one object per base scenario and measure, with `scenario`, `measure`,
///   `points` (design points of that scenario), `points_excluded` and `excluded_points` (1-based
///   point ids of the store left out because a run failed), `output_mean` (mean over the
///   included points of each point's mean over its replications), and `error` (null, or why no
///   indices could be computed, e.g. a constant output; then the numbers below are absent).
///   For sobol: `base_samples_used`, `base_samples_excluded`, `mean` and `variance` (of the
///   outputs at A and B, the variance divided by 2N), `sum_first_order`, `resamples_used`, and
///   `indices`: per factor in file order, `factor`, `first_order`, `first_order_low`,
///   `first_order_high`, `total_order`, `total_order_low`, `total_order_high`.
///   For morris: `effects_excluded` and `effects`: per factor in file order, `factor`, `mu`,
///   `mu_star`, `mu_star_low`, `mu_star_high`, `sigma`, `effects` (how many), and
///   `elementary_effects` (every effect, in trajectory order; output change per full range).
///
/// Interval ends are null where the bootstrap could not produce them. Every number is a JSON
/// number at full double precision. Reading is tolerant: only `format`, `format_version`,
/// `method`, `factors` (names) and `results` (scenario and measure) are required.
public struct SensitivityFile: Codable, Sendable {
    public static let formatName = "lspsim-sensitivity"
    public static let formatVersion = 1

    public struct Sweep: Codable, Sendable {
        public var name: String?
        public var file: String?
        public var seed: UInt64?
        public var replications: Int?
        public var generator: String?
        public var scenarios: [String]?
    }

    public struct Design: Codable, Sendable {
        public var type: String?
        public var samples: Int?
        public var pointsPerScenario: Int?
        public var runs: Int?
        public var levels: Int?
        public var delta: Double?
        enum CodingKeys: String, CodingKey {
            case type, samples, runs, levels, delta
            case pointsPerScenario = "points_per_scenario"
        }
    }

    public struct Bootstrap: Codable, Sendable {
        public var resamples: Int
        public var confidence: Double
        public var generator: String
        public var stream: String
    }

    public struct Factor: Codable, Sendable {
        public var name: String
        @ExplicitNull public var min: Double?
        @ExplicitNull public var max: Double?
        public var integer: Bool?
    }

    public struct Index: Codable, Sendable {
        public var factor: String
        public var firstOrder: Double
        @ExplicitNull public var firstOrderLow: Double?
        @ExplicitNull public var firstOrderHigh: Double?
        public var totalOrder: Double
        @ExplicitNull public var totalOrderLow: Double?
        @ExplicitNull public var totalOrderHigh: Double?
        enum CodingKeys: String, CodingKey {
            case factor
            case firstOrder = "first_order", firstOrderLow = "first_order_low", firstOrderHigh = "first_order_high"
            case totalOrder = "total_order", totalOrderLow = "total_order_low", totalOrderHigh = "total_order_high"
        }
    }

    public struct Effect: Codable, Sendable {
        public var factor: String
        public var mu: Double
        public var muStar: Double
        @ExplicitNull public var muStarLow: Double?
        @ExplicitNull public var muStarHigh: Double?
        public var sigma: Double
        public var effects: Int?
        public var elementaryEffects: [Double]?
        enum CodingKeys: String, CodingKey {
            case factor, mu, sigma, effects
            case muStar = "mu_star", muStarLow = "mu_star_low", muStarHigh = "mu_star_high"
            case elementaryEffects = "elementary_effects"
        }
    }

    public struct Result: Codable, Sendable {
        public var scenario: String
        public var measure: String
        public var points: Int?
        public var pointsExcluded: Int?
        public var excludedPoints: [Int]?
        @ExplicitNull public var outputMean: Double?
        @ExplicitNull public var error: String?
        public var baseSamplesUsed: Int?
        public var baseSamplesExcluded: Int?
        public var mean: Double?
        public var variance: Double?
        public var sumFirstOrder: Double?
        public var resamplesUsed: Int?
        public var indices: [Index]?
        public var effectsExcluded: Int?
        public var effects: [Effect]?

        init(scenario: String, measure: String, points: Int, pointsExcluded: Int, excludedPoints: [Int],
             outputMean: Double?, error: String?) {
            self.scenario = scenario
            self.measure = measure
            self.points = points
            self.pointsExcluded = pointsExcluded
            self.excludedPoints = excludedPoints
            self.outputMean = outputMean
            self.error = error
        }

        enum CodingKeys: String, CodingKey {
            case scenario, measure, points, error, mean, variance, indices, effects
            case pointsExcluded = "points_excluded", excludedPoints = "excluded_points", outputMean = "output_mean"
            case baseSamplesUsed = "base_samples_used", baseSamplesExcluded = "base_samples_excluded"
            case sumFirstOrder = "sum_first_order", resamplesUsed = "resamples_used", effectsExcluded = "effects_excluded"
        }
    }

    public var format: String
    public var formatVersion: Int
    public var method: String
    public var lspsimVersion: String?
    public var gslVersion: String?
    public var createdAt: String?
    public var sweep: Sweep?
    public var design: Design?
    public var store: String?
    public var bootstrap: Bootstrap?
    public var factors: [Factor]
    public var measures: [String]?
    public var results: [Result]
    /// The file's name when it was read (not part of the format).
    public var file = ""

    enum CodingKeys: String, CodingKey {
        case format, method, sweep, design, store, bootstrap, factors, measures, results
        case formatVersion = "format_version", lspsimVersion = "lspsim_version", gslVersion = "gsl_version"
        case createdAt = "created_at"
    }
}

extension SensitivityFile {
    /// Reads `url`; throws what is wrong: not JSON of this shape, or another format or version.
    public init(url: URL) throws(JSONFile.ReadError) {
        var decoded = try JSONFile.read(SensitivityFile.self, from: url, what: "an lspsim sensitivity file")
        guard decoded.format == Self.formatName, decoded.formatVersion == Self.formatVersion else {
            throw JSONFile.ReadError(file: url.path, reason: "format \(decoded.format) version \(decoded.formatVersion); this lspsim reads \(Self.formatName) version \(Self.formatVersion)")
        }
        decoded.file = url.lastPathComponent
        self = decoded
    }
}
