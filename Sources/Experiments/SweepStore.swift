import Foundation
import PartnershipModel
import Results
import ScenarioFile
import Stochastic
import Yams

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
    public static func scenariosDigest(_ plan: SweepPlan) -> String { scenariosDigest(texts: plan.bases.map(\.text)) }

    static func scenariosDigest(texts: [String]) -> String {
        FileHash.sha256(texts.map { FileHash.sha256($0) }.joined(separator: "\n"))
    }

    /// The record that identifies this sweep (and shard) in a store.
    public static func record(_ plan: SweepPlan, shard: Shard?, createdAt: String) -> SweepRecord {
        let spec = plan.spec
        return SweepRecord(
            name: spec.name, file: spec.file, fileSHA256: FileHash.sha256(plan.text),
            scenariosSHA256: scenariosDigest(plan), seed: spec.seed, replications: spec.replications,
            design: spec.design.kind.rawValue, samples: spec.design.samples, generator: spec.generator.rawValue,
            shard: shard?.description, programVersion: LspsimVersion.current, gslVersion: GSL.version, createdAt: createdAt,
            posterior: spec.posterior?.written, posteriorSHA256: spec.posterior?.source.sha256)
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
        let versions = modelVersions(plan)
        return plan.points.enumerated().map { index, point in
            let scenario = URL(fileURLWithPath: plan.spec.scenarios[point.scenario]).lastPathComponent
            let values = [(factor: 1, text: scenario, number: Double?.none)]
                + point.values.enumerated().map { (factor: $0.offset + 2, text: $0.element.label, number: $0.element.number) }
            return PointRecord(id: index + 1, scenario: scenario, label: plan.label(point: index), modelVersion: versions[index], values: values)
        }
    }

    /// The model version each design point's scenario runs (by point index): its `model.version`,
    /// else the default (`ModelVersion.current`). Read from the base scenarios unless a factor sets
    /// the model section or `model.version`, which may set the version per point.
    public static func modelVersions(_ plan: SweepPlan) -> [Int] {
        func version(_ root: Node) -> Int { root["model"]?["version"]?.int ?? ModelVersion.current.rawValue }
        let perBase = plan.bases.map { version($0.root) }
        // Only a factor that sets the model block as a whole or its version can change a point's
        // version (building every point's tree costs seconds in a sweep of thousands of points).
        let perPoint = plan.spec.factors.contains { ["model", "model.version"].contains($0.path.description) }
        return plan.points.indices.map { index in
            guard perPoint, let tree = try? plan.scenarioTree(point: index) else { return perBase[plan.points[index].scenario] }
            return version(tree)
        }
    }

    /// The digest of the base scenarios as they were before a `model.version: 1` was added to
    /// them, if it was (`ModelVersionPin`): such a change keeps a version 1 sweep resumable.
    static func unpinnedScenariosDigest(_ plan: SweepPlan) -> String? {
        let texts = plan.bases.map { ModelVersionPin.removing(from: $0.text) }
        guard texts.contains(where: { $0 != nil }) else { return nil }
        return scenariosDigest(texts: zip(texts, plan.bases).map { $0 ?? $1.text })
    }

    /// How the sweep recorded in `store` (`stored`) differs from `plan` (and `shard`): the sweep
    /// file, a base scenario (a `model.version: 1` pin aside), the shard, the GSL version, the
    /// design or the design points (`SweepFingerprint`). Empty when the store can be continued by
    /// this sweep. The one check of a store's fingerprint, used when resuming and when inspecting
    /// shards; model versions are checked separately, by `open`.
    public static func differences(stored existing: SweepRecord, in store: ResultStore, plan: SweepPlan, shard: Shard?) throws -> [String] {
        let expected = record(plan, shard: shard, createdAt: "")
        var changes = SweepFingerprint.differences(stored: existing, wanted: expected,
                                                   equivalentScenarioDigests: Set([unpinnedScenariosDigest(plan)].compactMap { $0 }))
        if changes.isEmpty {
            let stored = try store.pointLabels(), planned = pointRecords(plan)
            if stored.count != planned.count || planned.contains(where: { stored[$0.id] != $0.label }) {
                changes.append("the design points have changed (another design setting, such as a morris design's levels)")
            }
        }
        return changes
    }

    /// Opens the store for `plan` in `directory` for writing: takes its `WriterLock` first (so a
    /// second writer is refused with `WriterLock.Busy` before anything is touched), then creates
    /// the store or checks that it holds this same sweep, under the same model versions.
    public static func open(plan: SweepPlan, directory: URL, shard: Shard?, mode: Mode) throws -> ResultStore {
        let url = path(directory: directory, shard: shard)
        let manager = FileManager.default
        try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let lock = try WriterLock(store: url.path)
        if manager.fileExists(atPath: url.path) {
            switch mode {
            case .new:
                throw ResultStore.StoreError("\(url.path) already holds results; add --resume to continue that sweep, or --force to delete it and start again")
            case .force:
                for suffix in ["", "-wal", "-shm"] { try? manager.removeItem(atPath: url.path + suffix) }
            case .resume:
                break
            }
        }
        let store = try ResultStore(path: url.path, writerLock: lock)
        let expected = record(plan, shard: shard, createdAt: Timestamp.now())
        guard let existing = try store.sweep() else {
            try store.create(sweep: expected, factors: factorRecords(plan), points: pointRecords(plan))
            return store
        }
        let changes = try differences(stored: existing, in: store, plan: plan, shard: shard)
        let planned = pointRecords(plan)
        guard changes.isEmpty else {
            throw ResultStore.StoreError("cannot resume into \(url.path): \(changes.joined(separator: "; ")) since that sweep started. Resuming would mix results of different sweeps; write to another folder with --out, or start again with --force")
        }
        let wanted = Dictionary(uniqueKeysWithValues: planned.map { ($0.id, $0.modelVersion) })
        if let versions = SweepFingerprint.modelVersionDifference(stored: try store.pointModelVersions(), wanted: wanted) {
            let old = SweepFingerprint.versionsText(versions.stored), new = SweepFingerprint.versionsText(versions.wanted)
            var advice = "start a new store (write to another folder with --out, or start again with --force)"
            if versions.stored == [1] {
                advice += ", or, to finish this sweep under model version 1, set `model: {version: 1}` in its scenario files (\(plan.spec.scenarios.joined(separator: ", "))) and resume again"
            }
            throw ResultStore.StoreError("cannot resume into \(url.path): its runs ran model \(old), and this lspsim would run the same design points under model \(new) (the default model version is now \(ModelVersion.current)). Resuming would mix model versions in one sweep; \(advice)")
        }
        return store
    }

}

/// A `model.version: 1` added to a scenario file to keep running version 1 (SPEC.md), found in the
/// text as it is usually written: `model: {version: 1}`, `version: 1` inside a flow mapping
/// `model: {...}`, or a `version: 1` line in a block mapping under `model:`.
enum ModelVersionPin {
    /// The text without the pin (and without a `model:` left empty by its removal); nil if it has none.
    static func removing(from text: String) -> String? {
        var lines = text.components(separatedBy: "\n")
        guard let modelLine = lines.firstIndex(where: { $0.hasPrefix("model:") }) else { return nil }
        let line = lines[modelLine]
        let rest = line.dropFirst("model:".count).trimmingCharacters(in: .whitespaces)
        if rest.hasPrefix("{") {
            let flow = #/^model:\s*\{\s*version:\s*1\s*\}\s*$/#
            if line.wholeMatch(of: flow) != nil {
                lines.remove(at: modelLine)
            } else if let found = line.firstMatch(of: #/version:\s*1\s*,\s*|,\s*version:\s*1\s*(?=\})/#) {
                lines[modelLine] = line.replacingCharacters(in: found.range, with: "")
            } else {
                return nil
            }
            return lines.joined(separator: "\n")
        }
        guard rest.isEmpty || rest.hasPrefix("#") else { return nil }
        var end = modelLine + 1
        while end < lines.count, lines[end].first == " " || lines[end].trimmingCharacters(in: .whitespaces).isEmpty { end += 1 }
        guard let pin = (modelLine + 1..<end).first(where: { lines[$0].wholeMatch(of: #/\s+version:\s*1\s*(#.*)?/#) != nil }) else {
            return nil
        }
        lines.remove(at: pin)
        let children = (modelLine + 1..<end - 1).filter { !lines[$0].trimmingCharacters(in: .whitespaces).isEmpty }
        if children.isEmpty { lines.remove(at: modelLine) }
        return lines.joined(separator: "\n")
    }
}
