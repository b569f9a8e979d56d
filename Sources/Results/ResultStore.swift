import Foundation
import GRDB
import GRDBSQLite
import PartnershipModel

/// The embedded SQLite results store of a sweep (`results.sqlite`), written through GRDB.
///
/// Tables: `sweep` (one row: file, hashes, seed, version, design), `factors`, `points`,
/// `point_values` (a design point's value of each factor), `runs` (one row per point and
/// replication: status, error and every summary measure), and, where a sweep keeps them, `series`
/// (per run: its indicator values and quarter records as little-endian float64 BLOBs) with
/// `series_layout` (per point: the quarters T and the indicator ids that lay the BLOBs out; see
/// docs/SWEEPS.md; `lspsim export` writes them as tidy CSV). Runs are written in transactions, so that a crash loses at most
/// the batch in flight and a resumed sweep runs only what is missing.
public final class ResultStore: @unchecked Sendable {
    /// A problem with the store.
    public struct StoreError: Error, CustomStringConvertible, Sendable {
        public let message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    public let path: String
    let queue: DatabaseQueue

    /// The summary columns of `runs`, in order (as `summary.csv`).
    public static let measureColumns = [
        "targets_total", "targets_met", "targets_met_share", "mean_progress", "reward_grant", "aligned_share_mean",
        "pooled_total", "overhead_total", "mean_trust_final", "fragmentation",
    ]

    /// Opens (creating if needed) the store at `path`.
    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.journalMode = .wal
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
    }

    /// Whether the store already holds a sweep.
    public func hasSweep() throws -> Bool {
        try queue.read { db in
            try db.tableExists("sweep") && (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sweep") ?? 0) > 0
        }
    }

    // MARK: Schema and set-up

    /// Creates the tables and records the sweep, its factors and its design points, in one transaction.
    public func create(sweep: SweepRecord, factors: [FactorRecord], points: [PointRecord]) throws {
        try queue.write { db in
            try Self.createSchema(db)
            try Self.insertSweep(db, sweep)
            for factor in factors {
                try db.execute(sql: "INSERT INTO factors (factor_id, name, kind) VALUES (?, ?, ?)",
                               arguments: [factor.id, factor.name, factor.kind])
            }
            let point = try db.makeStatement(sql: "INSERT INTO points (point_id, scenario, label) VALUES (?, ?, ?)")
            let value = try db.makeStatement(sql: "INSERT INTO point_values (point_id, factor_id, value, value_number) VALUES (?, ?, ?, ?)")
            for record in points {
                try point.execute(arguments: [record.id, record.scenario, record.label])
                for (factorID, text, number) in record.values {
                    try value.execute(arguments: [record.id, factorID, text, number])
                }
            }
        }
    }

    /// Creates the store's tables and views.
    static func createSchema(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE sweep (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          name TEXT NOT NULL, file TEXT NOT NULL, file_sha256 TEXT NOT NULL,
          scenarios_sha256 TEXT NOT NULL, seed INTEGER NOT NULL, replications INTEGER NOT NULL,
          design TEXT NOT NULL, samples INTEGER, generator TEXT NOT NULL, shard TEXT,
          program_version TEXT NOT NULL, gsl_version TEXT NOT NULL, created_at TEXT NOT NULL);
        CREATE TABLE factors (
          factor_id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL);
        CREATE TABLE points (
          point_id INTEGER PRIMARY KEY, scenario TEXT NOT NULL, label TEXT NOT NULL);
        CREATE TABLE point_values (
          point_id INTEGER NOT NULL REFERENCES points(point_id),
          factor_id INTEGER NOT NULL REFERENCES factors(factor_id),
          value TEXT NOT NULL, value_number REAL,
          PRIMARY KEY (point_id, factor_id)) WITHOUT ROWID;
        CREATE TABLE runs (
          point_id INTEGER NOT NULL REFERENCES points(point_id),
          replication INTEGER NOT NULL,
          seed INTEGER NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
          error TEXT,
          targets_total INTEGER, targets_met INTEGER, targets_met_share REAL, mean_progress REAL,
          reward_grant REAL, aligned_share_mean REAL, pooled_total REAL, overhead_total REAL,
          mean_trust_final REAL, fragmentation REAL,
          PRIMARY KEY (point_id, replication)) WITHOUT ROWID;
        CREATE TABLE series (
          point_id INTEGER NOT NULL, replication INTEGER NOT NULL,
          indicators BLOB, quarters BLOB,
          PRIMARY KEY (point_id, replication));
        CREATE TABLE series_layout (
          point_id INTEGER PRIMARY KEY, quarters INTEGER NOT NULL, indicators TEXT NOT NULL);
        """)
    }

    /// Records the sweep.
    static func insertSweep(_ db: Database, _ sweep: SweepRecord) throws {
        try db.execute(sql: """
        INSERT INTO sweep (id, name, file, file_sha256, scenarios_sha256, seed, replications, design, samples,
                           generator, shard, program_version, gsl_version, created_at)
        VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """, arguments: [sweep.name, sweep.file, sweep.fileSHA256, sweep.scenariosSHA256, Int64(bitPattern: sweep.seed),
                         sweep.replications, sweep.design, sweep.samples, sweep.generator, sweep.shard,
                         sweep.programVersion, sweep.gslVersion, sweep.createdAt])
    }

    /// The recorded sweep, if any.
    public func sweep() throws -> SweepRecord? {
        try queue.read { db in
            guard try db.tableExists("sweep"), let row = try Row.fetchOne(db, sql: "SELECT * FROM sweep WHERE id = 1") else { return nil }
            return SweepRecord(
                name: row["name"], file: row["file"], fileSHA256: row["file_sha256"], scenariosSHA256: row["scenarios_sha256"],
                seed: UInt64(bitPattern: row["seed"] as Int64), replications: row["replications"], design: row["design"],
                samples: row["samples"], generator: row["generator"], shard: row["shard"],
                programVersion: row["program_version"], gslVersion: row["gsl_version"], createdAt: row["created_at"])
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
            let run = try db.cachedStatement(sql: """
                INSERT INTO runs (point_id, replication, seed, status, error, targets_total, targets_met,
                  targets_met_share, mean_progress, reward_grant, aligned_share_mean, pooled_total, overhead_total,
                  mean_trust_final, fragmentation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let series = try db.cachedStatement(sql: "INSERT INTO series (point_id, replication, indicators, quarters) VALUES (?, ?, ?, ?)")
            let layout = try db.cachedStatement(sql: "INSERT OR IGNORE INTO series_layout (point_id, quarters, indicators) VALUES (?, ?, ?)")
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
                    sqlite3_bind_int64(handle, 6, Int64(s.targetsTotal))
                    sqlite3_bind_int64(handle, 7, Int64(s.targetsMet))
                    for (index, value) in [s.targetsMetShare, s.meanProgress, s.rewardGrant, s.alignedShareMean, s.pooledTotal,
                                           s.overheadTotal, s.meanTrustFinal, s.fragmentation].enumerated() {
                        sqlite3_bind_double(handle, Int32(8 + index), value)
                    }
                } else {
                    sqlite3_bind_text(handle, 4, "failed", -1, transient)
                    sqlite3_bind_text(handle, 5, record.error ?? "", -1, transient)
                    for index in 6...15 { sqlite3_bind_null(handle, Int32(index)) }
                }
                let status = sqlite3_step(handle)
                guard status == SQLITE_DONE else {
                    throw StoreError("cannot store run (point \(record.point), replication \(record.replication)): \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
                }
                if let data = record.series {
                    try series.execute(arguments: [record.point, record.replication, data.indicators, data.quarterRecords])
                    try layout.execute(arguments: [record.point, data.quarters, data.indicatorIDs.joined(separator: ",")])
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

    public init(name: String, file: String, fileSHA256: String, scenariosSHA256: String, seed: UInt64, replications: Int,
                design: String, samples: Int?, generator: String, shard: String?, programVersion: String,
                gslVersion: String, createdAt: String) {
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
    public let values: [(factor: Int, text: String, number: Double?)]
    public init(id: Int, scenario: String, label: String, values: [(factor: Int, text: String, number: Double?)]) {
        self.id = id
        self.scenario = scenario
        self.label = label
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
/// `quarterRecords`: 5 x T values: aligned_share, mean_trust, pooled, overhead, engaged, each for
/// quarters 1...T.
public struct SeriesData: Sendable {
    public let quarters: Int
    public let indicatorIDs: [String]
    public let indicators: Data?
    public let quarterRecords: Data?

    /// The quarter-record fields, in their order in `quarterRecords`.
    public static let quarterFields = ["aligned_share", "mean_trust", "pooled", "overhead", "engaged"]

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
