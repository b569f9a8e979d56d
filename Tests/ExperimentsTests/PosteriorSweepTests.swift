import Foundation
import GRDB
import PartnershipModel
import Testing
@testable import Experiments
import Results
import RunOutput
import ScenarioFile
import Stochastic

/// Sweeps that draw calibrated fields from a calibration's posterior (`posterior: DIR`).
///
/// The posteriors here are written by hand over the baselines of NI117 and NI152 of the shipped
/// unitary scenario: an indicator's value at quarter 0 is its baseline, so the stored series show
/// exactly which particle every run drew.
@Suite("Sweeps with a posterior: joint draws by weight, common random numbers, clashes, resume")
struct PosteriorSweepTests {
    static let particles: [[Double]] = [[6.0, 13.0], [7.5, 14.5], [9.0, 12.0]]

    /// Writes DIR/posterior.csv with the three particles and `weights` into the fixture's folder.
    static func writePosterior(_ weights: [Double], in fixture: SweepFixture, folder: String = "cal",
                               particles: [[Double]] = PosteriorSweepTests.particles) throws {
        let directory = fixture.folder.appendingPathComponent(folder)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let posterior = Posterior(paths: ["indicators[id=NI117].baseline", "indicators[id=NI152].baseline"],
                                  values: particles, weights: weights, distances: weights.map { _ in 0.1 })
        try posterior.csv.write(to: directory.appendingPathComponent("posterior.csv"), atomically: true, encoding: .utf8)
    }

    /// (NI117, NI152) at quarter 0 of every stored run, by point and replication.
    static func drawnBaselines(_ store: ResultStore) throws -> [String: [Double]] {
        try store.read { db in
            var pairs: [String: [Double]] = [:]
            let layout = try String.fetchOne(db, sql: "SELECT indicators FROM series_layout LIMIT 1")!.split(separator: ",")
            let quarters = try Int.fetchOne(db, sql: "SELECT quarters FROM series_layout LIMIT 1")!
            let ni152 = layout.firstIndex(of: "NI152")! * (quarters + 1)
            for row in try Row.fetchAll(db, sql: "SELECT point_id, replication, indicators FROM series") {
                let values = SeriesData.unpack(row["indicators"] as Data)
                pairs["\(row["point_id"] as Int) \(row["replication"] as Int)"] = [values[0], values[ni152]]
            }
            return pairs
        }
    }

    static let options = """
        posterior: cal
        factors:
          - path: governance.pooled_fraction
            values: [0, 0.1]
          - path: governance.levels
            values: [[strategic], [strategic, executive, thematic]]
        outputs: {indicators: true}
        """

    @Test("every run takes one particle's values jointly, chosen by weight, the same particle at every point (CRN)")
    func jointDrawsByWeight() throws {
        let fixture = try SweepFixture(Self.options, replications: 400)
        defer { fixture.remove() }
        try Self.writePosterior([0.2, 0.3, 0.5], in: fixture)
        let (store, outcome) = try fixture.run(into: "out", jobs: 2)
        #expect(outcome.computed == 1600 && outcome.failedNow == 0)
        let drawn = try Self.drawnBaselines(store)
        #expect(drawn.count == 1600)
        var counts = [0, 0, 0]
        for replication in 1...400 {
            let first = try #require(drawn["1 \(replication)"])
            let particle = try #require(Self.particles.firstIndex(of: first), "replication \(replication) drew \(first)")
            counts[particle] += 1
            // Common random numbers: the same particle at every design point.
            for point in 2...4 { #expect(drawn["\(point) \(replication)"] == first) }
        }
        // Binomial(400, w): 5 standard deviations.
        for (count, weight) in zip(counts, [0.2, 0.3, 0.5]) {
            #expect(abs(Double(count) - 400 * weight) < 5 * (400 * weight * (1 - weight)).squareRoot(), "\(counts)")
        }
        // The same runs as `lspsim run --posterior` of the point's scenario (replication r of seed S).
        let plan = try SweepLoader.load(path: fixture.sweepPath)
        let template = try plan.spec.posterior!.source.template(root: try plan.scenarioTree(point: 2), file: "point 3", scenario: "point 3")
        let replicator = try Replicator()
        let runs = try store.loadData().runs.filter { $0.point == 3 }
        for run in runs.prefix(20) {
            let summary = try replicator.simulator(for: template, seed: plan.spec.seed, replication: run.replication).run(generator: replicator.generator)
            #expect(run.measures == RunMeasure.all.map { $0.value(in: summary) })
        }
        // The fast route applies (governance factors) and gives the YAML route's template.
        let templates = PointTemplates(plan: plan)
        for point in plan.points.indices {
            let fast = try #require(templates.fastTemplate(point: point))
            let slow = try plan.template(point: point)
            #expect(fast.scenario == slow.scenario && fast.uncertain == slow.uncertain)
            #expect(fast.resampled?.fields == slow.resampled?.fields && fast.resampled?.values == slow.resampled?.values)
        }
    }

    @Test("a posterior whose weight sits on one particle gives only that particle's values")
    func weightsRespected() throws {
        let fixture = try SweepFixture(Self.options, replications: 50)
        defer { fixture.remove() }
        try Self.writePosterior([0, 1, 0], in: fixture)
        let (store, _) = try fixture.run(into: "out", jobs: 2)
        let drawn = try Self.drawnBaselines(store)
        #expect(drawn.count == 200 && drawn.values.allSatisfy { $0 == Self.particles[1] })
    }

    @Test("a changed posterior.csv refuses --resume, naming the posterior; the store records folder and hash")
    func resumeRefusesChangedPosterior() throws {
        let fixture = try SweepFixture(Self.options, replications: 5)
        defer { fixture.remove() }
        try Self.writePosterior([0.2, 0.3, 0.5], in: fixture)
        let (store, _) = try fixture.run(into: "out", jobs: 1)
        let record = try #require(try store.sweep())
        let bytes = try Data(contentsOf: fixture.folder.appendingPathComponent("cal/posterior.csv"))
        #expect(record.posterior == "cal" && record.posteriorSHA256 == FileHash.sha256(bytes))
        // Unchanged: resumes (nothing to do).
        #expect(try fixture.run(into: "out", jobs: 1, mode: .resume).1.computed == 0)
        // A calibration run again into the folder: refused.
        try Self.writePosterior([0.2, 0.3, 0.5], in: fixture, particles: [[6.0, 13.0], [7.5, 14.5], [9.5, 12.0]])
        #expect { try fixture.run(into: "out", jobs: 1, mode: .resume) } throws: { error in
            "\(error)".contains("the posterior (cal/posterior.csv) has changed")
        }
        // Shards: a shard of the old posterior is a different sweep too.
        let plan = try SweepLoader.load(path: fixture.sweepPath)
        var old = SweepStore.record(plan, shard: nil, createdAt: "")
        old.posteriorSHA256 = FileHash.sha256(bytes)
        #expect(SweepFingerprint.differences(stored: old, wanted: SweepStore.record(plan, shard: nil, createdAt: "")).count == 1)
    }

    @Test("a factor, an option or an uncertainty on a field the posterior draws is an error with file, line and path")
    func clashes() throws {
        func errors(_ body: String, weights: [Double] = [1, 1, 1]) throws -> [String] {
            let fixture = try SweepFixture(body)
            defer { fixture.remove() }
            try Self.writePosterior(weights, in: fixture)
            do {
                _ = try SweepLoader.load(path: fixture.sweepPath)
                return []
            } catch {
                return error.diagnostics.map(\.description)
            }
        }
        // Another spelling of the same field (by position), on line 7 of the sweep file.
        let factor = try errors("posterior: cal\nfactors:\n  - path: indicators[0].baseline\n    values: [6, 7]\n")
        #expect(factor.count == 1)
        #expect(factor[0].contains("sweep.yaml:7:") && factor[0].contains("factors[0].path: 'indicators[0].baseline' sets a field that the posterior (cal/posterior.csv) draws ('indicators[id=NI117].baseline' in unitary.yaml)"))
        // A block holding a drawn field.
        let block = try errors("posterior: cal\nfactors:\n  - path: indicators[id=NI152]\n    values: [{id: NI152}]\n")
        #expect(block.count == 1 && block[0].contains("factors[0].path") && block[0].contains("cannot also be varied by a factor"))
        let option = try errors("posterior: cal\noptions:\n  - name: A\n    set:\n      indicators[id=NI117].baseline: 7\n")
        #expect(option.count == 1 && option[0].contains("sweep.yaml:9:") && option[0].contains("options[0].set.indicators[id=NI117].baseline")
                && option[0].contains("cannot also be set by an option"))
        let uncertainty = try errors("posterior: cal\nuncertainties:\n  - path: indicators[id=NI152].baseline\n    min: 12\n    max: 14\nworlds: {count: 3}\n")
        #expect(uncertainty.count == 1 && uncertainty[0].contains("sweep.yaml:7:") && uncertainty[0].contains("uncertainties[0]")
                && uncertainty[0].contains("cannot also be an uncertainty"))
        // Bad posteriors: a missing folder, a column that addresses nothing, a field that cannot be uncertain.
        let missing = try errors("posterior: elsewhere\nfactors:\n  - path: governance.pooled_fraction\n    values: [0]\n")
        #expect(missing.count == 1 && missing[0].contains("sweep.yaml:5:") && missing[0].contains("posterior: 'elsewhere' gives no usable posterior")
                && missing[0].contains("elsewhere/posterior.csv") && missing[0].contains("run `lspsim calibrate` first"))
        let fixture = try SweepFixture("posterior: cal\n")
        defer { fixture.remove() }
        let directory = fixture.folder.appendingPathComponent("cal")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (column, reason) in [("partners[id=nobody].trust", "addresses nothing in unitary.yaml: 'partners[id=nobody].trust' addresses nothing: no item of partners has id 'nobody'"),
                                 ("area.quarters", "its fields cannot be drawn in unitary.yaml")] {
            try "particle,weight,distance,\(column)\n1,1,0,0.5\n".write(to: directory.appendingPathComponent("posterior.csv"), atomically: true, encoding: .utf8)
            let problems = sweepLoadErrors(fixture.sweepPath)
            #expect(problems.count == 1 && problems[0].contains("sweep.yaml:5:") && problems[0].contains("posterior: ") && problems[0].contains(reason), "\(problems)")
        }
        try "particle,weight,distance,area.quarters\n1,x,0,0.5\n".write(to: directory.appendingPathComponent("posterior.csv"), atomically: true, encoding: .utf8)
        let malformed = sweepLoadErrors(fixture.sweepPath)
        #expect(malformed.count == 1 && malformed[0].contains("cal/posterior.csv:2: expected 4 numbers with a weight >= 0"))
    }

    @Test("robust worlds from the posterior: each world one particle by weight, set in every option's point of that world")
    func worldsFromPosterior() throws {
        let body = """
            posterior: cal
            options:
              - {name: No pool, set: {governance.pooled_fraction: 0}}
            uncertainties:
              - {path: model.returns, min: 0.5, max: 0.9}
            worlds: {count: 40, design: latin_hypercube, from: posterior}
            outputs: {indicators: true}
            """
        let fixture = try SweepFixture(body, replications: 3)
        defer { fixture.remove() }
        try Self.writePosterior([0.2, 0.3, 0.5], in: fixture)
        let plan = try SweepLoader.load(path: fixture.sweepPath)
        #expect(plan.spec.posterior?.use == .perWorld)
        #expect(plan.spec.factors.map(\.name) == ["option", "world", "governance.pooled_fraction", "model.returns",
                                                  "indicators[id=NI117].baseline", "indicators[id=NI152].baseline"])
        #expect(plan.points.count == 80)
        let (store, outcome) = try fixture.run(into: "out", jobs: 2)
        #expect(outcome.failedNow == 0)
        let drawn = try Self.drawnBaselines(store)
        var counts = [0, 0, 0]
        for w in 0..<40 {
            let values = plan.points[w].values.suffix(2).map { $0.number! }
            let particle = try #require(Self.particles.firstIndex(of: values))
            counts[particle] += 1
            #expect(plan.points[40 + w].values.suffix(2).map(\.number) == values.map(Optional.init))   // the same world for "No pool"
            for point in [w + 1, 40 + w + 1] {
                for replication in 1...3 { #expect(drawn["\(point) \(replication)"] == values) }   // every run of the world
            }
        }
        #expect(counts.allSatisfy { $0 > 0 } && counts[2] > counts[0], "\(counts)")
        // The robustness analysis sees the calibrated fields as the worlds' uncertain inputs.
        let robust = try RobustData(store.loadData())
        #expect(robust.uncertainties == ["model.returns", "indicators[id=NI117].baseline", "indicators[id=NI152].baseline"])

        // One particle of weight 1: every world is that particle.
        let single = try SweepFixture(body, replications: 1)
        defer { single.remove() }
        try Self.writePosterior([0, 0, 1], in: single)
        let singlePlan = try SweepLoader.load(path: single.sweepPath)
        #expect(singlePlan.points.allSatisfy { $0.values.suffix(2).map(\.number) == [9.0, 12.0] })

        // from: posterior without a posterior.
        let orphan = try SweepFixture("options:\n  - {name: A, set: {governance.pooled_fraction: 0}}\nworlds: {count: 3, from: posterior}\n")
        defer { orphan.remove() }
        let problems = sweepLoadErrors(orphan.sweepPath)
        #expect(problems.count == 1 && problems[0].contains("sweep.yaml:7:") && problems[0].contains("worlds.from: 'posterior' needs posterior: DIR"))
    }

    @Test("a robust sweep with uncertainties draws the posterior per replication, the same particle for every option and world")
    func robustPerReplication() throws {
        let fixture = try SweepFixture("""
            posterior: cal
            options:
              - {name: No pool, set: {governance.pooled_fraction: 0}}
            uncertainties:
              - {path: model.returns, min: 0.5, max: 0.9}
            worlds: {count: 4}
            outputs: {indicators: true}
            """, replications: 30)
        defer { fixture.remove() }
        try Self.writePosterior([0.2, 0.3, 0.5], in: fixture)
        let (store, _) = try fixture.run(into: "out", jobs: 2)
        let drawn = try Self.drawnBaselines(store)
        for replication in 1...30 {
            let first = try #require(drawn["1 \(replication)"])
            #expect(Self.particles.contains(first))
            for point in 2...8 { #expect(drawn["\(point) \(replication)"] == first) }
        }
        #expect(Set(drawn.values.map { $0.description }).count > 1)
    }
}

/// The error lines of loading the sweep file at `path` (none if it loads).
func sweepLoadErrors(_ path: String) -> [String] {
    do {
        _ = try SweepLoader.load(path: path)
        return []
    } catch {
        return error.diagnostics.map(\.description)
    }
}
