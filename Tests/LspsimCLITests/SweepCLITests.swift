import Foundation
import Results
import Testing

/// `lspsim sweep` from outside: interruptions of every kind, resume, exit codes, shards and merge.
@Suite("lspsim sweep, end to end", .serialized)
struct SweepCLITests: RunsLspsim {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A folder with a sweep over the shipped unitary scenario: 36 points x `replications`.
    func sweepFolder(replications: Int) throws -> (folder: URL, sweep: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lspsim-sweep-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let text = try String(contentsOf: Self.root.appendingPathComponent("scenarios/governance-options.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "scenarios: [unitary.yaml]", with: "scenarios: [\(Self.root.appendingPathComponent("scenarios/unitary.yaml").path)]")
            .replacingOccurrences(of: "replications: 200", with: "replications: \(replications)")
        let sweep = folder.appendingPathComponent("sweep.yaml").path
        try text.write(toFile: sweep, atomically: true, encoding: .utf8)
        return (folder, sweep)
    }

    /// The sqlite3 command-line client, or a failure that says which Debian package to install.
    func sqlite3() throws -> URL {
        try #require(findExecutable("sqlite3"), "the sqlite3 command-line tool is needed: the Debian package `sqlite3` is missing; install it with `apt-get install sqlite3` (or `bash .ci/install-prerequisites`)")
    }

    /// The runs table in order, through the sqlite3 command-line client.
    func runs(_ store: URL) throws -> String {
        let result = try runProcess(sqlite3(), [store.path, "SELECT * FROM runs ORDER BY point_id, replication"])
        #expect(result.status == 0, "sqlite3: \(result.stderr)")
        return result.stdout
    }

    /// The number of runs in `store` (0 while it does not exist yet), read with the sqlite3 client
    /// while the sweep writes (WAL: readers do not block the writer).
    func storedRunCount(_ store: URL) throws -> Int {
        guard FileManager.default.fileExists(atPath: store.path) else { return 0 }
        let result = try runProcess(sqlite3(), ["-cmd", ".timeout 2000", store.path, "SELECT COUNT(*) FROM runs"])
        return result.status == 0 ? Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 : 0
    }

    /// Waits until `process` has stored at least `count` runs in `store`; false if it ended first
    /// or took longer than `timeout` seconds.
    func waitForStoredRuns(_ count: Int, in store: URL, of process: Process, timeout: Double = 300) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline {
            if try storedRunCount(store) >= count { return true }
            usleep(20_000)
        }
        return false
    }

    @Test("kill -9 once the first runs are stored, then --resume: the store equals an uninterrupted sweep's")
    func killAndResume() throws {
        let (folder, sweep) = try sweepFolder(replications: 400)
        defer { try? FileManager.default.removeItem(at: folder) }
        let whole = folder.appendingPathComponent("whole"), killed = folder.appendingPathComponent("killed")
        #expect(try lspsim(["sweep", sweep, "--out", whole.path, "--quiet"]).status == 0)

        let process = Process()
        process.executableURL = LspsimBinary.url
        process.arguments = ["sweep", sweep, "--out", killed.path, "--quiet", "--jobs", "2"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Part-way, however fast the machine: runs are stored a batch (4096 per job) at a time, so
        // when the first batch of 8192 is stored the last 6208 runs are still being computed.
        let reached = try waitForStoredRuns(1, in: killed.appendingPathComponent("results.sqlite"), of: process)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try #require(reached, "the sweep ended (status \(process.terminationStatus)) or stalled before storing a run")
        #expect(process.terminationReason == .uncaughtSignal)
        let partial = try runs(killed.appendingPathComponent("results.sqlite"))
        let stored = partial.split(separator: "\n").count
        #expect(stored >= 1 && stored < 14_400, "\(stored) runs stored when killed")

        let resumed = try lspsim(["sweep", sweep, "--out", killed.path, "--resume"])
        #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
        #expect(resumed.stdout.contains("(\(stored) were already stored)"))
        #expect(try runs(killed.appendingPathComponent("results.sqlite")) == runs(whole.appendingPathComponent("results.sqlite")))
    }

    @Test("Ctrl-C stops cleanly (exit 130), keeps the finished runs, and --resume completes")
    func interrupt() throws {
        let (folder, sweep) = try sweepFolder(replications: 400)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        let process = Process()
        process.executableURL = LspsimBinary.url
        // One job: batches of 4096 runs, so that the stop request, sent once the first batch is
        // stored, leaves the fourth batch of the 14,400 runs unstarted however fast the machine.
        process.arguments = ["sweep", sweep, "--out", out.path, "--jobs", "1"]
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let reached = try waitForStoredRuns(1, in: out.appendingPathComponent("results.sqlite"), of: process)
        kill(process.processIdentifier, SIGINT)
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(reached, "the sweep ended (status \(process.terminationStatus)) or stalled before storing a run")
        #expect(process.terminationStatus == 130)
        #expect(message.contains("interrupted:"))
        #expect(message.contains("--resume"))
        let stored = try runs(out.appendingPathComponent("results.sqlite")).split(separator: "\n").count
        #expect(stored >= 4096 && stored < 14_400, "\(stored) runs stored when stopped")
        let resumed = try lspsim(["sweep", sweep, "--out", out.path, "--resume", "--quiet"])
        #expect(resumed.status == 0)
        #expect(try runs(out.appendingPathComponent("results.sqlite")).split(separator: "\n").count == 14_400)
    }

    @Test("an existing store is never overwritten without --resume or --force")
    func existingStore() throws {
        let (folder, sweep) = try sweepFolder(replications: 2)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out").path
        #expect(try lspsim(["sweep", sweep, "--out", out, "--quiet"]).status == 0)
        let again = try lspsim(["sweep", sweep, "--out", out])
        #expect(again.status == 73)
        #expect(again.stderr.contains("already holds results; add --resume"))
        #expect(try lspsim(["sweep", sweep, "--out", out, "--force", "--quiet"]).status == 0)
    }

    @Test("failed runs make the exit code non-zero unless --allow-failures, and are summarised")
    func failures() throws {
        let (folder, _) = try sweepFolder(replications: 2)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Each value alone is valid; 0.33 per level with three levels makes the overhead rate >= 1.
        let sweep = folder.appendingPathComponent("failing.yaml").path
        try """
            name: failing combinations
            scenarios: [\(Self.root.appendingPathComponent("scenarios/unitary.yaml").path)]
            factors:
              - path: governance.central_burden
                values: [0.01, 0.5]
              - path: model.overhead_per_level
                values: [0.005, 0.2]
            replications: 2
            """.write(toFile: sweep, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("out").path
        let result = try lspsim(["sweep", sweep, "--out", out])
        #expect(result.status == 65, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("2 of 8 runs failed (recorded in the store with their error)"))
        #expect(result.stderr.contains("the overhead rate"))
        let allowed = try lspsim(["sweep", sweep, "--out", out, "--resume", "--allow-failures", "--quiet"])
        #expect(allowed.status == 0)
        let summary = try lspsim(["summarize", out, "--by", "model.overhead_per_level", "--metric", "targets_met_share"])
        #expect(summary.status == 0)
        #expect(summary.stdout.contains("(4 runs, 2 failed)"))
    }

    @Test("summarize, compare and export print tables that fit in 100 columns and write CSV")
    func analysis() throws {
        let (folder, sweep) = try sweepFolder(replications: 20)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        #expect(try lspsim(["sweep", sweep, "--out", out.path, "--quiet"]).status == 0)
        let summary = try lspsim(["summarize", out.path, "--by", "governance.levels"])
        #expect(summary.status == 0, "stderr: \(summary.stderr)")
        #expect(summary.stdout.contains("governance.levels = [strategic, executive, thematic]  (240 runs)"))
        #expect(summary.stdout.split(separator: "\n").allSatisfy { $0.count <= 100 || $0.hasPrefix("Wrote ") })
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("summary-by-governance.levels.csv").path))
        let compare = try lspsim(["compare", out.path, "--factor", "governance.pooled_fraction", "--baseline", "0"])
        #expect(compare.status == 0, "stderr: \(compare.stderr)")
        #expect(compare.stdout.contains("\n0.10 "))
        #expect(compare.stdout.split(separator: "\n").allSatisfy { $0.count <= 100 || $0.hasPrefix("Wrote ") })
        let csv = try lspsim(["compare", out.path, "--factor", "governance.pooled_fraction", "--format", "csv"])
        #expect(csv.stdout.hasPrefix("factor,option,baseline,metric,pairs,option_mean,baseline_mean,difference,ci95_low,ci95_high"))
        let json = try lspsim(["summarize", out.path, "--format", "json", "--metric", "targets_met_share"])
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(parsed?.count == 36)
        let bad = try lspsim(["compare", out.path, "--factor", "governance.colour"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("this sweep's factors: scenario, governance.levels"))
        let export = try lspsim(["export", out.path])
        #expect(export.status == 0)
        let runsCSV = try String(contentsOf: out.appendingPathComponent("export/runs.csv"), encoding: .utf8)
        #expect(runsCSV.split(separator: "\n").count == 1 + 720)
    }

    @Test("shards merged equal the whole sweep; merge is safe to repeat and reports a missing shard")
    func shards() throws {
        let (folder, sweep) = try sweepFolder(replications: 5)
        defer { try? FileManager.default.removeItem(at: folder) }
        let whole = folder.appendingPathComponent("whole"), sharded = folder.appendingPathComponent("sharded")
        #expect(try lspsim(["sweep", sweep, "--out", whole.path, "--quiet"]).status == 0)
        for i in 1...3 { #expect(try lspsim(["sweep", sweep, "--shard", "\(i)/3", "--out", sharded.path, "--quiet"]).status == 0) }
        let shardSizes = try (1...3).map { try runs(sharded.appendingPathComponent("shards/shard-\($0)-of-3.sqlite")).split(separator: "\n").count }
        #expect(shardSizes == [60, 60, 60])
        let merged = try lspsim(["merge", sharded.path])
        #expect(merged.status == 0, "stderr: \(merged.stderr)")
        #expect(merged.stdout.contains("180 of 180 runs (180 added now)"))
        #expect(try lspsim(["merge", sharded.path]).stdout.contains("180 of 180 runs (0 added now)"))
        #expect(try runs(sharded.appendingPathComponent("results.sqlite")) == runs(whole.appendingPathComponent("results.sqlite")))
        try FileManager.default.removeItem(at: sharded.appendingPathComponent("shards/shard-2-of-3.sqlite"))
        try FileManager.default.removeItem(at: sharded.appendingPathComponent("results.sqlite"))
        let incomplete = try lspsim(["merge", sharded.path])
        #expect(incomplete.status == 65)
        #expect(incomplete.stderr.contains("shard 2/3 is missing 60 runs"))
    }

    @Test("--emit-point writes a scenario that lspsim run reproduces exactly")
    func emitPoint() throws {
        let (folder, sweep) = try sweepFolder(replications: 3)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        #expect(try lspsim(["sweep", sweep, "--out", out.path, "--quiet"]).status == 0)
        let emitted = try lspsim(["sweep", sweep, "--emit-point", "23"])
        #expect(emitted.status == 0)
        let scenario = folder.appendingPathComponent("point23.yaml")
        try emitted.stdout.write(to: scenario, atomically: true, encoding: .utf8)
        let runOut = folder.appendingPathComponent("run23")
        #expect(try lspsim(["run", scenario.path, "--replications", "3", "--seed", "2026", "--out", runOut.path, "--quiet"]).status == 0)
        let summary = try String(contentsOf: runOut.appendingPathComponent("summary.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        let store = try ResultStore(path: out.appendingPathComponent("results.sqlite").path)
        let storedRows = try store.loadData().runs.filter { $0.point == 23 }.map { run in
            [Double(run.replication), 2026] + run.measures!
        }
        let runRows = summary.map { $0.split(separator: ",").map { Double($0)! } }
        #expect(storedRows == runRows)
    }

    /// Waits up to 30 s for `path` to exist; whether it does.
    func waitFor(_ path: String) -> Bool {
        for _ in 0..<600 {
            if FileManager.default.fileExists(atPath: path) { return true }
            usleep(50_000)
        }
        return false
    }

    @Test("a second writer (sweep, --resume, --force or merge) on a store being written exits 75 at once naming the writer; the first completes")
    func oneWriter() throws {
        let (folder, sweep) = try sweepFolder(replications: 400)
        let (smallFolder, small) = try sweepFolder(replications: 2)
        defer {
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(at: smallFolder)
        }
        let out = folder.appendingPathComponent("out")
        // A shard of another sweep in the folder, for merge to find before it turns to results.sqlite.
        #expect(try lspsim(["sweep", small, "--shard", "1/1", "--out", out.path, "--quiet"]).status == 0)

        let first = Process()
        first.executableURL = LspsimBinary.url
        first.arguments = ["sweep", sweep, "--out", out.path, "--quiet", "--jobs", "2"]
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        let store = out.appendingPathComponent("results.sqlite").path
        #expect(waitFor(store + ".lock"))
        let writer = "\(store) is being written by process \(first.processIdentifier) (\(LspsimBinary.url.path) sweep \(sweep)"
        for arguments in [["--resume"], [], ["--force"]] {
            let second = try lspsim(["sweep", sweep, "--out", out.path] + arguments)
            #expect(second.status == 75, "\(arguments): \(second.stderr)")
            #expect(second.stderr.contains(writer), "\(arguments): \(second.stderr)")
        }
        let merge = try lspsim(["merge", out.path])
        #expect(merge.status == 75, "merge: \(merge.stderr)")
        #expect(merge.stderr.contains(writer), "merge: \(merge.stderr)")
        #expect(first.isRunning, "the first sweep ended before the others tried; make it longer")

        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        // Nothing lost, nothing twice (the key forbids it), and the lock is gone with its writer.
        #expect(try runs(URL(fileURLWithPath: store)).split(separator: "\n").count == 36 * 400)
        #expect(!FileManager.default.fileExists(atPath: store + ".lock"))
        #expect(try lspsim(["sweep", sweep, "--out", out.path, "--resume", "--quiet"]).status == 0)
    }

    @Test("a store written by lspsim 0.2.0 is read with money moved missing, and is not resumed under model version 2")
    func oldStore() throws {
        let (folder, sweep) = try sweepFolder(replications: 2)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        #expect(try lspsim(["sweep", sweep, "--out", out.path, "--quiet"]).status == 0)
        // Back to 0.2.0's layout: no migrations recorded, no money moved, no model versions.
        let store = out.appendingPathComponent("results.sqlite").path
        let downgrade = try runProcess(URL(fileURLWithPath: "/usr/bin/sqlite3"), [store, """
            DROP TABLE grdb_migrations; ALTER TABLE runs DROP COLUMN money_moved_share; ALTER TABLE points DROP COLUMN model_version;
            ALTER TABLE sweep DROP COLUMN posterior; ALTER TABLE sweep DROP COLUMN posterior_sha256;
            ALTER TABLE series_layout DROP COLUMN quarter_fields;
            """])
        #expect(downgrade.status == 0, "sqlite3: \(downgrade.stderr)")

        let summary = try lspsim(["summarize", out.path, "--by", "governance.pooled_fraction", "--metric", "targets_met_share",
                                  "--metric", "money_moved_share", "--format", "csv"])
        #expect(summary.status == 0, "stderr: \(summary.stderr)")
        let money = summary.stdout.split(separator: "\n").filter { $0.contains(",money_moved_share,") }
        #expect(money.count == 4 && money.allSatisfy { $0.hasSuffix(",money_moved_share,0,,,,,,,") }, "\(money)")
        let table = try lspsim(["summarize", out.path, "--metric", "money_moved_share"])
        let missing = table.stdout.split(separator: "\n").filter { $0.contains("money_moved_share") }
        #expect(missing.count == 36 && missing.allSatisfy { $0.hasSuffix("missing") || $0.contains(" missing ") }, "\(missing)")

        #expect(try lspsim(["export", out.path]).status == 0)
        let rows = try String(contentsOf: out.appendingPathComponent("export/runs.csv"), encoding: .utf8).split(separator: "\n")
        #expect(rows[0].hasSuffix(",fragmentation,money_moved_share"))
        #expect(rows.count == 1 + 72 && rows.dropFirst().allSatisfy { $0.hasSuffix(",") })

        let compare = try lspsim(["compare", out.path, "--factor", "governance.pooled_fraction", "--metric", "money_moved_share"])
        #expect(compare.status == 65)
        #expect(compare.stderr.contains("money_moved_share is missing from every run of this store"))
        #expect(try lspsim(["report", out.path]).status == 0)

        let resume = try lspsim(["sweep", sweep, "--out", out.path, "--resume"])
        #expect(resume.status == 73)
        #expect(resume.stderr.contains("its runs ran model version 1") && resume.stderr.contains("model: {version: 1}"), "\(resume.stderr)")
        #expect(try runs(URL(fileURLWithPath: store)).split(separator: "\n").count == 72)
    }
}
