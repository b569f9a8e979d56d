import Foundation
import GRDB
import PartnershipModel

/// The results store's schema as named, ordered migrations (GRDB's `DatabaseMigrator`), recorded
/// in the store's `grdb_migrations` table.
///
/// A migration, once released, never changes: a later schema is a new migration appended to the
/// list. Stores written by lspsim 0.2.0 have no `grdb_migrations` table; their layout is exactly
/// migration 1's, so they are recognised by their tables and columns and recorded as having
/// migration 1 applied. A store that records a migration this binary does not know was written by
/// a newer lspsim and is refused.
public enum StoreSchema {
    /// Migration 1: the layout of lspsim 0.2.0.
    public static let initial = "1-initial-schema"
    /// Migration 2: `runs.money_moved_share` and `points.model_version`.
    public static let moneyMovedAndModelVersion = "2-money-moved-share-and-model-version"
    /// Migration 3: `sweep.posterior` and `sweep.posterior_sha256` (a calibration's posterior).
    public static let sweepPosterior = "3-sweep-posterior"
    /// Migration 4: `series_layout.quarter_fields`, the number of quarter-record fields in a
    /// point's `series.quarters` BLOBs: 6 from now on (`moved` last), 5 in BLOBs stored before.
    public static let quarterSeriesMoved = "4-quarter-series-moved"
    /// Every migration, in order.
    public static var identifiers: [String] { migrator.migrations }

    /// The tables of migration 1, as lspsim 0.2.0 created them.
    static let initialTables = ["sweep", "factors", "points", "point_values", "runs", "series", "series_layout"]
    /// The columns of `runs` in migration 1, in order.
    static let initialRunColumns = [
        "point_id", "replication", "seed", "status", "error", "targets_total", "targets_met", "targets_met_share",
        "mean_progress", "reward_grant", "aligned_share_mean", "pooled_total", "overhead_total", "mean_trust_final",
        "fragmentation",
    ]

    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(initial) { db in
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
        migrator.registerMigration(moneyMovedAndModelVersion) { db in
            // Runs stored before keep NULL: their money moved was never recorded (not 0). Points
            // stored before ran model version 1, the only version there was.
            try db.execute(sql: """
            ALTER TABLE runs ADD COLUMN money_moved_share REAL;
            ALTER TABLE points ADD COLUMN model_version INTEGER NOT NULL DEFAULT 1;
            """)
        }
        migrator.registerMigration(sweepPosterior) { db in
            // The posterior a sweep draws calibrated fields from (its folder as the sweep file names
            // it, and posterior.csv's SHA-256); NULL for sweeps without one, as every sweep before.
            try db.execute(sql: """
            ALTER TABLE sweep ADD COLUMN posterior TEXT;
            ALTER TABLE sweep ADD COLUMN posterior_sha256 TEXT;
            """)
        }
        migrator.registerMigration(quarterSeriesMoved) { db in
            // Series stored before hold the 5 fields aligned_share ... engaged: their money moved
            // per quarter was never recorded.
            try db.execute(sql: "ALTER TABLE series_layout ADD COLUMN quarter_fields INTEGER NOT NULL DEFAULT 5")
        }
        return migrator
    }()

    /// Brings the store at `path` to the latest schema: creates it if empty, adopts a 0.2.0 store,
    /// applies missing migrations; refuses a store of a newer lspsim or a database that is not a store.
    static func migrate(_ queue: DatabaseQueue, path: String) throws {
        // An up-to-date store is only read: opening it never waits for (or blocks) its writer.
        let upToDate = try queue.read { db in
            try db.tableExists("grdb_migrations") && migrator.hasCompletedMigrations(db) && !migrator.hasBeenSuperseded(db)
        }
        if upToDate { return }
        try queue.write { db in try adoptUnrecorded(db, path: path) }
        let unknown = try queue.read { db in try migrator.appliedIdentifiers(db).subtracting(migrator.migrations) }
        guard unknown.isEmpty else {
            throw ResultStore.StoreError("\(path) was written by a newer lspsim: it records the schema migration(s) \(unknown.sorted().joined(separator: ", ")), which this lspsim \(LspsimVersion.current) does not know (it knows \(migrator.migrations.joined(separator: ", "))). Read it with the newer lspsim, or write this sweep to another folder")
        }
        try migrator.migrate(queue)
    }

    /// Records migration 1 as applied to a store written by lspsim 0.2.0 (its tables, no
    /// `grdb_migrations`), after checking that its layout is exactly migration 1's. Refuses a
    /// database that holds other tables and no migrations: it is not a results store.
    static func adoptUnrecorded(_ db: Database, path: String) throws {
        guard try !db.tableExists("grdb_migrations") else { return }
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        guard !tables.isEmpty else { return }
        let runColumns = try db.tableExists("runs") ? try db.columns(in: "runs").map(\.name) : []
        guard tables == initialTables.sorted(), runColumns == initialRunColumns else {
            throw ResultStore.StoreError("\(path) is not an lspsim results store: it holds the tables \(tables.joined(separator: ", ")) and records no schema migrations")
        }
        try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
        try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [initial])
    }

    /// The migrations recorded in the store, in the order this binary knows them (unknown ones last).
    public static func applied(_ db: Database) throws -> [String] {
        let applied = try migrator.appliedIdentifiers(db)
        return migrator.migrations.filter(applied.contains) + applied.subtracting(migrator.migrations).sorted()
    }
}
