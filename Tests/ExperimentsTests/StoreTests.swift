import Foundation
import GRDB
import Testing
@testable import Experiments
import PartnershipModel
import Results
import ScenarioFile

/// The tables of a store written by lspsim 0.2.0, exactly as its `ResultStore.createSchema` created
/// them (`git show dcf7c04:Sources/Results/ResultStore.swift`).
let schema020 = """
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
    """

/// Writes at `path` a store as lspsim 0.2.0 wrote it, with the sweep, points and runs of the store
/// at `source` (the runs for which `keep` holds), its sweep row's scenario digest replaced by
/// `scenariosSHA256` where given.
func write020Store(at path: String, from source: String, scenariosSHA256: String? = nil,
                   keep: String = "1") throws {
    let queue = try DatabaseQueue(path: path)
    try queue.writeWithoutTransaction { db in
        try db.execute(sql: schema020)
        try db.execute(sql: "ATTACH DATABASE ? AS new", arguments: [source])
        try db.execute(sql: "INSERT INTO sweep SELECT id, name, file, file_sha256, scenarios_sha256, seed, replications, design, samples, generator, shard, '0.2.0', gsl_version, created_at FROM new.sweep")
        if let scenariosSHA256 { try db.execute(sql: "UPDATE sweep SET scenarios_sha256 = ?", arguments: [scenariosSHA256]) }
        try db.execute(sql: "INSERT INTO factors SELECT factor_id, name, kind FROM new.factors")
        try db.execute(sql: "INSERT INTO points SELECT point_id, scenario, label FROM new.points")
        try db.execute(sql: "INSERT INTO point_values SELECT * FROM new.point_values")
        try db.execute(sql: """
            INSERT INTO runs SELECT point_id, replication, seed, status, error, targets_total, targets_met, targets_met_share,
              mean_progress, reward_grant, aligned_share_mean, pooled_total, overhead_total, mean_trust_final, fragmentation
            FROM new.runs WHERE \(keep)
            """)
        try db.execute(sql: "DETACH DATABASE new")
    }
}

/// A sweep over a copy of the shipped unitary scenario (so that the copy can be edited).
struct CopiedScenarioSweep {
    let folder: URL
    let scenario: URL
    let sweepPath: String
    let original: String

    init(keepQuarters: Bool = false) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lspsim-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        scenario = folder.appendingPathComponent("unitary.yaml")
        // The shipped scenario names its version (2); without that line it is a scenario that, like
        // every 0.2.0 scenario, names none (and so runs the default, version 2).
        let shipped = try String(contentsOf: packageRoot.appendingPathComponent("scenarios/unitary.yaml"), encoding: .utf8)
        original = shipped.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("  version: 2") }.joined(separator: "\n")
        precondition(original != shipped, "the shipped unitary.yaml no longer names model.version 2")
        try original.write(to: scenario, atomically: true, encoding: .utf8)
        sweepPath = folder.appendingPathComponent("sweep.yaml").path
        try """
            name: store test
            scenarios: [unitary.yaml]
            replications: 3
            seed: 5
            factors:
              - path: governance.pooled_fraction
                values: [0, 0.05]
            outputs: {quarters: \(keepQuarters)}
            """.write(toFile: sweepPath, atomically: true, encoding: .utf8)
    }

    /// The scenario with `model.version: 1` added under its `model:` block.
    var pinned: String { original.replacingOccurrences(of: "\nmodel:\n", with: "\nmodel:\n  version: 1\n") }

    func setScenario(_ text: String) throws { try text.write(to: scenario, atomically: true, encoding: .utf8) }

    /// Runs the whole sweep into `name` (mode `mode`) and closes the writer; returns the store.
    @discardableResult
    func run(into name: String, mode: SweepStore.Mode = .new) throws -> ResultStore {
        let plan = try SweepLoader.load(path: sweepPath)
        let store = try SweepStore.open(plan: plan, directory: folder.appendingPathComponent(name), shard: nil, mode: mode)
        _ = try SweepRunner(plan: plan, store: store, jobs: 1).run(progress: nil, stop: StopRequest())
        store.writerLock?.release()
        return store
    }

    func store(_ name: String) -> String { folder.appendingPathComponent("\(name)/results.sqlite").path }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

@Suite("Results store: migrations, old stores and model versions", .serialized)
struct StoreMigrationTests {
    static let money = ResultStore.measureColumns.firstIndex(of: "money_moved_share")!

    @Test("the runs columns are the measure catalogue, money_moved_share after fragmentation")
    func columns() throws {
        #expect(ResultStore.measureColumns == RunMeasure.names)
        let fragmentation = try #require(ResultStore.measureColumns.firstIndex(of: "fragmentation"))
        #expect(ResultStore.measureColumns[fragmentation + 1] == "money_moved_share")
        #expect(StoreSchema.identifiers == [StoreSchema.initial, StoreSchema.moneyMovedAndModelVersion, StoreSchema.sweepPosterior, StoreSchema.quarterSeriesMoved])
        #expect(SeriesData.quarterFields == ["aligned_share", "mean_trust", "pooled", "overhead", "engaged", "moved"])
    }

    @Test("kept quarter series store moved per quarter; series stored with 5 fields read it as missing and export it empty")
    func quarterSeriesMoved() throws {
        let sweep = try CopiedScenarioSweep(keepQuarters: true)
        defer { sweep.remove() }
        let store = try sweep.run(into: "new")
        var series: [StoredSeries] = []
        try store.forEachSeries { series.append($0) }
        #expect(series.count == 6)
        // Replication 2 of point 2 run directly: every field of every quarter, moved included.
        let plan = try SweepLoader.load(path: sweep.sweepPath)
        let replicator = try Replicator()
        let simulator = try replicator.simulator(for: plan.template(point: 1), seed: 5, replication: 2)
        _ = simulator.run(generator: replicator.generator)
        let stored = try #require(series.first { $0.point == 2 && $0.replication == 2 }?.quarterRecords)
        let t = simulator.model.quarters
        #expect(stored.count == 6 * t)
        for q in 1...t {
            let r = simulator.quarterRecord(q)
            #expect([r.alignedShare, r.meanTrust, r.pooled, r.overhead, Double(r.engaged), r.moved] == (0..<6).map { stored[$0 * t + q - 1] })
        }
        #expect(stored[(5 * t)...].allSatisfy { $0 > 0 }, "this area moves money every quarter")
        let files = try CSVExport.write(store: store, to: sweep.folder.appendingPathComponent("export-new"))
        let quarterCSV = try #require(files.first { $0.lastPathComponent == "quarter_series.csv" })
        let rows = try String(contentsOf: quarterCSV, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows[0].joined(separator: ",") == "point,replication,quarter,aligned_share,mean_trust,pooled,overhead,engaged,moved")
        let row = try #require(rows.first { $0[0] == "2" && $0[1] == "2" && $0[2] == "3" })
        #expect(Double(row[8]) == simulator.quarterRecord(3).moved && row[7] == "\(simulator.quarterRecord(3).engaged)")

        // The same store as migration 2 left it: 5-field quarter BLOBs, no quarter_fields column.
        let oldPath = sweep.folder.appendingPathComponent("old.sqlite").path
        try DatabaseQueue(path: sweep.store("new")).writeWithoutTransaction { db in
            try db.execute(sql: "VACUUM INTO ?", arguments: [oldPath])
        }
        try DatabaseQueue(path: oldPath).writeWithoutTransaction { db in
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [StoreSchema.quarterSeriesMoved])
            try db.execute(sql: "ALTER TABLE series_layout DROP COLUMN quarter_fields")
            for old in try Row.fetchAll(db, sql: "SELECT point_id, replication, quarters FROM series") {
                let values = SeriesData.unpack(old["quarters"])
                try db.execute(sql: "UPDATE series SET quarters = ? WHERE point_id = ? AND replication = ?",
                               arguments: [SeriesData.pack(Array(values.prefix(5 * t))), old["point_id"], old["replication"]])
            }
        }
        let old = try ResultStore(path: oldPath)
        #expect(try old.migrations() == StoreSchema.identifiers)
        var oldSeries: [StoredSeries] = []
        try old.forEachSeries { oldSeries.append($0) }
        #expect(oldSeries.count == 6)
        for (was, now) in zip(oldSeries, series) {
            let values = try #require(was.quarterRecords)
            #expect(values.count == 6 * t && Array(values.prefix(5 * t)) == Array(now.quarterRecords!.prefix(5 * t)))
            #expect(values[(5 * t)...].allSatisfy { $0.isNaN })
        }
        let oldFiles = try CSVExport.write(store: old, to: sweep.folder.appendingPathComponent("export-old"))
        let oldRows = try String(contentsOf: oldFiles.first { $0.lastPathComponent == "quarter_series.csv" }!, encoding: .utf8)
            .split(separator: "\n").dropFirst()
        #expect(oldRows.count == 6 * t && oldRows.allSatisfy { $0.hasSuffix(",") })
    }

    @Test("a new store records every migration, each point's model version and money moved")
    func newStore() throws {
        let sweep = try CopiedScenarioSweep()
        defer { sweep.remove() }
        let store = try sweep.run(into: "v2")
        #expect(try store.migrations() == StoreSchema.identifiers)
        #expect(try store.pointModelVersions() == [1: 2, 2: 2])
        let runs = try store.loadData().runs
        #expect(runs.count == 6 && runs.allSatisfy { $0.measures.map { !$0[Self.money].isNaN } ?? false })
        // The stored value is the run's own: replication 2 of point 2 run directly.
        let plan = try SweepLoader.load(path: sweep.sweepPath)
        let replicator = try Replicator()
        let summary = try replicator.simulator(for: plan.template(point: 1), seed: 5, replication: 2).run(generator: replicator.generator)
        #expect(runs.first { $0.point == 2 && $0.replication == 2 }!.measures! == RunMeasure.all.map { $0.value(in: summary) })
        // A pinned scenario records version 1.
        try sweep.setScenario(sweep.pinned)
        #expect(try sweep.run(into: "v1").pointModelVersions() == [1: 1, 2: 1])
    }

    @Test("a store of lspsim 0.2.0 is adopted: migrated, read with money moved missing (not 0), exported with it empty")
    func oldStoreRead() throws {
        let sweep = try CopiedScenarioSweep()
        defer { sweep.remove() }
        let current = try sweep.run(into: "new")
        let oldPath = sweep.folder.appendingPathComponent("old.sqlite").path
        try write020Store(at: oldPath, from: sweep.store("new"))

        let old = try ResultStore(path: oldPath)
        #expect(try old.migrations() == StoreSchema.identifiers)
        #expect(try old.pointModelVersions() == [1: 1, 2: 1])
        let runs = try old.loadData().runs
        #expect(runs.count == 6)
        for (stored, fresh) in zip(runs, try current.loadData().runs) {
            let values = try #require(stored.measures)
            #expect(values[Self.money].isNaN && StoredRun.isMissing(values[Self.money]))
            #expect(Array(values.prefix(Self.money)) == Array(fresh.measures!.prefix(Self.money)))
        }
        // Summaries leave it out; a comparison on it says it is missing.
        let data = try old.loadData()
        let summaries = Analysis.summarize(data, by: [1], measures: [2, Self.money], targetShare: 0.6)
        #expect(summaries.count == 2 && summaries.allSatisfy { $0.estimates[0] != nil && $0.estimates[1] == nil })
        #expect { try Analysis.compare(data, factor: 1, baseline: "0", metric: Self.money) } throws: { error in
            "\(error)".contains("money_moved_share is missing from every run of this store")
        }
        #expect(try Analysis.compare(data, factor: 1, baseline: "0", metric: 2).count == 1)
        // Export: the column is there, last, and empty; points.csv has no rows for it.
        let files = try CSVExport.write(store: old, to: sweep.folder.appendingPathComponent("export"))
        let lines = try String(contentsOf: files[0], encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0].hasSuffix(",fragmentation,money_moved_share"))
        #expect(lines[1...6].allSatisfy { $0.hasSuffix(",") && !$0.hasSuffix(",0.0") })
        let points = try String(contentsOf: files[1], encoding: .utf8)
        #expect(points.contains(",targets_met_share,") && !points.contains("money_moved_share"))
        // Opening it again changes nothing.
        #expect(try ResultStore(path: oldPath).migrations() == StoreSchema.identifiers)
    }

    @Test("resuming a 0.2.0 store (model version 1) under version 2 is refused; pinning version 1 resumes it")
    func oldStoreResume() throws {
        let sweep = try CopiedScenarioSweep()
        defer { sweep.remove() }
        // The digest 0.2.0 recorded: of the scenario as it was, without a version.
        let unpinnedDigest = SweepStore.scenariosDigest(try SweepLoader.load(path: sweep.sweepPath))
        try sweep.setScenario(sweep.pinned)
        let whole = try sweep.run(into: "v1")
        let oldFolder = sweep.folder.appendingPathComponent("old")
        try FileManager.default.createDirectory(at: oldFolder, withIntermediateDirectories: true)
        try write020Store(at: oldFolder.appendingPathComponent("results.sqlite").path, from: sweep.store("v1"),
                          scenariosSHA256: unpinnedDigest, keep: "replication < 3")

        try sweep.setScenario(sweep.original)
        #expect { try sweep.run(into: "old", mode: .resume) } throws: { error in
            let text = "\(error)"
            return error is ResultStore.StoreError && text.contains(oldFolder.appendingPathComponent("results.sqlite").path)
                && text.contains("its runs ran model version 1") && text.contains("under model version 2")
                && text.contains("would mix model versions") && text.contains("model: {version: 1}")
        }
        #expect(try ResultStore(path: sweep.store("old")).runCounts().all == 4, "nothing was run into the store")

        try sweep.setScenario(sweep.pinned)
        let resumed = try sweep.run(into: "old", mode: .resume)
        let runs = try resumed.loadData().runs, reference = try whole.loadData().runs
        #expect(runs.count == 6)
        for (run, expected) in zip(runs, reference) {
            #expect(run.point == expected.point && run.replication == expected.replication)
            #expect(Array(run.measures!.prefix(Self.money)) == Array(expected.measures!.prefix(Self.money)))
            // Old runs never recorded money moved; the resumed ones (replication 3) did.
            #expect(run.measures![Self.money].isNaN == (run.replication < 3))
        }
        // Another change to the scenario still counts as a change.
        try sweep.setScenario(sweep.pinned.replacingOccurrences(of: "reach_strategic: 0.3", with: "reach_strategic: 0.31"))
        #expect { try sweep.run(into: "old", mode: .resume) } throws: { error in
            "\(error)".contains("a base scenario file has changed")
        }
    }

    @Test("a store that records a migration this lspsim does not know is refused, naming it")
    func newerStore() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lspsim-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("results.sqlite").path
        _ = try ResultStore(path: path)
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('3-from-the-future')")
        }
        #expect { try ResultStore(path: path) } throws: { error in
            let text = "\(error)"
            return text.contains(path) && text.contains("written by a newer lspsim") && text.contains("3-from-the-future")
                && !text.contains("migration(s) \(StoreSchema.initial)")
        }
        // A database with other tables and no migrations is not a store, and is left alone.
        let other = folder.appendingPathComponent("other.sqlite").path
        try DatabaseQueue(path: other).write { db in try db.execute(sql: "CREATE TABLE notes (text TEXT)") }
        #expect { try ResultStore(path: other) } throws: { error in "\(error)".contains("is not an lspsim results store") }
        #expect(try DatabaseQueue(path: other).read { db in try db.tableExists("grdb_migrations") } == false)
    }

    @Test("a model version pin is found in its usual spellings and nowhere else")
    func versionPin() {
        #expect(ModelVersionPin.removing(from: "a: 1\nmodel:\n  version: 1\n  x: 2\nb: 3\n") == "a: 1\nmodel:\n  x: 2\nb: 3\n")
        #expect(ModelVersionPin.removing(from: "a: 1\nmodel:\n  version: 1   # pinned\nb: 3\n") == "a: 1\nb: 3\n")
        #expect(ModelVersionPin.removing(from: "a: 1\nmodel: {version: 1}\n") == "a: 1\n")
        #expect(ModelVersionPin.removing(from: "model: {version: 1, x: 2}\n") == "model: {x: 2}\n")
        #expect(ModelVersionPin.removing(from: "model: {x: 2, version: 1}\n") == "model: {x: 2}\n")
        #expect(ModelVersionPin.removing(from: "model:\n  version: 2\n") == nil)
        #expect(ModelVersionPin.removing(from: "model:\n  x: 2\nother:\n  version: 1\n") == nil)
        #expect(ModelVersionPin.removing(from: "a: 1\n") == nil)
    }
}

@Suite("Sweep fingerprint")
struct SweepFingerprintTests {
    let base = SweepRecord(name: "s", file: "s.yaml", fileSHA256: "f", scenariosSHA256: "c", seed: 1, replications: 10,
                           design: "grid", samples: nil, generator: "mt19937", shard: "1/2", programVersion: "0.2.0",
                           gslVersion: "2.7", createdAt: "then")

    @Test("the same sweep has no differences, whatever its program version or time")
    func same() {
        var other = base
        other.programVersion = "0.3.0"
        other.createdAt = "now"
        other.name = "renamed"
        #expect(SweepFingerprint.differences(stored: base, wanted: other).isEmpty)
    }

    @Test("each difference is named")
    func differences() {
        let cases: [(WritableKeyPath<SweepRecord, String>, String, String)] = [
            (\.fileSHA256, "x", "the sweep file has changed"),
            (\.scenariosSHA256, "x", "a base scenario file has changed"),
            (\.design, "latin_hypercube", "the design has changed from a grid design to a latin_hypercube design"),
            (\.generator, "ranlxd2", "the generator has changed from mt19937 to ranlxd2"),
            (\.gslVersion, "2.8", "it was written with GSL 2.7, this is 2.8"),
        ]
        for (field, value, message) in cases {
            var wanted = base
            wanted[keyPath: field] = value
            #expect(SweepFingerprint.differences(stored: base, wanted: wanted) == [message])
        }
        var wanted = base
        wanted.seed = 2
        wanted.replications = 20
        wanted.samples = 5
        #expect(SweepFingerprint.differences(stored: base, wanted: wanted) == [
            "the seed has changed from 1 to 2", "the replications have changed from 10 to 20",
            "the design has changed from a grid design to a grid design of 5 samples",
        ])
    }

    @Test("a posterior added, removed or changed is named (resume, shard status and merge all compare records this way)")
    func posterior() {
        var with = base
        with.posterior = "../outputs/cal"
        with.posteriorSHA256 = "p1"
        var changed = with
        changed.posteriorSHA256 = "p2"
        changed.posterior = "elsewhere"
        #expect(SweepFingerprint.differences(stored: with, wanted: with).isEmpty)
        #expect(SweepFingerprint.differences(stored: with, wanted: changed)
                == ["the posterior (elsewhere/posterior.csv) has changed: its SHA-256 differs (a calibration was run again into that folder?)"])
        #expect(SweepFingerprint.differences(stored: base, wanted: with) == ["the sweep now draws from a posterior (../outputs/cal), which it did not"])
        #expect(SweepFingerprint.differences(stored: with, wanted: base) == ["the sweep no longer draws from its posterior (../outputs/cal)"])
        // The same posterior.csv in a folder named differently is the same posterior.
        var moved = with
        moved.posterior = "moved"
        #expect(SweepFingerprint.differences(stored: with, wanted: moved).isEmpty)
    }

    @Test("shards are compared only when asked; another scenario digest counts only when declared equivalent")
    func shardsAndDigests() {
        var wanted = base
        wanted.shard = nil
        #expect(SweepFingerprint.differences(stored: base, wanted: wanted) == ["it holds shard 1/2, not the whole sweep"])
        #expect(SweepFingerprint.differences(stored: base, wanted: wanted, compareShard: false).isEmpty)
        wanted = base
        wanted.scenariosSHA256 = "pinned"
        #expect(SweepFingerprint.differences(stored: base, wanted: wanted, equivalentScenarioDigests: ["c"]).isEmpty)
        #expect(SweepFingerprint.differences(stored: base, wanted: wanted, equivalentScenarioDigests: ["d"]) == ["a base scenario file has changed"])
    }

    @Test("model versions differ only where a point of both differs")
    func modelVersions() {
        #expect(SweepFingerprint.modelVersionDifference(stored: [1: 1, 2: 1], wanted: [1: 1, 2: 1, 3: 2]) == nil)
        let found = SweepFingerprint.modelVersionDifference(stored: [1: 1, 2: 1, 3: 2], wanted: [1: 2, 2: 2, 3: 2])
        #expect(found?.stored == [1] && found?.wanted == [2])
        #expect(SweepFingerprint.versionsText([1]) == "version 1" && SweepFingerprint.versionsText([1, 2]) == "versions 1 and 2")
    }
}

@Suite("Writer lock", .serialized)
struct WriterLockTests {
    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lspsim-lock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("a second writer is refused with the holder's pid and command, and admitted once it is released")
    func secondWriter() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("results.sqlite").path
        let first = try WriterLock(store: store)
        #expect(FileManager.default.fileExists(atPath: store + ".lock"))
        #expect { try WriterLock(store: store) } throws: { error in
            guard let busy = error as? WriterLock.Busy else { return false }
            return busy.store == store && busy.pid == getpid() && busy.command?.contains(CommandLine.arguments[0]) == true
                && busy.description.contains("\(store) is being written by process \(getpid())")
        }
        first.release()
        #expect(!FileManager.default.fileExists(atPath: store + ".lock"))
        let second = try WriterLock(store: store)
        second.release()
    }

    @Test("a crashed writer's lock file (not locked) is taken over")
    func staleLock() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("results.sqlite").path
        try "pid: 999999\ncommand: lspsim sweep ghost.yaml\nstarted: long ago\n".write(toFile: store + ".lock", atomically: true, encoding: .utf8)
        let lock = try WriterLock(store: store)
        let text = try String(contentsOfFile: store + ".lock", encoding: .utf8)
        #expect(text.hasPrefix("pid: \(getpid())\n") && !text.contains("ghost"))
        lock.release()
    }

    @Test("a lock held by another process refuses the writer, and the store is left untouched")
    func otherProcess() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("results.sqlite").path
        let lockFile = store + ".lock"
        try "pid: 4242\ncommand: lspsim sweep other.yaml\nstarted: now\n".write(toFile: lockFile, atomically: true, encoding: .utf8)
        // flock(1) holds the lock file's lock while its child, cat, waits for the end of its input.
        let holder = Process(), input = Pipe()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [lockFile, "cat"]
        holder.standardInput = input
        holder.standardOutput = FileHandle.nullDevice
        try holder.run()
        defer { try? input.fileHandleForWriting.close(); holder.waitUntilExit() }
        // Wait until it holds the lock (flock -n fails while it does).
        var held = false
        for _ in 0..<100 where !held {
            let probe = Process()
            probe.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
            probe.arguments = ["-n", lockFile, "true"]
            try probe.run()
            probe.waitUntilExit()
            held = probe.terminationStatus != 0
            if !held { usleep(50_000) }
        }
        #expect(held)
        #expect { try ResultStore(path: store, writerLock: WriterLock(store: store)) } throws: { error in
            guard let busy = error as? WriterLock.Busy else { return false }
            return busy.pid == 4242 && busy.command == "lspsim sweep other.yaml"
        }
        #expect(!FileManager.default.fileExists(atPath: store), "the refused writer created the store")
    }
}
