import Foundation
import PartnershipModel
import RunOutput
import ScenarioFile
import Testing
@testable import Studio

@Suite("Studio: governance changes, paired comparisons, catalogue")
struct StudioTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let unitaryPath = root.appendingPathComponent("scenarios/unitary.yaml").path
    static let unitary = try! String(contentsOfFile: unitaryPath, encoding: .utf8)

    @Test("a changed option is written into the governance block and the result loads")
    func applyChange() throws {
        let change = GovernanceChange(values: ["pooled_fraction": "0.1", "decision_rule": "lead_partner", "lead_partner": "council", "review_every": "2"],
                                      levels: ["strategic", "executive"])
        let changed = try GovernanceEdit.apply(change, to: Self.unitary, file: "unitary.yaml")
        let g = changed.template.scenario.governance
        #expect(g.pooledFraction == 0.1 && g.decisionRule == .leadPartner && g.leadPartner == "council" && g.reviewEvery == 2)
        #expect(g.levels == [.strategic, .executive])
        let original = try ScenarioLoader.parse(yaml: Self.unitary, file: "unitary.yaml").scenario
        #expect(changed.template.scenario.partners == original.partners)
        #expect(changed.template.scenario.indicators == original.indicators)
        #expect(changed.template.scenario.model == original.model)
        // The written YAML loads again to the same set-up.
        let reloaded = try ScenarioLoader.parse(yaml: changed.yaml, file: "again.yaml").scenario.governance
        #expect(reloaded == g)
    }

    @Test("bad values come back with the loader's field path", arguments: [
        ("pooled_fraction", "1.5", "governance.pooled_fraction"),
        ("leadership", "-0.2", "governance.leadership"),
        ("review_every", "0", "governance.review_every"),
        ("scrutiny", "lots", "governance.scrutiny"),
        ("decision_rule", "coin_toss", "governance.decision_rule"),
        ("lead_partner", "nobody", "governance.lead_partner"),
        ("pooled_fraction", "0.1\nmodel: {version: 7}", "governance.pooled_fraction"),
    ])
    func badValues(key: String, value: String, path: String) throws {
        let change = GovernanceChange(values: [key: value])
        do {
            _ = try GovernanceEdit.apply(change, to: Self.unitary, file: "unitary.yaml")
            Issue.record("\(key) = \(value) was accepted")
        } catch {
            #expect(error.errors.contains { $0.path == path }, "\(error.errors)")
        }
    }

    @Test("unknown options and levels are refused")
    func unknownKeys() throws {
        #expect(throws: FieldErrors.self) { try GovernanceChange(json: ["budget": .number(5)]) }
        #expect(throws: FieldErrors.self) {
            try GovernanceEdit.apply(GovernanceChange(levels: ["strategic", "imperial"]), to: Self.unitary, file: "u.yaml")
        }
        let parsed = try GovernanceChange(json: ["pooled_fraction": .number(0.1), "levels": .array([.string("strategic")])])
        #expect(parsed.values["pooled_fraction"] == "0.1" && parsed.levels == ["strategic"])
    }

    @Test("the same set-up on both sides differs by exactly zero; the figures do not depend on threads")
    func pairing() throws {
        let template = try ScenarioLoader.parse(yaml: Self.unitary, file: "unitary.yaml")
        let same = try PairedComparison(current: template, changed: template, seed: 3, replications: 40, jobs: 2).run()
        for d in same.differences {
            #expect(d.difference == 0 && d.standardDeviation == 0 && d.shareBetter == 0 && d.shareWorse == 0)
        }
        let changed = try GovernanceEdit.apply(GovernanceChange(values: ["pooled_fraction": "0.15"]), to: Self.unitary, file: "u.yaml").template
        let one = try PairedComparison(current: template, changed: changed, seed: 3, replications: 40, jobs: 1).run()
        let two = try PairedComparison(current: template, changed: changed, seed: 3, replications: 40, jobs: 2).run()
        #expect(one.differences == two.differences)
        #expect(one.indicators == two.indicators)
        #expect(one.trust.changed == two.trust.changed && one.moved.current == two.moved.current)
        #expect(one.differences.first { $0.measure == "targets_met_share" }!.standardDeviation > 0)
    }

    @Test("each side equals lspsim run's replications of the same seed")
    func sidesMatchRun() throws {
        let template = try ScenarioLoader.parse(yaml: Self.unitary, file: "unitary.yaml")
        let result = try PairedComparison(current: template, changed: template, seed: 5, replications: 30, jobs: 2).run()
        var records: [ReplicationRecord] = []
        let runner = try ReplicationRunner(template: template, settings: RunSettings(seed: 5, replications: 30, jobs: 1, formatRows: false))
        _ = runner.run { records.append($0) }
        let statistics = RunStatistics(scenario: template.scenario, records: records)
        let share = statistics.measures.first { $0.measure == .targetsMetShare }!.spread.mean
        #expect(abs(result.differences[0].currentMean - share) < 1e-12)
        for (line, chance) in zip(statistics.indicators, result.indicators) {
            #expect(line.id == chance.id && line.metShare == chance.current)
        }
    }

    @Test("cancelling stops the workers before the end")
    func cancel() throws {
        let template = try ScenarioLoader.parse(yaml: Self.unitary, file: "unitary.yaml")
        let comparison = PairedComparison(current: template, changed: template, seed: 1, replications: 50_000, jobs: 2)
        // A thread of its own: Dispatch's global threads are all busy with the workers.
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.2)
            comparison.cancel()
        }
        #expect(throws: PairedComparison.Cancelled.self) { try comparison.run() }
        #expect(comparison.completed < 50_000)
    }

    @Test("the catalogue lists scenario files, not sweep files, by id")
    func catalogue() {
        var catalog = Catalog()
        catalog.addShipped(directory: Self.root.appendingPathComponent("scenarios").path)
        let ids = catalog.entries.map(\.id)
        #expect(ids.contains("unitary") && ids.contains("two-tier-county"))
        #expect(!ids.contains("governance-options") && !ids.contains("tier-comparison"))
        catalog.add(path: Self.unitaryPath)
        #expect(catalog.entries.filter { $0.id.hasPrefix("unitary") }.count == 1)
        catalog.add(path: "/nonexistent/x.yaml")
        #expect(catalog.skipped.count == 1)
        #expect(catalog.entry(id: "../unitary") == nil)
    }
}
