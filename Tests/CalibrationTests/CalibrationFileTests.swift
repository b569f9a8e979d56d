import Foundation
import Testing
import ABC
import Calibration
import Experiments
import PartnershipModel
import ScenarioFile
import Stochastic

/// Calibration files, observations, the trajectory distance, the store (resume) and posterior draws.
struct CalibrationFileTests {
    static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scenarios")

    /// A fresh folder holding a copy of the example's base scenario and observations.
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("calibration-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["calibration-example-base.yaml", "calibration-example-observations.csv"] {
            try FileManager.default.copyItem(at: scenarios.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        return folder
    }

    static let valid = """
        scenario: calibration-example-base.yaml
        parameters:
          - path: indicators[id=NI117].responsiveness
            prior: {dist: uniform, min: 0.0, max: 0.4}
          - path: partners[id=police].trust
            prior: {dist: beta, a: 2, b: 2}
        observations: calibration-example-observations.csv
        targets:
          - {measure: targets_met_share, min: 0.4, max: 0.6}
        distance: {scale: observed_sd, target_penalty: 2}
        abc: {population: 40, generations: 3, replications: 2, seed: 7, quantile: 0.4}

        """

    static func write(_ text: String, in folder: URL, name: String = "calibration.yaml") throws -> String {
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The diagnostics of the CalibrationError that `body` throws (recording an issue if it does not).
    static func rejection(_ body: () throws -> Any) -> [Diagnostic] {
        do {
            _ = try body()
        } catch {
            return (error as? CalibrationError)?.diagnostics ?? []
        }
        Issue.record("expected a CalibrationError")
        return []
    }

    static func problems(_ text: String) throws -> [Diagnostic] {
        let path = try write(text, in: try folder())
        return rejection { try CalibrationLoader.load(path: path) }
    }

    @Test func readsAValidFile() throws {
        let spec = try CalibrationLoader.load(path: try Self.write(Self.valid, in: try Self.folder()))
        #expect(spec.paths.map(\.description) == ["indicators[id=NI117].responsiveness", "partners[id=police].trust"])
        #expect(spec.priors == [.uniform(min: 0, max: 0.4), .beta(a: 2, b: 2)])
        #expect(spec.observations.cells.count == 33)
        #expect(spec.targets == [SummaryTarget(measure: .targetsMetShare, min: 0.4, max: 0.6)])
        #expect(spec.scale == .observedSD && spec.targetPenalty == 2 && spec.replications == 2)
        #expect(spec.abc.populationSize == 40 && spec.abc.maxGenerations == 3 && spec.abc.seed == 7 && spec.abc.quantile == 0.4)
        // The bound fields are the ones the paths name.
        let template = spec.binding.template
        #expect(template.uncertain[spec.binding.fields[0]].path.contains("responsiveness"))
        #expect(template.uncertain[spec.binding.fields[1]].path.contains("trust"))
    }

    @Test func reportsProblemsWithLinesAndPaths() throws {
        let unknown = try Self.problems(Self.valid.replacingOccurrences(of: "distance:", with: "distanse:"))
        #expect(unknown.contains { $0.path == "distanse" && $0.line == 10 && $0.message.contains("did you mean 'distance'") })

        let badPrior = try Self.problems(Self.valid.replacingOccurrences(of: "min: 0.0, max: 0.4", with: "min: 0.5, max: 0.4"))
        #expect(badPrior.contains { $0.line == 4 && $0.message.contains("min < max") })

        let nothing = try Self.problems(Self.valid.replacingOccurrences(of: "id=police", with: "id=polis"))
        #expect(nothing.contains { $0.message.contains("no item of partners has id 'polis'") })

        let notUncertain = try Self.problems(Self.valid.replacingOccurrences(of: "partners[id=police].trust", with: "area.quarters"))
        #expect(!notUncertain.isEmpty)

        let badAbc = try Self.problems(Self.valid.replacingOccurrences(of: "quantile: 0.4", with: "quantile: 1.5"))
        #expect(badAbc.contains { $0.path == "abc.quantile" && $0.line == 11 })

        let measure = try Self.problems(Self.valid.replacingOccurrences(of: "targets_met_share", with: "targets_hit"))
        #expect(measure.contains { $0.path == "targets[0].measure" && $0.line == 9 })

        let missing = try Self.problems(Self.valid.replacingOccurrences(of: "observations: calibration-example-observations.csv\n", with: ""))
        #expect(missing.contains { $0.path == "observations" && $0.message.contains("is required") })
    }

    @Test func observationsParseWithMissingValuesAndReportBadLines() throws {
        let parsed = try Observations.parse("indicator,quarter,value\nNI117,1,6.9\nNI117,2,NA\nNI117,3,\nNI20,4,8.1\n", file: "obs.csv")
        #expect(parsed.cells == [.init(indicator: "NI117", quarter: 1, value: 6.9), .init(indicator: "NI20", quarter: 4, value: 8.1)])
        let bad = Self.rejection { try Observations.parse("indicator,quarter,value\nNI117,x,6.9\nNI117,2,6.8\nNI117,2,6.7\nNI20,3,abc\n", file: "obs.csv") }
        #expect(bad.map(\.line) == [2, 4, 5])
        #expect(throws: CalibrationError.self) { try Observations.parse("a,b,c\n", file: "obs.csv") }
    }

    /// The distance by hand: RMS of scaled residuals plus the penalty of a target out of range.
    @Test func distanceByHand() throws {
        var spec = try CalibrationLoader.load(path: try Self.write(Self.valid, in: try Self.folder()))
        spec.observations = Observations(cells: [.init(indicator: "NI117", quarter: 1, value: 7.0), .init(indicator: "NI20", quarter: 2, value: 8.0)])
        let distance = TrajectoryDistance(spec: spec)
        // Fewer than two observations of an indicator: observed_sd falls back on |target - baseline|.
        #expect(distance.cells.map(\.scale) == [abs(5.8 - 7.0), abs(7.8 - 8.6)])
        let d = distance.distance(cellMeans: [7.6, 8.2], measureMeans: [0.3])
        let rms = (((0.6 / 1.2) * (0.6 / 1.2) + (0.2 / 0.8) * (0.2 / 0.8)) / 2).squareRoot()
        #expect(abs(d - (rms + 2 * 0.1)) < 1e-12)
        #expect(distance.distance(cellMeans: [7.0, 8.0], measureMeans: [0.5]) == 0)
        // observed_sd with several values of an indicator is their sample sd.
        let scales = TrajectoryDistance.scales(Observations(cells: [.init(indicator: "NI20", quarter: 1, value: 1), .init(indicator: "NI20", quarter: 2, value: 3)]),
                                               scenario: spec.binding.template.scenario, by: .observedSD)
        #expect(abs(scales[2] - 2.0.squareRoot()) < 1e-12)
    }

    /// An interrupted calibration resumes to the same posterior as an uninterrupted one, whatever
    /// the thread count; a different calibration in the same folder is refused.
    @Test func storeResumesToTheSamePosterior() throws {
        let folder = try Self.folder()
        var spec = try CalibrationLoader.load(path: try Self.write(Self.valid, in: folder))
        let whole = try Calibrator(spec: spec, directory: folder.appendingPathComponent("whole")).run(jobs: 1, resume: false) { _ in }
        #expect(whole.generations.count == 3)

        let partDirectory = folder.appendingPathComponent("part")
        spec.abc.maxGenerations = 2
        _ = try Calibrator(spec: spec, directory: partDirectory).run(jobs: 2, resume: false) { _ in }
        spec.abc.maxGenerations = 3
        #expect(throws: Calibrator.Problem.self) { try Calibrator(spec: spec, directory: partDirectory).run(jobs: 2, resume: false) { _ in } }
        let rest = try Calibrator(spec: spec, directory: partDirectory).run(jobs: 2, resume: true) { _ in }
        #expect(rest.resumedAfter == 1)
        #expect(rest.generations.map(\.particles) == whole.generations.map(\.particles))
        #expect(rest.generations.map(\.weights) == whole.generations.map(\.weights))
        let text = { (d: URL) in try String(contentsOf: d.appendingPathComponent("posterior.csv"), encoding: .utf8) }
        #expect(try text(partDirectory) == (try text(folder.appendingPathComponent("whole"))))
        // The predictive check depends on the final population and the seed alone.
        for name in ["predictive.csv", "observations.csv"] {
            let file = { (d: URL) in try String(contentsOf: d.appendingPathComponent(name), encoding: .utf8) }
            #expect(try file(partDirectory) == (try file(folder.appendingPathComponent("whole"))), "\(name)")
        }

        var other = spec
        other.replications = 3
        #expect(throws: Calibrator.Problem.self) { try Calibrator(spec: other, directory: partDirectory).run(jobs: 1, resume: true) { _ in } }
    }

    /// `run --posterior`: each replication takes one particle's values, chosen by weight.
    @Test func posteriorDrawsReplicationsFromParticles() throws {
        let folder = try Self.folder()
        let posterior = Posterior(paths: ["indicators[id=NI117].responsiveness", "partners[id=police].trust"],
                                  values: [[0.1, 0.2], [0.3, 0.9]], weights: [0.25, 0.75], distances: [0.1, 0.2])
        try posterior.csv.write(to: folder.appendingPathComponent("posterior.csv"), atomically: true, encoding: .utf8)
        #expect(try Posterior.load(directory: folder.path) == posterior)
        let template = try PosteriorScenario.load(scenarioPath: folder.appendingPathComponent("calibration-example-base.yaml").path,
                                                  posteriorDirectory: folder.path).template
        let replicator = try Replicator()
        var second = 0
        let replications = 4000
        for r in 1...replications {
            let scenario = try replicator.simulator(for: template, seed: 1, replication: r).model.scenario
            let pair = [scenario.indicators[0].responsiveness, scenario.partners.first { $0.id == "police" }!.trust]
            #expect(pair == [0.1, 0.2] || pair == [0.3, 0.9])
            if pair == [0.3, 0.9] { second += 1 }
        }
        // Binomial(4000, 0.75): sd 27; 5 sigma.
        #expect(abs(Double(second) - 3000) < 5 * 27.4)
        // A posterior naming a field the scenario lacks is an error of the scenario.
        try "particle,weight,distance,partners[id=nobody].trust\n1,1,0,0.5\n".write(to: folder.appendingPathComponent("posterior.csv"), atomically: true, encoding: .utf8)
        #expect(throws: ScenarioFileError.self) {
            try PosteriorScenario.load(scenarioPath: folder.appendingPathComponent("calibration-example-base.yaml").path, posteriorDirectory: folder.path)
        }
    }

    /// The summary's weighted statistics and its table.
    @Test func posteriorSummaryByHand() {
        let posterior = Posterior(paths: ["a", "b"], values: [[1, 10], [2, 8], [3, 6], [4, 4]],
                                  weights: [0.1, 0.2, 0.3, 0.4], distances: [0, 0, 0, 0])
        let summary = PosteriorSummary(posterior: posterior, priors: [.uniform(min: 0, max: 5), .normal(mean: 5, sd: 2)])
        let a = summary.rows[0]
        #expect(abs(a.mean - 3) < 1e-12)
        #expect(abs(a.sd - 1) < 1e-12)
        #expect(a.median == 3 && a.lower == 1 && a.upper == 4)
        #expect(abs(summary.correlations[0][1] + 1) < 1e-12 && summary.correlations[1][1] == 1)
        let lines = summary.text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("parameter") && lines[0].contains("95%"))
        #expect(lines[1].hasPrefix("a ") && lines[1].contains("uniform(min 0.0, max 5.0)"))
        #expect(lines.contains { $0.hasPrefix("posterior correlations") })
        #expect(lines.last!.contains("-1.00") && lines.last!.contains("+1.00"))
    }
}
