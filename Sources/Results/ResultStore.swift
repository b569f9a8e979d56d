import Foundation
import GRDB
import GRDBSQLite
import PartnershipModel

/// The embedded SQLite results store of a sweep (`results.sqlite`), written through GRDB.
///
/// Tables: `sweep` (one row: file, hashes, seed, version, design), `factors`, `points` (with the
/// model version each point runs), `point_values` (a design point's value of each factor), `runs`
/// (one row per point and replication: status, error and every measure of `RunMeasure.all`; NULL
/// where a measure was not recorded, as `money_moved_share` in stores of lspsim 0.2.0), and, where a sweep keeps them, `series`
/// (per run: its indicator values and quarter records as little-endian float64 BLOBs) with
/// `series_layout` (per point: the quarters T and the indicator ids that lay the BLOBs out; see
/// docs/SWEEPS.md; `lspsim export` writes them as tidy CSV). Runs are written in transactions, so that a crash loses at most
/// the batch in flight and a resumed sweep runs only what is missing. The schema is versioned by
/// named migrations (`StoreSchema`); one process at a time writes a store (`WriterLock`).
public final class ResultStore: @unchecked Sendable {
    /// A problem with the store.
    public struct StoreError: Error, CustomStringConvertible, Sendable {
        public let message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    public let path: String
    let queue: DatabaseQueue
    /// The writer's lock, held while this store is open for writing (nil for readers).
    public let writerLock: WriterLock?

    /// The run measures stored in `runs`, in column order: the catalogue `RunMeasure.all`.
    public static let measures = RunMeasure.all
    /// The summary columns of `runs`, in order (as `summary.csv`).
    public static let measureColumns = RunMeasure.names

    /// Opens (creating if needed) the store at `path` and brings its schema up to date
    /// (`StoreSchema`). A writer passes the store's `WriterLock`, taken before anything is touched,
    /// and the store keeps it until it is released.
    public init(path: String, writerLock: WriterLock? = nil) throws {
        self.path = path
        self.writerLock = writerLock
        var configuration = Configuration()
        configuration.journalMode = .wal
        // Readers and a migration may meet the writer's transaction: wait for it rather than fail.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // 16 KiB pages hold a run's series BLOBs (about 1.8 KB) without wasting most of a page;
            // the setting takes effect only when the file is new.
            try db.execute(sql: "PRAGMA page_size = 16384")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw StoreError("cannot open the results store \(path): \(error)")
        }
        do {
            try StoreSchema.migrate(queue, path: path)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError("cannot bring the results store \(path) up to date: \(error)")
        }
    }

    /// Whether the store already holds a sweep.
    public func hasSweep() throws -> Bool {
        try queue.read { db in
            try db.tableExists("sweep") && (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sweep") ?? 0) > 0
        }
    }

    /// The schema migrations recorded in the store (`StoreSchema.identifiers`).
    public func migrations() throws -> [String] {
        try queue.read(StoreSchema.applied)
    }

    // MARK: Set-up

    /// Records the sweep, its factors and its design points, in one transaction.
    public func create(sweep: SweepRecord, factors: [FactorRecord], points: [PointRecord]) throws {
        try queue.write { db in
            try Self.insertSweep(db, sweep)
            for factor in factors {
                try db.execute(sql: "INSERT INTO factors (factor_id, name, kind) VALUES (?, ?, ?)",
                               arguments: [factor.id, factor.name, factor.kind])
            }
            let point = try db.makeStatement(sql: "INSERT INTO points (point_id, scenario, label, model_version) VALUES (?, ?, ?, ?)")
            let value = try db.makeStatement(sql: "INSERT INTO point_values (point_id, factor_id, value, value_number) VALUES (?, ?, ?, ?)")
            for record in points {
                try point.execute(arguments: [record.id, record.scenario, record.label, record.modelVersion])
                for (factorID, text, number) in record.values {
                    try value.execute(arguments: [record.id, factorID, text, number])
                }
            }
        }
    }

    /// The model version each design point ran (or runs), by point id.
    public func pointModelVersions() throws -> [Int: Int] {
        try queue.read { db in
            var versions: [Int: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT point_id, model_version FROM points") {
                versions[row["point_id"]] = row["model_version"]
            }
            return versions
        }
    }

    /// Records the sweep.
    static func insertSweep(_ db: Database, _ sweep: SweepRecord) throws {
        try db.execute(sql: """
        INSERT INTO sweep (id, name, file, file_sha256, scenarios_sha256, seed, replications, design, samples,
                           generator, shard, program_version, gsl_version, created_at, posterior, posterior_sha256)
        VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """, arguments: [sweep.name, sweep.file, sweep.fileSHA256, sweep.scenariosSHA256, Int64(bitPattern: sweep.seed),
                         sweep.replications, sweep.design, sweep.samples, sweep.generator, sweep.shard,
                         sweep.programVersion, sweep.gslVersion, sweep.createdAt, sweep.posterior, sweep.posteriorSHA256])
    }

    /// The recorded sweep, if any.
    public func sweep() throws -> SweepRecord? {
        try queue.read { db in
            guard try db.tableExists("sweep"), let row = try Row.fetchOne(db, sql: "SELECT * FROM sweep WHERE id = 1") else { return nil }
            return SweepRecord(
                name: row["name"], file: row["file"], fileSHA256: row["file_sha256"], scenariosSHA256: row["scenarios_sha256"],
                seed: UInt64(bitPattern: row["seed"] as Int64), replications: row["replications"], design: row["design"],
                samples: row["samples"], generator: row["generator"], shard: row["shard"],
                programVersion: row["program_version"], gslVersion: row["gsl_version"], createdAt: row["created_at"],
                posterior: row["posterior"], posteriorSHA256: row["posterior_sha256"])
        }
    }

    // MARK: Runs

    /// Marks in `done` (indexed by (point_id - 1) * replications + replication - 1) every stored run.
    public func storedRuns(replications: Int, into done: inout [Bool]) throws {
        try queue.read { db in
            let cursor = try Row.fetchCursor(db, sql: "SELECT point_id, replication FROM runs")
            while let row = try cursor.next() {
                let point: Int = row[0], replication: Int = row[1]
                let index = (point - 1) * replications + replication - 1
                if index >= 0 && index < done.count { done[index] = true }
            }
        }
    }

    /// Number of stored runs, and how many of them failed.
    public func runCounts() throws -> (all: Int, failed: Int) {
        try queue.read { db in
            let all = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs") ?? 0
            let failed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs WHERE status = 'failed'") ?? 0
            return (all, failed)
        }
    }

    /// Writes a batch of runs (and their series) in one transaction.
    public func insert(_ runs: [RunRecord]) throws {
        guard !runs.isEmpty else { return }
        try queue.write { db in
            let measures = Self.measures
            let columns = (["point_id", "replication", "seed", "status", "error"] + measures.map(\.name))
            let run = try db.cachedStatement(sql: "INSERT INTO runs (\(columns.joined(separator: ", "))) VALUES (\(databaseQuestionMarks(count: columns.count)))")
            let series = try db.cachedStatement(sql: "INSERT INTO series (point_id, replication, indicators, quarters) VALUES (?, ?, ?, ?)")
            let layout = try db.cachedStatement(sql: "INSERT OR IGNORE INTO series_layout (point_id, quarters, indicators, quarter_fields) VALUES (?, ?, ?, ?)")
            // Bound through SQLite's C API: this is the hot path of a sweep's writer.
            let handle = run.sqliteStatement
            let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
            for record in runs {
                sqlite3_reset(handle)
                sqlite3_bind_int64(handle, 1, Int64(record.point))
                sqlite3_bind_int64(handle, 2, Int64(record.replication))
                sqlite3_bind_int64(handle, 3, Int64(bitPattern: record.seed))
                if let s = record.summary {
                    sqlite3_bind_text(handle, 4, "ok", -1, transient)
                    sqlite3_bind_null(handle, 5)
                    for (index, measure) in measures.enumerated() {
                        let value = measure.value(in: s), slot = Int32(6 + index)
                        if measure.isCount { sqlite3_bind_int64(handle, slot, Int64(value)) } else { sqlite3_bind_double(handle, slot, value) }
                    }
                } else {
                    sqlite3_bind_text(handle, 4, "failed", -1, transient)
                    sqlite3_bind_text(handle, 5, record.error ?? "", -1, transient)
                    for index in measures.indices { sqlite3_bind_null(handle, Int32(6 + index)) }
                }
                let status = sqlite3_step(handle)
                guard status == SQLITE_DONE else {
                    throw StoreError("cannot store run (point \(record.point), replication \(record.replication)): \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
                }
                if let data = record.series {
                    try series.execute(arguments: [record.point, record.replication, data.indicators, data.quarterRecords])
                    try layout.execute(arguments: [record.point, data.quarters, data.indicatorIDs.joined(separator: ","),
                                                   SeriesData.quarterFields.count])
                }
            }
        }
    }

    /// Runs a read-only block on the database (for statistics and export).
    public func read<T>(_ block: (Database) throws -> T) throws -> T {
        try queue.read(block)
    }
}

/// The row of the `sweep` table.
public struct SweepRecord: Sendable, Equatable {
    public var name: String, file: String, fileSHA256: String, scenariosSHA256: String
    public var seed: UInt64, replications: Int, design: String, samples: Int?, generator: String, shard: String?
    public var programVersion: String, gslVersion: String, createdAt: String
    /// The calibration posterior the sweep draws from (its folder as the sweep file names it) and
    /// the SHA-256 of its posterior.csv; nil for a sweep without one.
    public var posterior: String?, posteriorSHA256: String?

    public init(name: String, file: String, fileSHA256: String, scenariosSHA256: String, seed: UInt64, replications: Int,
                design: String, samples: Int?, generator: String, shard: String?, programVersion: String,
                gslVersion: String, createdAt: String, posterior: String? = nil, posteriorSHA256: String? = nil) {
        self.name = name
        self.file = file
        self.fileSHA256 = fileSHA256
        self.scenariosSHA256 = scenariosSHA256
        self.seed = seed
        self.replications = replications
        self.design = design
        self.samples = samples
        self.generator = generator
        self.shard = shard
        self.programVersion = programVersion
        self.gslVersion = gslVersion
        self.createdAt = createdAt
        self.posterior = posterior
        self.posteriorSHA256 = posteriorSHA256
    }
}

/// A factor as stored.
public struct FactorRecord: Sendable {
    public let id: Int, name: String, kind: String
    public init(id: Int, name: String, kind: String) {
        self.id = id
        self.name = name
        self.kind = kind
    }
}

/// A design point as stored: id, scenario file, label and each factor's value.
public struct PointRecord: Sendable {
    public let id: Int, scenario: String, label: String
    /// The model version (SPEC.md) the point's scenario runs.
    public let modelVersion: Int
    public let values: [(factor: Int, text: String, number: Double?)]
    public init(id: Int, scenario: String, label: String, modelVersion: Int, values: [(factor: Int, text: String, number: Double?)]) {
        self.id = id
        self.scenario = scenario
        self.label = label
        self.modelVersion = modelVersion
        self.values = values
    }
}

/// One run as stored: its summary, or the error that stopped it; series as JSON where kept.
public struct RunRecord: Sendable {
    public let point: Int, replication: Int, seed: UInt64
    public let summary: RunSummary?
    public let error: String?
    /// The run's series, where the sweep keeps them.
    public let series: SeriesData?

    public init(point: Int, replication: Int, seed: UInt64, summary: RunSummary?, error: String?,
                series: SeriesData? = nil) {
        self.point = point
        self.replication = replication
        self.seed = seed
        self.summary = summary
        self.error = error
        self.series = series
    }
}

/// A run's series packed for the store: float64 values, little-endian.
///
/// `indicators`: K x (T + 1) values, indicator by indicator in file order, quarters 0...T.
/// `quarterRecords`: 6 x T values: aligned_share, mean_trust, pooled, overhead, engaged, moved, each
/// for quarters 1...T (stores written before migration 4 hold the first 5; see `forEachSeries`).
public struct SeriesData: Sendable {
    public let quarters: Int
    public let indicatorIDs: [String]
    public let indicators: Data?
    public let quarterRecords: Data?

    /// The quarter-record fields, in their order in `quarterRecords`.
    public static let quarterFields = ["aligned_share", "mean_trust", "pooled", "overhead", "engaged", "moved"]

    public init(quarters: Int, indicatorIDs: [String], indicators: [Double]?, quarterRecords: [Double]?) {
        self.quarters = quarters
        self.indicatorIDs = indicatorIDs
        self.indicators = indicators.map(Self.pack)
        self.quarterRecords = quarterRecords.map(Self.pack)
    }

    public static func pack(_ values: [Double]) -> Data {
        #if _endian(little)
        return values.withUnsafeBytes { Data($0) }
        #else
        return values.map(\.bitPattern.littleEndian).withUnsafeBytes { Data($0) }
        #endif
    }

    public static func unpack(_ data: Data) -> [Double] {
        var bits = [UInt64](repeating: 0, count: data.count / 8)
        bits.withUnsafeMutableBytes { _ = data.copyBytes(to: $0) }
        return bits.map { Double(bitPattern: UInt64(littleEndian: $0)) }
    }
}
