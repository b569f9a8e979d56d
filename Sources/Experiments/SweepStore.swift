import Foundation
import PartnershipModel
import Results
import ScenarioFile
import Stochastic

/// Opens the results store of a sweep (or of one shard), creating it or checking that it belongs
/// to the same, unchanged sweep before resuming.
public enum SweepStore {
    public enum Mode: Sendable {
        /// Refuse to touch an existing store.
        case new
        /// Continue an existing store (or start one).
        case resume
        /// Delete an existing store and start again.
        case force
    }

    /// `DIR/results.sqlite`, or `DIR/shards/shard-I-of-N.sqlite` for a shard.
    public static func path(directory: URL, shard: Shard?) -> URL {
        guard let shard else { return directory.appendingPathComponent("results.sqlite") }
        return directory.appendingPathComponent("shards/shard-\(shard.index)-of-\(shard.count).sqlite")
    }

    /// The SHA-256 of the base scenarios' texts, joined in order.
    public static func scenariosDigest(_ plan: SweepPlan) -> String {
        FileHash.sha256(plan.bases.map { FileHash.sha256($0.text) }.joined(separator: "\n"))
    }

    /// The record that identifies this sweep (and shard) in a store.
    public static func record(_ plan: SweepPlan, shard: Shard?, createdAt: String) -> SweepRecord {
        let spec = plan.spec
        return SweepRecord(
            name: spec.name, file: spec.file, fileSHA256: FileHash.sha256(plan.text),
            scenariosSHA256: scenariosDigest(plan), seed: spec.seed, replications: spec.replications,
            design: spec.design.kind.rawValue, samples: spec.design.samples, generator: spec.generator.rawValue,
            shard: shard?.description, programVersion: LspsimVersion.current, gslVersion: GSL.version, createdAt: createdAt)
    }

    /// The stored factors: `scenario` first, then the sweep's factors in file order.
    public static func factorRecords(_ plan: SweepPlan) -> [FactorRecord] {
        [FactorRecord(id: 1, name: "scenario", kind: "scenario")]
            + plan.spec.factors.enumerated().map { index, factor in
                let kind: String
                switch factor.domain {
                case .values: kind = "values"
                case let .range(_, _, integer, _): kind = integer ? "integer_range" : "range"
                }
                return FactorRecord(id: index + 2, name: factor.name, kind: kind)
            }
    }

    public static func pointRecords(_ plan: SweepPlan) -> [PointRecord] {
        plan.points.enumerated().map { index, point in
            let scenario = URL(fileURLWithPath: plan.spec.scenarios[point.scenario]).lastPathComponent
            let values = [(factor: 1, text: scenario, number: Double?.none)]
                + point.values.enumerated().map { (factor: $0.offset + 2, text: $0.element.label, number: $0.element.number) }
            return PointRecord(id: index + 1, scenario: scenario, label: plan.label(point: index), values: values)
        }
    }

    /// How the sweep recorded in `store` (`stored`) differs from `plan` (and `shard`): the sweep
    /// file, a base scenario, the shard, the lspsim or GSL version, the design, or the design
    /// points. Empty when the store can be continued by this sweep. The one check of a store's
    /// fingerprint, used when resuming and when inspecting shards.
    public static func differences(stored existing: SweepRecord, in store: ResultStore, plan: SweepPlan, shard: Shard?) throws -> [String] {
        let expected = record(plan, shard: shard, createdAt: "")
        var changes: [String] = []
        if existing.fileSHA256 != expected.fileSHA256 { changes.append("the sweep file has changed") }
        if existing.scenariosSHA256 != expected.scenariosSHA256 { changes.append("a base scenario file has changed") }
        if existing.shard != expected.shard { changes.append("it holds shard \(existing.shard ?? "none"), not \(expected.shard ?? "the whole sweep")") }
        if existing.programVersion != expected.programVersion { changes.append("it was written by lspsim \(existing.programVersion), this is \(expected.programVersion)") }
        if existing.gslVersion != expected.gslVersion { changes.append("it was written with GSL \(existing.gslVersion), this is \(expected.gslVersion)") }
        // The design can differ with the same file when it is given on the command line (`lspsim sensitivity`).
        func design(_ record: SweepRecord) -> String { record.design + (record.samples.map { " design of \($0) samples" } ?? " design") }
        if existing.design != expected.design || existing.samples != expected.samples {
            changes.append("the design has changed from a \(design(existing)) to a \(design(expected))")
        } else if changes.isEmpty {
            let stored = try store.pointLabels(), planned = pointRecords(plan)
            if stored.count != planned.count || planned.contains(where: { stored[$0.id] != $0.label }) {
                changes.append("the design points have changed (another design setting, such as a morris design's levels)")
            }
        }
        return changes
    }

    /// Opens the store for `plan` in `directory`.
    public static func open(plan: SweepPlan, directory: URL, shard: Shard?, mode: Mode) throws -> ResultStore {
        let url = path(directory: directory, shard: shard)
        let manager = FileManager.default
        try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let exists = manager.fileExists(atPath: url.path)
        if exists {
            switch mode {
            case .new:
                throw ResultStore.StoreError("\(url.path) already holds results; add --resume to continue that sweep, or --force to delete it and start again")
            case .force:
                for suffix in ["", "-wal", "-shm"] { try? manager.removeItem(atPath: url.path + suffix) }
            case .resume:
                break
            }
        }
        let store = try ResultStore(path: url.path)
        let expected = record(plan, shard: shard, createdAt: Timestamp.now())
        if let existing = try store.sweep() {
            let changes = try differences(stored: existing, in: store, plan: plan, shard: shard)
            guard changes.isEmpty else {
                throw ResultStore.StoreError("cannot resume into \(url.path): \(changes.joined(separator: "; ")) since that sweep started. Resuming would mix results of different sweeps; write to another folder with --out, or start again with --force")
            }
        } else {
            try store.create(sweep: expected, factors: factorRecords(plan), points: pointRecords(plan))
        }
        return store
    }
}
