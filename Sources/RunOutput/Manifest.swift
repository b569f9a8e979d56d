import Foundation
import PartnershipModel
import ScenarioFile
import Stochastic

/// `manifest.json`: what produced a run folder, so that it can be reproduced.
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

    enum CodingKeys: String, CodingKey {
        case program, version, seed, replications, generator, jobs, files
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

    /// Pretty-printed JSON with sorted keys, ending in a newline.
    public func json() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and numbers cannot fail.
        return Array((try! encoder.encode(self))) + [0x0A]
    }


}
