import Foundation
import Testing
import PartnershipModel
import RunOutput
import ScenarioFile
import Stochastic

@Suite("Determinism and reproducibility")
struct DeterminismTests {
    static let uncertain = TestPaths.fixtures.appendingPathComponent("uncertain.yaml").path

    func temporaryDirectory(_ label: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("lspsim-\(label)-\(UUID().uuidString)")
    }

    @Test("replication 7 alone equals replication 7 among 50, on 1 or 2 threads")
    func replicationIndependence() throws {
        let template = try ScenarioLoader.load(path: Self.uncertain)
        #expect(template.uncertain.count == 6)
        // Alone: the two streams seeded for (S = 9, r = 7) by hand, the inputs drawn, one run.
        let inputs = try Generator(kind: .mt19937), generator = try Generator(kind: .mt19937)
        inputs.reseed(inputsOf: 9, replication: 7)
        generator.reseed(runSeed: 9, replication: 7)
        let simulator = Simulator(model: try template.instantiate(using: inputs))
        let alone = simulator.run(generator: generator)
        let aloneRows = RunTables.rows(replication: 7, seed: 9, summary: alone, simulator: simulator)

        for jobs in [1, 2] {
            let runner = try ReplicationRunner(template: template, settings: RunSettings(seed: 9, replications: 50, jobs: jobs))
            var seventh: ReplicationRecord?
            var order: [Int] = []
            let failures = runner.run { record in
                order.append(record.replication)
                if record.replication == 7 { seventh = record }
            }
            #expect(failures.isEmpty)
            #expect(order == Array(1...50))
            let record = try #require(seventh)
            #expect(record.summary == alone)
            #expect(record.summaryRow == aloneRows.summary)
            #expect(record.indicatorRows == aloneRows.indicators)
            #expect(record.quarterRows == aloneRows.quarters)
        }
    }

    @Test("the same seed gives byte-identical CSV files, whatever the thread count")
    func byteIdentical() throws {
        let a = temporaryDirectory("a"), b = temporaryDirectory("b"), c = temporaryDirectory("c")
        defer { for url in [a, b, c] { try? FileManager.default.removeItem(at: url) } }
        _ = try ScenarioRun.execute(scenarioPath: Self.uncertain, settings: RunSettings(seed: 4, replications: 150, jobs: 1), directory: a, commandLine: [])
        _ = try ScenarioRun.execute(scenarioPath: Self.uncertain, settings: RunSettings(seed: 4, replications: 150, jobs: 2), directory: b, commandLine: [])
        _ = try ScenarioRun.execute(scenarioPath: Self.uncertain, settings: RunSettings(seed: 5, replications: 150, jobs: 2), directory: c, commandLine: [])
        for file in RunTables.fileNames {
            let first = try Data(contentsOf: a.appendingPathComponent(file))
            let second = try Data(contentsOf: b.appendingPathComponent(file))
            let other = try Data(contentsOf: c.appendingPathComponent(file))
            #expect(first == second, "\(file) differs between 1 and 2 threads")
            #expect(first != other, "\(file) is the same for seeds 4 and 5")
        }
    }

    @Test("replications differ from each other when the scenario is stochastic")
    func replicationsDiffer() throws {
        let template = try ScenarioLoader.load(path: Self.uncertain)
        let runner = try ReplicationRunner(template: template, settings: RunSettings(seed: 1, replications: 20))
        var summaries: [RunSummary] = []
        _ = runner.run { summaries.append($0.summary) }
        #expect(Set(summaries.map(\.meanProgress)).count == 20)
    }

    @Test("uncertain inputs are drawn in document order from the replication's input stream")
    func drawOrder() throws {
        let template = try ScenarioLoader.load(path: Self.uncertain)
        let paths = template.uncertain.map(\.path)
        #expect(paths == ["indicators[0].trend", "indicators[0].responsiveness", "partners[0].budget",
                          "partners[0].openness", "partners[0].interests.NI8", "partners[3].trust"])
        let replicator = try Replicator(kind: .mt19937)
        let model = try replicator.simulator(for: template, seed: 3, replication: 2).model
        let check = try Generator(kind: .mt19937)
        check.reseed(inputsOf: 3, replication: 2)
        let trend = check.normal(mean: -0.01, sd: 0.01)
        let responsiveness = check.uniform(min: 0.05, max: 0.15)
        let budget = check.lognormal(mu: 6.5, sigma: 0.1)
        let openness = check.beta(a: 7, b: 3)
        let weight = check.gamma(shape: 2, scale: 0.5)
        let trust = check.uniform(min: 0.3, max: 0.7)
        let s = model.scenario
        #expect(s.indicators[0].trend == trend)
        #expect(s.indicators[0].responsiveness == responsiveness)
        #expect(s.partners[0].budget == budget)
        #expect(s.partners[0].openness == openness)
        #expect(s.partners[0].interests[1].weight == weight)
        #expect(s.partners[3].trust == trust)
    }

    @Test("quarterly draws do not depend on which inputs are uncertain (common random numbers)")
    func quarterStreamIsSeparate() throws {
        // The same scenario with its uncertain inputs fixed at some values, and with one of them
        // uncertain: the noise terms of replication r must be the same, so with equal inputs the
        // trajectories are equal. Fix every input at the draw replication 4 makes.
        let template = try ScenarioLoader.load(path: Self.uncertain)
        let replicator = try Replicator(kind: .mt19937)
        let drawn = try replicator.simulator(for: template, seed: 8, replication: 4)
        let withDraws = drawn.run(generator: replicator.generator)
        let fixed = try CompiledModel(drawn.model.scenario)
        let generator = try Generator(kind: .mt19937)
        generator.reseed(runSeed: 8, replication: 4)
        let withoutDraws = Simulator(model: fixed).run(generator: generator)
        #expect(withDraws == withoutDraws)
    }

    @Test("a draw outside a field's range fails the run: non-zero result, no files, earlier files untouched")
    func failedDrawsWriteNothing() throws {
        let yaml = try String(contentsOfFile: Self.uncertain, encoding: .utf8)
            .replacingOccurrences(of: "trust: {dist: uniform, min: 0.3, max: 0.7}", with: "trust: {dist: normal, mean: 0.9, sd: 0.3}")
        let directory = temporaryDirectory("fail")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let scenario = directory.appendingPathComponent("bad-draws.yaml")
        try yaml.write(to: scenario, atomically: true, encoding: .utf8)
        let earlier = Data("earlier results\n".utf8)
        try earlier.write(to: directory.appendingPathComponent("summary.csv"))
        do {
            _ = try ScenarioRun.execute(scenarioPath: scenario.path, settings: RunSettings(seed: 1, replications: 40, jobs: 2), directory: directory, commandLine: [])
            Issue.record("the run should have failed")
        } catch let error {
            guard case let .replicationsFailed(failures, total) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(total == 40)
            #expect(!failures.isEmpty)
            #expect(failures.allSatisfy { $0.error.issues.contains { $0.path == "partners[3].trust" } })
            #expect(error.description.contains("partners[3].trust: must be a number in [0, 1]"))
            #expect(error.description.contains("replication \(failures[0].replication)"))
        }
        #expect(try Data(contentsOf: directory.appendingPathComponent("summary.csv")) == earlier)
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(left == ["bad-draws.yaml", "summary.csv"])
    }
}
