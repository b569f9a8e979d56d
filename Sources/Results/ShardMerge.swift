import Foundation
import GRDB
import PartnershipModel

/// Combines the shard stores of a sweep (`DIR/shards/shard-I-of-N.sqlite`) into `DIR/results.sqlite`.
///
/// Safe to run again at any time: runs are keyed by (point, replication) and copied with
/// `INSERT OR IGNORE`, so nothing is lost or duplicated; a run stored with different numbers in two
/// places is reported as a conflict. The report says which runs of the design are missing or
/// failed, and in which shard.
public enum ShardMerge {
    public struct Report: Sendable {
        /// Shard files found, in shard order.
        public let shards: [String]
        public let shardCount: Int
        /// Runs of the whole design, and runs now in results.sqlite.
        public let expected: Int, merged: Int
        /// Runs copied by this merge.
        public let added: Int
        /// Missing runs by shard index (1-based): count and a few examples (point, replication).
        public let missing: [Int: (count: Int, examples: [(point: Int, replication: Int)])]
        /// Failed runs by shard index.
        public let failed: [Int: Int]
        /// Shard indices with no file at all.
        public let absentShards: [Int]
        public var complete: Bool { merged == expected }
    }

    public struct MergeError: Error, CustomStringConvertible, Sendable {
        public let message: String
        public var description: String { message }
    }

    /// (I, N) of a file named `shard-I-of-N.sqlite`.
    static func shardNumbers(_ name: String) -> (Int, Int)? {
        guard name.hasPrefix("shard-"), name.hasSuffix(".sqlite") else { return nil }
        let middle = name.dropFirst("shard-".count).dropLast(".sqlite".count)
        let parts = middle.components(separatedBy: "-of-")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), i >= 1, i <= n else { return nil }
        return (i, n)
    }

    public static func merge(directory: URL) throws -> Report {
        let shardsFolder = directory.appendingPathComponent("shards")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: shardsFolder.path)) ?? []
        var found: [(index: Int, count: Int, path: String)] = []
        for name in names {
            if let (i, n) = shardNumbers(name) {
                found.append((i, n, shardsFolder.appendingPathComponent(name).path))
            }
        }
        guard !found.isEmpty else {
            throw MergeError(message: "\(shardsFolder.path) holds no shard stores (shard-I-of-N.sqlite); run `lspsim sweep SWEEP --shard I/N --out \(directory.path)` first")
        }
        let counts = Set(found.map(\.count))
        guard counts.count == 1, let shardCount = counts.first else {
            throw MergeError(message: "\(shardsFolder.path) mixes shards of different partitions (of \(counts.sorted().map(String.init).joined(separator: ", "))); keep one partition's files")
        }
        found.sort { $0.index < $1.index }

        // Every shard must hold the same sweep, its points run under the same model versions.
        var reference: (record: SweepRecord, versions: [Int: Int])?
        for shard in found {
            let store = try ResultStore(path: shard.path)
            guard let record = try store.sweep() else {
                throw MergeError(message: "\(shard.path) is not an lspsim results store")
            }
            let versions = try store.pointModelVersions()
            if let reference {
                var changes = SweepFingerprint.differences(stored: record, wanted: reference.record, compareShard: false)
                if let versions = SweepFingerprint.modelVersionDifference(stored: versions, wanted: reference.versions) {
                    changes.append("its design points ran model \(SweepFingerprint.versionsText(versions.stored)), not \(SweepFingerprint.versionsText(versions.wanted))")
                }
                guard changes.isEmpty else {
                    throw MergeError(message: "\(shard.path) holds a different sweep from \(found[0].path) (\(changes.joined(separator: "; "))); shards of one sweep only can be merged")
                }
            } else {
                reference = (record, versions)
            }
        }
        var whole = reference!.record
        whole.shard = nil
        whole.createdAt = Timestamp.now()

        let target = directory.appendingPathComponent("results.sqlite")
        // One writer per store: a second merge (or a sweep) into the same folder is refused at once.
        let store = try ResultStore(path: target.path, writerLock: WriterLock(store: target.path))
        if let existing = try store.sweep() {
            var changes = SweepFingerprint.differences(stored: existing, wanted: whole)
            if let versions = SweepFingerprint.modelVersionDifference(stored: try store.pointModelVersions(), wanted: reference!.versions) {
                changes.append("its design points ran model \(SweepFingerprint.versionsText(versions.stored)), not \(SweepFingerprint.versionsText(versions.wanted))")
            }
            guard changes.isEmpty else {
                throw MergeError(message: "\(target.path) already holds a different sweep (\(changes.joined(separator: "; "))); merge into another folder or remove it")
            }
        }
        let runColumns = (["point_id", "replication", "seed", "status", "error"] + ResultStore.measureColumns).joined(separator: ", ")
        // A run stored in two places must agree in every column.
        let differs = (["status", "seed", "error"] + ResultStore.measureColumns).map { "s.\($0) IS NOT m.\($0)" }.joined(separator: " OR ")
        var added = 0
        try store.queue.writeWithoutTransaction { db in
            for shard in found {
                try db.execute(sql: "ATTACH DATABASE ? AS shard", arguments: [shard.path])
                defer { try? db.execute(sql: "DETACH DATABASE shard") }
                try db.inTransaction {
                    if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM main.sweep") == 0 {
                        try ResultStore.insertSweep(db, whole)
                        try db.execute(sql: "INSERT INTO main.factors (factor_id, name, kind) SELECT factor_id, name, kind FROM shard.factors")
                        try db.execute(sql: "INSERT INTO main.points (point_id, scenario, label, model_version) SELECT point_id, scenario, label, model_version FROM shard.points")
                        try db.execute(sql: "INSERT INTO main.point_values (point_id, factor_id, value, value_number) SELECT point_id, factor_id, value, value_number FROM shard.point_values")
                    }
                    let conflicts = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM shard.runs s JOIN main.runs m USING (point_id, replication) WHERE \(differs)") ?? 0
                    guard conflicts == 0 else {
                        throw MergeError(message: "\(shard.path) holds \(conflicts) runs whose numbers differ from those already merged; these cannot come from the same sweep")
                    }
                    try db.execute(sql: "INSERT OR IGNORE INTO main.runs (\(runColumns)) SELECT \(runColumns) FROM shard.runs")
                    added += db.changesCount
                    try db.execute(sql: "INSERT OR IGNORE INTO main.series (point_id, replication, indicators, quarters) SELECT point_id, replication, indicators, quarters FROM shard.series")
                    try db.execute(sql: "INSERT OR IGNORE INTO main.series_layout (point_id, quarters, indicators, quarter_fields) SELECT point_id, quarters, indicators, quarter_fields FROM shard.series_layout")
                    return .commit
                }
            }
        }

        // Completeness: every (point, replication) of the design, exactly once (the key ensures once).
        let points = try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM points") ?? 0 }
        let replications = whole.replications
        var present = [Bool](repeating: false, count: points * replications)
        try store.storedRuns(replications: replications, into: &present)
        var missing: [Int: (count: Int, examples: [(point: Int, replication: Int)])] = [:]
        for run in 0..<present.count where !present[run] {
            let shard = run % shardCount + 1
            var entry = missing[shard] ?? (0, [])
            entry.count += 1
            if entry.examples.count < 3 { entry.examples.append((run / replications + 1, run % replications + 1)) }
            missing[shard] = entry
        }
        var failed: [Int: Int] = [:]
        try store.read { db in
            let cursor = try Row.fetchCursor(db, sql: "SELECT point_id, replication FROM runs WHERE status = 'failed'")
            while let row = try cursor.next() {
                let run = ((row[0] as Int) - 1) * replications + (row[1] as Int) - 1
                failed[run % shardCount + 1, default: 0] += 1
            }
        }
        let merged = present.filter { $0 }.count
        let absent = Set(1...shardCount).subtracting(found.map(\.index)).sorted()
        return Report(shards: found.map(\.path), shardCount: shardCount, expected: points * replications, merged: merged,
                      added: added, missing: missing, failed: failed, absentShards: absent)
    }
}
