import Foundation
import Testing
import ABC
import Calibration
import Experiments
import PartnershipModel
import ScenarioFile
import Stochastic

/// The posterior predictive check that `lspsim calibrate` writes (predictive.csv) and its coverage.
struct PredictiveCheckTests {
    @Test func coverageByHandAndCSVRoundTrip() throws {
        let rows = [
            PredictiveCheck.Row(indicator: "A", quarter: 0, observed: nil, p05: 1, p50: 1, p95: 1),
            PredictiveCheck.Row(indicator: "A", quarter: 1, observed: 2.0, p05: 1.5, p50: 2, p95: 2.5),
            PredictiveCheck.Row(indicator: "A", quarter: 2, observed: 2.5, p05: 1.5, p50: 2, p95: 2.5),   // on the edge: inside
            PredictiveCheck.Row(indicator: "B", quarter: 1, observed: 9.0, p05: 1.5, p50: 2, p95: 2.5),
        ]
        let check = PredictiveCheck(rows: rows)
        #expect(check.coverage == (2, 3))
        #expect(abs(check.coverageShare - 2.0 / 3) < 1e-15)
        // 0.9 - 2 sqrt(0.09 / 3) = 0.554: 0.667 is not far below; with 1 of 3 it is.
        #expect(!check.coverageFarBelow)
        #expect(check.coverageText.hasPrefix("2 of 3 observed values (67%) lie inside their 90% predictive band"))
        let worse = PredictiveCheck(rows: [rows[1], rows[3], PredictiveCheck.Row(indicator: "B", quarter: 2, observed: 0, p05: 1, p50: 2, p95: 3)])
        #expect(worse.coverage == (1, 3) && worse.coverageFarBelow && worse.coverageText.contains("far below 90%"))
        #expect(try PredictiveCheck.parse(check.csv, file: "p.csv") == check)
        #expect(check.csv.split(separator: "\n")[1] == "A,0,,1.0,1.0,1.0")
        #expect(throws: CalibrationError.self) { try PredictiveCheck.parse("indicator,quarter,observed,p05,p50,p95\nA,1,x,1,2,3\n", file: "p.csv") }
    }

    /// predictive.csv holds the bands of `lspsim run BASE --posterior DIR --seed S -r M`, computed
    /// here independently; calibrate also writes observations.csv and calibration.json.
    @Test func calibrateWritesTheBandsOfRunPosterior() throws {
        let folder = try CalibrationFileTests.folder()
        let text = CalibrationFileTests.valid.replacingOccurrences(of: "quantile: 0.4}", with: "quantile: 0.4, predictive: 60}")
        let spec = try CalibrationLoader.load(path: try CalibrationFileTests.write(text, in: folder))
        #expect(spec.predictive == 60)
        let out = folder.appendingPathComponent("out")
        let outcome = try Calibrator(spec: spec, directory: out).run(jobs: 2, resume: false) { _ in }
        let written = try PredictiveCheck.load(directory: out)
        #expect(written == outcome.predictive)

        let base = folder.appendingPathComponent("calibration-example-base.yaml").path
        let template = try PosteriorScenario.load(scenarioPath: base, posteriorDirectory: out.path).template
        let replicator = try Replicator()
        let ids = template.scenario.indicators.map(\.id)
        var values = [[[Double]]](repeating: [[Double]](repeating: [], count: 13), count: ids.count)
        for r in 1...60 {
            let simulator = try replicator.simulator(for: template, seed: 7, replication: r)
            _ = simulator.run(generator: replicator.generator)
            for k in ids.indices { for t in 0...12 { values[k][t].append(simulator.indicatorValue(quarter: t, indicator: k)) } }
        }
        let observed = Dictionary(uniqueKeysWithValues: spec.observations.cells.map { ("\($0.indicator) \($0.quarter)", $0.value) })
        #expect(written.rows.count == ids.count * 13)
        for row in written.rows {
            let k = ids.firstIndex(of: row.indicator)!
            let q = Quantiles.quantiles(values[k][row.quarter], [0.05, 0.5, 0.95])
            #expect([row.p05, row.p50, row.p95] == q, "\(row.indicator) at quarter \(row.quarter)")
            #expect(row.observed == observed["\(row.indicator) \(row.quarter)"])
        }
        #expect(try String(contentsOf: out.appendingPathComponent("observations.csv"), encoding: .utf8) == spec.observations.csv)

        let result = try CalibrationResultFile.load(directory: out)
        #expect(result.parameters.map(\.path) == spec.paths.map(\.description))
        #expect(result.parameters.map(\.mean) == outcome.summary.rows.map(\.mean))
        #expect(result.parameters[1].prior == "beta(a 2.0, b 2.0)" && abs(result.parameters[1].priorSD - 0.2236) < 1e-4)
        #expect(result.generations.map(\.generation) == [0, 1, 2] && result.generations[0].tolerance == nil)
        #expect(result.predictive?.replications == 60 && result.predictive?.observed == written.coverage.observed
                && result.predictive?.covered == written.coverage.covered)
    }

    /// The bands are at their nominal level: the band of the true values covers about 90% of data
    /// sets that lspsim generates from those values (20 data sets of the shipped example, 720 cells).
    @Test func bandsOfTheTruthCoverNinetyPercent() throws {
        let spec = try CalibrationLoader.load(path: RecoveryTests.exampleFile)
        let truth = Posterior(paths: spec.paths.map(\.description), values: [[0.12, 0.17, 0.14, 0.55]], weights: [1], distances: [0])
        var covered = 0, observed = 0
        let (bands, _) = try PredictiveCheck.simulate(binding: spec.binding, posterior: truth, observations: Observations(cells: []),
                                                      seed: 1, replications: 400)
        for set in 1...20 {
            let data = try SyntheticData.observations(binding: spec.binding, values: truth.values[0], seed: UInt64(5000 + set), quarters: 1...12)
            let check = PredictiveCheck(rows: bands.rows.map { row in
                let value = data.cells.first { $0.indicator == row.indicator && $0.quarter == row.quarter }?.value
                return PredictiveCheck.Row(indicator: row.indicator, quarter: row.quarter, observed: value, p05: row.p05, p50: row.p50, p95: row.p95)
            })
            covered += check.coverage.covered
            observed += check.coverage.observed
        }
        let share = Double(covered) / Double(observed)
        print("bands of the true values cover \(covered) of \(observed) synthetic cells (\(share))")
        #expect(observed == 720)
        // Cells of one series are correlated, so the tolerance is wider than for 720 independent cells.
        #expect(share > 0.84 && share < 0.95, "\(covered) of \(observed)")
    }

    /// On the shipped example (synthetic data from known values), the observed values lie inside
    /// their 90% bands at about the nominal rate, and far less often for a wrong posterior.
    @Test func shippedExampleCoverage() throws {
        var spec = try CalibrationLoader.load(path: RecoveryTests.exampleFile)
        spec.abc.populationSize = 100
        spec.abc.maxGenerations = 5
        spec.predictive = 100
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("predictive-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let outcome = try Calibrator(spec: spec, directory: out).run(jobs: 2, resume: false) { _ in }
        let check = try #require(outcome.predictive)
        print("predictive check on the shipped example: \(check.coverageText)")
        #expect(check.coverage.observed == 33)
        #expect(check.coverageShare >= 0.8 && !check.coverageFarBelow, "\(check.coverageText)")

        // NI117 responding three times as strongly as the truth (0.12): its observed path leaves the band.
        let wrong = Posterior(paths: outcome.posterior.paths, values: [[0.36, 0.17, 0.14, 0.55]], weights: [1], distances: [0])
        let (bad, _) = try PredictiveCheck.simulate(binding: spec.binding, posterior: wrong, observations: spec.observations,
                                                    seed: 1, replications: 100)
        print("predictive check of a wrong posterior: \(bad.coverageText)")
        #expect(bad.coverageFarBelow)
        let ni117 = bad.rows.filter { $0.indicator == "NI117" && $0.observed != nil }
        #expect(ni117.filter { $0.covered == false }.count >= 6)
    }
}
