import ABC
import Foundation
import GRDB

/// The SQLite store of a calibration (`calibration.sqlite`): every complete generation's particles,
/// weights, distances and tolerance, so that an interrupted calibration resumes after its last
/// complete generation. A generation is written in one transaction.
public final class CalibrationStore {
    public let path: String
    let queue: DatabaseQueue

    /// Opens (creating and migrating if needed) the store at `path`.
    public init(path: String) throws {
        self.path = path
        queue = try DatabaseQueue(path: path)
        try Self.migrator.migrate(queue)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "calibration") { t in
                t.column("key", .text).primaryKey()
                t.column("value", .text).notNull()
            }
            try db.create(table: "generations") { t in
                t.column("generation", .integer).primaryKey()
                // NULL stands for +infinity (generation 0).
                t.column("tolerance", .double)
                t.column("simulations", .integer).notNull()
                t.column("proposals", .integer).notNull()
                t.column("seconds", .double).notNull()
                t.column("acceptance_rate", .double).notNull()
                t.column("ess", .double).notNull()
            }
            try db.create(table: "particles") { t in
                t.column("generation", .integer).notNull().references("generations", onDelete: .cascade)
                t.column("slot", .integer).notNull()
                t.column("weight", .double).notNull()
                t.column("distance", .double).notNull()
                /// Parameter values in parameter order, comma-separated, each round-tripping a Double.
                t.column("parameters", .text).notNull()
                t.primaryKey(["generation", "slot"])
            }
        }
        return migrator
    }

    /// The recorded fingerprint of the calibration (what must not change on resume), if any.
    public func fingerprint() throws -> String? {
        try queue.read { db in try String.fetchOne(db, sql: "SELECT value FROM calibration WHERE key = 'fingerprint'") }
    }

    /// Records the calibration's fingerprint and parameter names.
    public func begin(fingerprint: String, parameters: [String]) throws {
        try queue.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO calibration (key, value) VALUES ('fingerprint', ?), ('parameters', ?)",
                           arguments: [fingerprint, parameters.joined(separator: "\n")])
        }
    }

    /// Removes every generation (a fresh start in the same folder).
    public func clear() throws {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM particles")
            try db.execute(sql: "DELETE FROM generations")
            try db.execute(sql: "DELETE FROM calibration")
        }
    }

    /// Stores a complete generation.
    public func insert(_ population: ABCPopulation) throws {
        try queue.write { db in
            try db.execute(
                sql: "INSERT INTO generations (generation, tolerance, simulations, proposals, seconds, acceptance_rate, ess) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [population.generation, population.tolerance.isFinite ? population.tolerance : nil,
                            population.simulations, population.proposals, population.seconds,
                            population.acceptanceRate, population.effectiveSampleSize])
            let statement = try db.makeStatement(sql: "INSERT INTO particles (generation, slot, weight, distance, parameters) VALUES (?, ?, ?, ?, ?)")
            for j in population.particles.indices {
                try statement.execute(arguments: [population.generation, j, population.weights[j], population.distances[j],
                                                  population.particles[j].map { "\($0)" }.joined(separator: ",")])
            }
        }
    }

    /// Every stored generation, in order.
    public func generations() throws -> [ABCPopulation] {
        try queue.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM generations ORDER BY generation")
            return try rows.map { row in
                let g: Int = row["generation"]
                let particles = try Row.fetchAll(db, sql: "SELECT weight, distance, parameters FROM particles WHERE generation = ? ORDER BY slot", arguments: [g])
                let tolerance: Double? = row["tolerance"]
                return ABCPopulation(
                    generation: g, tolerance: tolerance ?? .infinity,
                    particles: particles.map { ($0["parameters"] as String).split(separator: ",").map { Double($0)! } },
                    weights: particles.map { $0["weight"] }, distances: particles.map { $0["distance"] },
                    simulations: row["simulations"], proposals: row["proposals"], seconds: row["seconds"])
            }
        }
    }

    /// The last complete generation, if any.
    public func lastGeneration() throws -> ABCPopulation? { try generations().last }
}
