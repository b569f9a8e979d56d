import Foundation
import PartnershipModel
import ScenarioFile
import Stochastic

/// `manifest.json`: what produced a run folder, so that it can be reproduced. The one type of the
/// file: `lspsim run` writes it and `lspsim report` reads it.
///
/// Reading is tolerant of older or hand-trimmed manifests: only `version`, `scenario_file`,
/// `seed` and `replications` are required; a missing text field reads as "" (a missing list as
/// [], `jobs` as 0, `model_version` and `posterior` as nil), meaning "not recorded".
public struct Manifest: Codable, Sendable, Equatable {
    public var program = "lspsim"
    public var version = LspsimVersion.current
    public var scenarioFile: String
    public var scenarioSHA256: String
    public var scenarioName: String
    /// The model version the run used (SPEC.md: 1 or 2). Absent in manifests written before
    /// version 2 existed, which ran version 1.
    public var modelVersion: Int?
    public var seed: UInt64
    public var replications: Int
    public var seedDerivation = "generator seed of replication r = fmix32(r XOR low32(splitmix64(seed)))"
    public var gslVersion = GSL.version
    public var generator: String
    public var jobs: Int
    public var commandLine: [String]
    public var startedAt: String
    public var finishedAt: String
    public var files: [String]
    /// The calibration posterior the run drew its calibrated fields from (`lspsim run --posterior DIR`):
    /// the folder as given and the SHA-256 of its posterior.csv; nil for a run without one (and in
    /// manifests written before runs could have one).
    public var posterior: PosteriorRecord?

    /// A posterior a run drew from: its folder as given on the command line, and posterior.csv's SHA-256.
    public struct PosteriorRecord: Codable, Sendable, Equatable {
        public var directory: String
        public var sha256: String
        public init(directory: String, sha256: String) {
            self.directory = directory
            self.sha256 = sha256
        }
    }

    enum CodingKeys: String, CodingKey {
        case program, version, seed, replications, generator, jobs, files, posterior
        case scenarioFile = "scenario_file"
        case scenarioSHA256 = "scenario_sha256"
        case scenarioName = "scenario_name"
        case modelVersion = "model_version"
        case seedDerivation = "seed_derivation"
        case gslVersion = "gsl_version"
        case commandLine = "command_line"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    public init(scenarioFile: String, scenarioSHA256: String, scenarioName: String, modelVersion: Int?, seed: UInt64,
                replications: Int, generator: String, jobs: Int, commandLine: [String], startedAt: String,
                finishedAt: String, files: [String], posterior: PosteriorRecord? = nil) {
        self.scenarioFile = scenarioFile
        self.scenarioSHA256 = scenarioSHA256
        self.scenarioName = scenarioName
        self.modelVersion = modelVersion
        self.seed = seed
        self.replications = replications
        self.generator = generator
        self.jobs = jobs
        self.commandLine = commandLine
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.files = files
        self.posterior = posterior
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func text(_ key: CodingKeys) throws -> String { try c.decodeIfPresent(String.self, forKey: key) ?? "" }
        program = try c.decodeIfPresent(String.self, forKey: .program) ?? "lspsim"
        version = try c.decode(String.self, forKey: .version)
        scenarioFile = try c.decode(String.self, forKey: .scenarioFile)
        scenarioSHA256 = try text(.scenarioSHA256)
        scenarioName = try text(.scenarioName)
        modelVersion = try c.decodeIfPresent(Int.self, forKey: .modelVersion)
        seed = try c.decode(UInt64.self, forKey: .seed)
        replications = try c.decode(Int.self, forKey: .replications)
        seedDerivation = try text(.seedDerivation)
        gslVersion = try text(.gslVersion)
        generator = try text(.generator)
        jobs = try c.decodeIfPresent(Int.self, forKey: .jobs) ?? 0
        commandLine = try c.decodeIfPresent([String].self, forKey: .commandLine) ?? []
        startedAt = try text(.startedAt)
        finishedAt = try text(.finishedAt)
        files = try c.decodeIfPresent([String].self, forKey: .files) ?? []
        posterior = try c.decodeIfPresent(PosteriorRecord.self, forKey: .posterior)
    }

    /// Pretty-printed JSON with sorted keys, ending in a newline.
    public func json() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and numbers cannot fail.
        return Array((try! encoder.encode(self))) + [0x0A]
    }
}
