import PartnershipModel
import RunOutput
import ScenarioFile
import Stochastic

/// A scenario that could not be run: it did not load, a replication's draws were out of range, or
/// GSL failed. (The builders write files that load; this names what went wrong if one does not.)
public struct TrialFailure: Error, Sendable, CustomStringConvertible {
    public let description: String
}

/// Runs a scenario given as YAML text with the real simulator and reports the mean share of LAA
/// targets met: the measure `lspsim new` calibrates to and `lspsim assess` compares.
///
/// Replication r of seed S sees the same random draws in every trial (common random numbers), so
/// two trials of different scenarios with the same seed and replications are paired.
public struct ScenarioTrial: Sendable {
    public var seed: UInt64
    public var replications: Int
    public var jobs: Int

    public init(seed: UInt64 = 1, replications: Int = 200, jobs: Int = 1) {
        self.seed = seed
        self.replications = max(1, replications)
        self.jobs = max(1, jobs)
    }

    /// The checked template of a scenario text.
    public static func template(_ yaml: String, file: String) throws(TrialFailure) -> ScenarioTemplate {
        do {
            return try ScenarioLoader.parse(yaml: yaml, file: file)
        } catch {
            throw TrialFailure(description: "the scenario does not load: \(error.description)")
        }
    }

    /// Each replication's share of LAA targets met, in replication order.
    public func targetShares(_ yaml: String, file: String) throws(TrialFailure) -> [Double] {
        let template = try ScenarioTrial.template(yaml, file: file)
        let settings = RunSettings(seed: seed, replications: replications, generator: .standard,
                                   jobs: min(jobs, replications), formatRows: false)
        let runner: ReplicationRunner
        do { runner = try ReplicationRunner(template: template, settings: settings) } catch {
            throw TrialFailure(description: "GSL: \(error)")
        }
        var shares: [Double] = []
        let failures = runner.run { shares.append($0.summary.targetsMetShare) }
        if let first = failures.first {
            throw TrialFailure(description: "\(failures.count) replication(s) failed; first: \(first.description)")
        }
        return shares
    }

    /// The mean share of LAA targets met over the replications.
    public func meanTargetShare(_ yaml: String, file: String) throws(TrialFailure) -> Double {
        let shares = try targetShares(yaml, file: file)
        return shares.reduce(0, +) / Double(shares.count)
    }
}
