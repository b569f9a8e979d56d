import Foundation
import Testing
@testable import Experiments
import PartnershipModel
import Results
import RunOutput
import ScenarioFile
import Stochastic

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A temporary folder with a sweep file over the shipped unitary scenario.
struct SweepFixture {
    let folder: URL
    let sweepPath: String

    init(_ body: String, replications: Int = 6) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lspsim-sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let unitary = packageRoot.appendingPathComponent("scenarios/unitary.yaml").path
        let text = "name: test sweep\nscenarios: [\(unitary)]\nreplications: \(replications)\nseed: 11\n" + body
        sweepPath = folder.appendingPathComponent("sweep.yaml").path
        try text.write(toFile: sweepPath, atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// Runs the sweep into `name` with `jobs` threads; returns the store.
    func run(into name: String, jobs: Int, mode: SweepStore.Mode = .new, stop: StopRequest = StopRequest(),
             progress: SweepProgress? = nil, batch: Int? = nil) throws -> (ResultStore, SweepOutcome) {
        let plan = try SweepLoader.load(path: sweepPath)
        let store = try SweepStore.open(plan: plan, directory: folder.appendingPathComponent(name), shard: nil, mode: mode)
        let runner = SweepRunner(plan: plan, store: store, jobs: jobs)
        if let batch { runner.batchSize = batch }
        let outcome = try runner.run(progress: progress, stop: stop)
        // The writer is done, as a process at its end: another may open the store for writing.
        store.writerLock?.release()
        return (store, outcome)
    }
}

/// Every column of every run, in order, as text (for exact comparisons).
func dump(_ store: ResultStore) throws -> [String] {
    try store.loadData().runs.map { run in
        "\(run.point) \(run.replication) \(run.measures.map { $0.map(\.description).joined(separator: " ") } ?? "failed: \(run.error ?? "")")"
    }
}

/// The errors of a sweep file with `body` over the shipped unitary scenario (none if it loads).
func sweepErrors(_ body: String) throws -> [String] {
    let fixture = try SweepFixture(body)
    defer { fixture.remove() }
    do {
        _ = try SweepLoader.load(path: fixture.sweepPath)
        return []
    } catch {
        return error.diagnostics.map(\.description)
    }
}

final class StopAfterFirstBatch: SweepProgress {
    let stop: StopRequest
    init(_ stop: StopRequest) { self.stop = stop }
    func update(done: Int, computed: Int, total: Int, failed: Int, elapsed: Double) { stop.request() }
    func finish(done: Int, computed: Int, total: Int, failed: Int, elapsed: Double) {}
}

@Suite("Sweeps: runs, stores, common random numbers, resume")
struct SweepRunTests {
    static let grid = """
        factors:
          - path: governance.levels
            values: [[strategic], [strategic, executive, thematic]]
          - path: governance.pooled_fraction
            values: [0, 0.05]
          - path: partners[id=police].openness
            range: {min: 0.2, max: 0.6}
            levels: 3
        """

    @Test("the same sweep gives identical stores with 1, 2 and 8 jobs")
    func jobsDoNotMatter() throws {
        let fixture = try SweepFixture(Self.grid)
        defer { fixture.remove() }
        let (one, outcome) = try fixture.run(into: "j1", jobs: 1, batch: 7)
        #expect(outcome.computed == 2 * 2 * 3 * 6 && outcome.failedNow == 0)
        let (two, _) = try fixture.run(into: "j2", jobs: 2, batch: 5)
        let (eight, _) = try fixture.run(into: "j8", jobs: 8)
        #expect(try dump(one) == dump(two))
        #expect(try dump(one) == dump(eight))
        #expect(try dump(one).count == 72)
    }

    @Test("a design point's replication r equals lspsim run of that point's scenario with the same seed")
    func equalsRun() throws {
        let fixture = try SweepFixture(Self.grid)
        defer { fixture.remove() }
        let (store, _) = try fixture.run(into: "s", jobs: 2)
        let plan = try SweepLoader.load(path: fixture.sweepPath)
        let data = try store.loadData()
        for point in [0, 5, 11] {
            let runner = try ReplicationRunner(template: plan.template(point: point), settings: RunSettings(seed: 11, replications: 6, jobs: 1))
            var summaries: [RunSummary] = []
            _ = runner.run { summaries.append($0.summary) }
            let stored = data.runs.filter { $0.point == point + 1 }.map(\.measures!)
            #expect(stored.count == 6)
            for (summary, measures) in zip(summaries, stored) {
                #expect(measures[2] == summary.targetsMetShare && measures[3] == summary.meanProgress)
                #expect(measures[8] == summary.meanTrustFinal && measures[5] == summary.alignedShareMean)
            }
        }
    }

    @Test("common random numbers: options that change nothing give identical runs, replication by replication")
    func commonRandomNumbers() throws {
        // Without an executive level nothing is pooled, so pooled_fraction 0 and 0.05 are the same
        // scenario in effect: with common random numbers every replication must agree exactly.
        let fixture = try SweepFixture(Self.grid)
        defer { fixture.remove() }
        let (store, _) = try fixture.run(into: "s", jobs: 2)
        let data = try store.loadData()
        func runs(_ levels: String, _ pool: String, _ openness: String) -> [[Double]] {
            let point = data.pointValues.firstIndex { $0 == ["unitary.yaml", levels, pool, openness] }! + 1
            return data.runs.filter { $0.point == point }.map(\.measures!)
        }
        #expect(runs("[strategic]", "0", "0.4") == runs("[strategic]", "0.05", "0.4"))
        #expect(runs("[strategic, executive, thematic]", "0", "0.4") != runs("[strategic, executive, thematic]", "0.05", "0.4"))
        // Replications differ from each other (the streams are distinct).
        #expect(Set(runs("[strategic]", "0", "0.4").map { $0[3] }).count == 6)
    }

    @Test("a stopped sweep keeps its finished runs and resumes to the uninterrupted result")
    func resume() throws {
        let fixture = try SweepFixture(Self.grid)
        defer { fixture.remove() }
        let (whole, _) = try fixture.run(into: "whole", jobs: 2)
        let stop = StopRequest()
        let (partial, first) = try fixture.run(into: "resumed", jobs: 2, stop: stop, progress: StopAfterFirstBatch(stop), batch: 10)
        #expect(first.interrupted)
        #expect(first.computed == 10)
        #expect(try partial.runCounts().all == 10)
        #expect(throws: ResultStore.StoreError.self) { try fixture.run(into: "resumed", jobs: 2) }
        let (resumed, second) = try fixture.run(into: "resumed", jobs: 1, mode: .resume, batch: 9)
        #expect(second.alreadyStored == 10 && second.computed == 62 && !second.interrupted)
        #expect(try dump(resumed) == dump(whole))
        // Resuming a complete store runs nothing.
        let (_, third) = try fixture.run(into: "resumed", jobs: 1, mode: .resume)
        #expect(third.computed == 0 && third.alreadyStored == 72)
    }

    @Test("a sweep changed since it started refuses to resume into the same store")
    func changedSweep() throws {
        let fixture = try SweepFixture(Self.grid)
        defer { fixture.remove() }
        _ = try fixture.run(into: "s", jobs: 1)
        try (String(contentsOfFile: fixture.sweepPath, encoding: .utf8).replacingOccurrences(of: "0.05]", with: "0.06]"))
            .write(toFile: fixture.sweepPath, atomically: true, encoding: .utf8)
        #expect { try fixture.run(into: "s", jobs: 1, mode: .resume) } throws: { error in
            "\(error)".contains("the sweep file") && "\(error)".contains("has changed")
        }
        // --force starts again.
        let (store, outcome) = try fixture.run(into: "s", jobs: 1, mode: .force)
        let stored = try store.runCounts().all
        #expect(outcome.computed == 72 && stored == 72)
    }

    @Test("failing runs are recorded with their error and the sweep goes on")
    func failures() throws {
        // Each value alone is valid, but central_burden 0.98 with overhead_per_level 0.01 makes the
        // overhead rate 0.98 + 3 x 0.01 >= 1.
        let fixture = try SweepFixture("""
            factors:
              - path: governance.central_burden
                values: [0.01, 0.98]
              - path: model.overhead_per_level
                values: [0.005, 0.01]
            """, replications: 3)
        defer { fixture.remove() }
        let (store, outcome) = try fixture.run(into: "s", jobs: 2)
        #expect(outcome.computed == 12 && outcome.failedNow == 3)
        let data = try store.loadData()
        let failed = data.runs.filter { $0.measures == nil }
        #expect(failed.map(\.point) == [4, 4, 4])
        let examples = try store.failedRunExamples(limit: 2)
        #expect(examples.count == 2)
        #expect(examples.first?.hasPrefix("point 4 replication 1: ") == true, "\(examples)")
        #expect(examples.last?.hasPrefix("point 4 replication 2: ") == true, "\(examples)")
        #expect(failed.allSatisfy { $0.error?.contains("governance.central_burden: the overhead rate") == true })
        let summaries = Analysis.summarize(data, by: [], measures: [2], targetShare: 0.6)
        #expect(summaries[3].failed == 3 && summaries[3].estimates[0] == nil)
    }

    @Test("series are stored as JSON and read back through the tidy views and export")
    func series() throws {
        let fixture = try SweepFixture("""
            factors:
              - path: governance.pooled_fraction
                values: [0, 0.05]
            outputs: {indicators: true, quarters: true}
            """, replications: 2)
        defer { fixture.remove() }
        let (store, _) = try fixture.run(into: "s", jobs: 1)
        let files = try CSVExport.write(store: store, to: fixture.folder.appendingPathComponent("export"))
        #expect(files.map(\.lastPathComponent) == ["runs.csv", "points.csv", "indicator_series.csv", "quarter_series.csv"])
        let indicators = try String(contentsOf: files[2], encoding: .utf8).split(separator: "\n")
        #expect(indicators.first == "point,replication,quarter,indicator,value")
        #expect(indicators.count == 1 + 2 * 2 * 13 * 13)
        // The first row is point 1, replication 1, quarter 0 of the scenario's first indicator, at its baseline.
        let first = try SweepLoader.load(path: fixture.sweepPath).template(point: 0).scenario.indicators[0]
        let cells = indicators[1].split(separator: ",").map(String.init)
        #expect(Array(cells.prefix(4)) == ["1", "1", "0", first.id])
        #expect(cells.count == 5 && Double(cells[4]) == first.baseline, "\(indicators[1]) should hold \(first.id)'s baseline \(first.baseline)")
        let quarters = try String(contentsOf: files[3], encoding: .utf8).split(separator: "\n")
        #expect(quarters.count == 1 + 2 * 2 * 12)
        let runs = try String(contentsOf: files[0], encoding: .utf8).split(separator: "\n")
        #expect(runs.first == "point,replication,seed,status,error,scenario,governance.pooled_fraction,targets_total,targets_met,targets_met_share,mean_progress,reward_grant,aligned_share_mean,pooled_total,overhead_total,mean_trust_final,fragmentation,money_moved_share")
        #expect(runs.count == 5)
        // The stored series equal a direct run of the same point and replication.
        let plan = try SweepLoader.load(path: fixture.sweepPath)
        let replicator = try Replicator()
        let simulator = try replicator.simulator(for: plan.template(point: 1), seed: 11, replication: 2)
        _ = simulator.run(generator: replicator.generator)
        let row = indicators.first { $0.hasPrefix("2,2,12,NI8,") }!
        let column = try #require(simulator.model.scenario.indicators.firstIndex { $0.id == "NI8" })
        #expect(Double(row.split(separator: ",")[4])! == simulator.indicatorValue(quarter: 12, indicator: column))
    }
}

@Suite("Sweep files: validation")
struct SweepValidationTests {
    @Test("bad sweep files are rejected with the field path and what is valid")
    func bad() throws {
        let cases: [(String, String)] = [
            ("factors:\n  - path: governance.pooled_fractoin\n    values: [0.1]\n", "unknown key 'pooled_fractoin' (did you mean 'pooled_fraction'?)"),
            ("factors:\n  - path: partners[id=polize].openness\n    values: [0.1]\n", "no item of partners has id 'polize'"),
            ("factors:\n  - path: governance.pooled_fraction\n    values: [1.5]\n", "factors[0] (governance.pooled_fraction = 1.5) on unitary.yaml makes an invalid scenario: governance.pooled_fraction: must be a number in [0, 1)"),
            ("factors:\n  - path: governance.pooled_fraction\n    range: {min: 0, max: 0.1}\n", "factors[0].levels: is required for a range in a grid design"),
            ("design: {type: sobol}\nfactors:\n  - path: governance.pooled_fraction\n    range: {min: 0, max: 0.1}\n", "design.samples: is required for a sobol design"),
            ("design: {type: latin_hypercube, samples: 5}\nfactors:\n  - path: governance.pooled_fraction\n    range: {min: 0.2, max: 0.1}\n", "needs min < max"),
            ("design: {type: factorial}\n", "design.type: must be one of grid, random, latin_hypercube, sobol"),
            ("factors:\n  - path: governance.leadership\n    values: [0.5]\n    range: {min: 0, max: 1}\n", "needs exactly one of values"),
            ("factors:\n  - path: governance.leadership\n    values: [0.5]\n  - path: governance.leadership\n    values: [0.6]\n", "is varied by an earlier factor already"),
            ("colour: blue\n", "unknown key 'colour'"),
        ]
        for (body, expected) in cases {
            let found = try sweepErrors(body)
            #expect(found.contains { $0.contains(expected) }, "expected '\(expected)' in \(found)")
        }
        let missing = try sweepErrors("").isEmpty
        #expect(missing, "a sweep with no factors is one design point")
    }

    @Test("a sweep naming a scenario that does not exist says so with the line")
    func missingScenario() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lspsim-sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("s.yaml").path
        try "name: x\nscenarios: [nowhere.yaml]\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try SweepLoader.load(path: path) } throws: { error in
            "\(error)".contains("s.yaml:2:") && "\(error)".contains("scenarios[0]: no such scenario file")
        }
    }
}
