import Foundation

/// Whether a stored sweep is the sweep at hand: the one comparison of sweep records used to resume
/// a store, to check a shard before its task continues it, and to merge shards.
///
/// Two records are the same sweep when the sweep file, the base scenarios, the posterior's
/// posterior.csv (where the sweep draws from one), seed, replications, design, generator and GSL
/// version agree, and (where asked) they hold the same shard. The
/// schema's version is not compared: stores are migrated (`StoreSchema`). The model version each
/// design point ran is compared separately (`modelVersionDifference`), from the points table.
public enum SweepFingerprint {
    /// What `stored` holds that differs from `wanted`, in words (empty: the same sweep).
    ///
    /// - Parameters:
    ///   - compareShard: whether the two must hold the same shard (false between shards of one sweep).
    ///   - equivalentScenarioDigests: other digests of the base scenarios that count as unchanged.
    public static func differences(stored: SweepRecord, wanted: SweepRecord, compareShard: Bool = true,
                                   equivalentScenarioDigests: Set<String> = []) -> [String] {
        var changes: [String] = []
        if stored.fileSHA256 != wanted.fileSHA256 { changes.append("the sweep file has changed") }
        if stored.scenariosSHA256 != wanted.scenariosSHA256 && !equivalentScenarioDigests.contains(stored.scenariosSHA256) {
            changes.append("a base scenario file has changed")
        }
        if stored.posteriorSHA256 != wanted.posteriorSHA256 {
            switch (stored.posteriorSHA256, wanted.posteriorSHA256) {
            case (nil, _): changes.append("the sweep now draws from a posterior (\(wanted.posterior ?? "")), which it did not")
            case (_, nil): changes.append("the sweep no longer draws from its posterior (\(stored.posterior ?? ""))")
            default: changes.append("the posterior (\(wanted.posterior ?? "")/posterior.csv) has changed: its SHA-256 differs (a calibration was run again into that folder?)")
            }
        }
        if stored.seed != wanted.seed { changes.append("the seed has changed from \(stored.seed) to \(wanted.seed)") }
        if stored.replications != wanted.replications {
            changes.append("the replications have changed from \(stored.replications) to \(wanted.replications)")
        }
        // The design can differ with the same file when it is given on the command line (`lspsim sensitivity`).
        if stored.design != wanted.design || stored.samples != wanted.samples {
            changes.append("the design has changed from a \(designText(stored)) to a \(designText(wanted))")
        }
        if stored.generator != wanted.generator { changes.append("the generator has changed from \(stored.generator) to \(wanted.generator)") }
        if stored.gslVersion != wanted.gslVersion { changes.append("it was written with GSL \(stored.gslVersion), this is \(wanted.gslVersion)") }
        if compareShard && stored.shard != wanted.shard {
            changes.append("it holds \(shardText(stored.shard)), not \(shardText(wanted.shard))")
        }
        return changes
    }

    /// Where design points' model versions differ between `stored` and `wanted` (point id to
    /// version): the versions on each side, in order, or nil if every point shared by both agrees.
    public static func modelVersionDifference(stored: [Int: Int], wanted: [Int: Int]) -> (stored: [Int], wanted: [Int])? {
        let differing = stored.keys.filter { point in wanted[point].map { $0 != stored[point] } ?? false }
        guard !differing.isEmpty else { return nil }
        return (Set(differing.map { stored[$0]! }).sorted(), Set(differing.map { wanted[$0]! }).sorted())
    }

    /// "version 1" or "versions 1 and 2".
    public static func versionsText(_ versions: [Int]) -> String {
        versions.count == 1 ? "version \(versions[0])" : "versions " + versions.map(String.init).joined(separator: " and ")
    }

    static func designText(_ record: SweepRecord) -> String {
        record.design + (record.samples.map { " design of \($0) samples" } ?? " design")
    }

    static func shardText(_ shard: String?) -> String { shard.map { "shard \($0)" } ?? "the whole sweep" }
}
