import Foundation
import Testing
@testable import Experiments
import Results
import ScenarioFile

@Suite("Robust sweeps: options x worlds as design points, common random numbers, validation")
struct RobustSweepTests {
    // unitary.yaml pools 5%: "Same as current" changes nothing, "No pool" changes the pooled fraction.
    static let body = """
        options:
          - name: No pool
            set: {governance.pooled_fraction: 0}
          - name: Same as current
            set: {governance.pooled_fraction: 0.05}
          - name: Strategic only, skilled
            set: {governance.levels: [strategic], governance.commissioning: 0.9}
        uncertainties:
          - {path: model.returns, min: 0.5, max: 0.9}
          - {path: model.delivery_lag, values: [1, 2, 3]}
        worlds: {count: 5, design: latin_hypercube}
        """

    @Test("options x worlds expand into design points with option, world, option paths and uncertainties as factors")
    func expansion() throws {
        let fixture = try SweepFixture(Self.body, replications: 3)
        defer { fixture.remove() }
        let plan = try SweepLoader.load(path: fixture.sweepPath)
        #expect(plan.spec.factors.map(\.name) == ["option", "world", "governance.pooled_fraction", "governance.levels",
                                                  "governance.commissioning", "model.returns", "model.delivery_lag"])
        #expect(plan.points.count == 4 * 5)
        #expect(plan.spec.design.kind == .latinHypercube && plan.spec.design.samples == 5)
        // current records the scenario's own values: pooled 0.05, all three levels, commissioning 0.5.
        #expect(plan.label(point: 0).hasPrefix("option=current, world=1, governance.pooled_fraction=0.05, governance.levels=[strategic, executive, thematic], governance.commissioning=0.5"))
        #expect(plan.label(point: 5).hasPrefix("option=No pool, world=1, governance.pooled_fraction=0, "))
        // Every option meets the same worlds.
        for w in 0..<5 {
            let worlds = (0..<4).map { o in plan.points[o * 5 + w].values.suffix(2).map(\.label) }
            #expect(Set(worlds.map { $0.joined(separator: " ") }).count == 1)
        }
        // The recorded option and world are not set in the scenario; the rest is.
        let tree = try plan.scenarioTree(point: 15)   // Strategic only, skilled; world 1
        #expect(tree.mapping?["option"] == nil)
        #expect(tree.mapping?["governance"]?.mapping?["commissioning"]?.string == "0.9")
        #expect(tree.mapping?["model"]?.mapping?["returns"]?.string == plan.points[15].values[5].label)
    }

    @Test("common random numbers: an option identical to current gives identical runs in every world; another differs")
    func commonRandomNumbers() throws {
        let fixture = try SweepFixture(Self.body, replications: 3)
        defer { fixture.remove() }
        let (store, outcome) = try fixture.run(into: "out", jobs: 2)
        #expect(outcome.computed == 60 && outcome.failedNow == 0)
        let data = try store.loadData()
        func runs(_ point: Int) -> [[Double]] { data.runs.filter { $0.point == point }.map { $0.measures! } }
        var noPoolDiffers = false
        for w in 1...5 {
            #expect(runs(w) == runs(10 + w))             // current and "Same as current", world w
            if runs(w) != runs(5 + w) { noPoolDiffers = true }
        }
        #expect(noPoolDiffers)
        let robust = try RobustData(data)
        #expect(robust.options == ["current", "No pool", "Same as current", "Strategic only, skilled"])
        #expect(robust.uncertainties == ["model.returns", "model.delivery_lag"])
        #expect(robust.robustness().beats[0][2] == 0 && robust.robustness().beats[2][0] == 0)
    }

    @Test("a robust sweep equals the same points run as an ordinary sweep")
    func sameAsOrdinary() throws {
        let robustBody = """
            options:
              - name: No pool
                set: {governance.pooled_fraction: 0}
            uncertainties:
              - {path: model.returns, min: 0.5, max: 0.9}
            worlds: {count: 3, design: random}
            """
        let robustFixture = try SweepFixture(robustBody, replications: 4)
        defer { robustFixture.remove() }
        let plan = try SweepLoader.load(path: robustFixture.sweepPath)
        let returns = (0..<3).map { plan.points[$0].values[3].label }
        let ordinaryBody = """
            factors:
              - path: governance.pooled_fraction
                values: [0.05, 0]
              - path: model.returns
                values: [\(returns.joined(separator: ", "))]
            design: {type: grid}
            """
        let ordinaryFixture = try SweepFixture(ordinaryBody, replications: 4)
        defer { ordinaryFixture.remove() }
        let (robustStore, _) = try robustFixture.run(into: "out", jobs: 2)
        let (ordinaryStore, _) = try ordinaryFixture.run(into: "out", jobs: 1)
        // Both list (pooled 0.05, 0) x the three worlds in the same order, so point ids match.
        let a = try dump(robustStore), b = try dump(ordinaryStore)
        #expect(a.count == 24 && a == b)
        let labels = try robustStore.pointLabels(), ordinaryLabels = try ordinaryStore.pointLabels()
        #expect(labels[6]!.hasSuffix("governance.pooled_fraction=0, model.returns=\(returns[2])"))
        #expect(ordinaryLabels[6] == "governance.pooled_fraction=0, model.returns=\(returns[2])")
    }

    @Test("errors name file, line, field path and what is valid")
    func validation() throws {
        let duplicate = try sweepErrors("""
            options:
              - {name: A, set: {governance.pooled_fraction: 0}}
              - {name: A, set: {governance.pooled_fraction: 0.1}}
              - {name: current, set: {governance.pooled_fraction: 0.1}}
            """)
        #expect(duplicate.count == 2)
        #expect(duplicate[0].contains("sweep.yaml:7:") && duplicate[0].contains("options[1].name: must be unique: options[0] is named 'A' already"))
        #expect(duplicate[1].contains("'current' is the scenario as written"))

        let badPath = try sweepErrors("options:\n  - {name: A, set: {governance.pooled_fractoin: 0.1}}\n")
        #expect(badPath.count == 1 && badPath[0].contains("options[0].set.governance.pooled_fractoin") && badPath[0].contains("pooled_fractoin"))

        let badValue = try sweepErrors("options:\n  - {name: A, set: {governance.pooled_fraction: 1.5}}\n")
        #expect(badValue.count == 1)
        #expect(badValue[0].contains("sweep.yaml:6:") && badValue[0].contains("options[0] (governance.pooled_fraction = 1.5) on unitary.yaml makes an invalid scenario: governance.pooled_fraction: must be a number in [0, 1), got 1.5"))

        let badRange = try sweepErrors("uncertainties:\n  - {path: model.returns, min: 0.5, max: 1.5}\nworlds: {count: 3}\n")
        #expect(badRange.count == 1 && badRange[0].contains("uncertainties[0] (model.returns = 1.5) on unitary.yaml makes an invalid scenario: model.returns"))

        let noWorlds = try sweepErrors("uncertainties:\n  - {path: model.returns, min: 0.5, max: 0.9}\n")
        #expect(noWorlds.count == 1 && noWorlds[0].contains("worlds: is required"))

        let mixed = try sweepErrors("factors:\n  - {path: governance.scrutiny, values: [0, 1]}\noptions:\n  - {name: A, set: {governance.pooled_fraction: 0}}\n")
        #expect(mixed.count == 1 && mixed[0].contains("factors: cannot be combined with options"))

        let both = try sweepErrors("options:\n  - {name: A, set: {model.returns: 0.8}}\nuncertainties:\n  - {path: model.returns, min: 0.5, max: 0.9}\nworlds: {count: 2, design: grid}\n")
        #expect(both.contains { $0.contains("'model.returns' is set by an option, so it cannot also be uncertain") })
        #expect(both.contains { $0.contains("worlds.design: must be one of latin_hypercube, sobol, random") })

        let unknown = try sweepErrors("options:\n  - {name: A, sett: {model.returns: 0.8}}\n")
        #expect(unknown.contains { $0.contains("unknown key 'sett' (did you mean 'set'?)") })
    }

    /// The model constants docs/MODEL.md marks as modelling choices (Section 7.9).
    static let modellingChoices = [
        "reach_strategic", "reach_executive", "reach_thematic", "tier_attenuation", "named_boost", "peer_weight", "returns",
        "synergy", "fragmentation_penalty", "reprioritisation", "trust_learning", "free_riding_sensitivity", "culture_building",
        "disengagement", "budget_volatility", "overhead_per_level", "overhead_per_board", "delivery_lag", "pool_bonus",
        "pool_overhead", "review_cost",
    ].map { "model." + $0 }

    @Test("the shipped uncertainties cover every modelling-choice constant, and each bound is a valid scenario value")
    func shippedUncertainties() throws {
        let path = packageRoot.appendingPathComponent("scenarios/robust-options.yaml").path
        let plan = try SweepLoader.load(path: path)
        let robust = try #require(plan.spec.robust)
        #expect(robust.uncertainties.map(\.name).sorted() == Self.modellingChoices.sorted())
        #expect(robust.options.count >= 9 && robust.options[0].name == "current")
        #expect(plan.points.count == robust.options.count * 1000 && plan.spec.replications == 10)
        // Each bound (or listed value) alone on unitary.yaml loads as a valid scenario.
        let base = plan.bases[0]
        for factor in robust.uncertainties {
            let probes: [FactorValue]
            switch factor.domain {
            case let .values(values): probes = values
            case let .range(min, max, integer, _):
                #expect(min < max)
                probes = [FactorValue(number: min, integer: integer), FactorValue(number: max, integer: integer)]
            }
            for probe in probes {
                let tree = try factor.path.setting(probe.node, in: base.root)
                #expect(throws: Never.self) { _ = try ScenarioLoader.load(root: tree, file: base.path) }
            }
        }
        // The included file's text is part of the sweep's fingerprint.
        #expect(plan.text.contains("model.tier_attenuation"))
    }

    @Test("an included uncertainties file is part of the sweep's fingerprint: changing it refuses --resume")
    func includedFingerprint() throws {
        let fixture = try SweepFixture("""
            options:
              - {name: No pool, set: {governance.pooled_fraction: 0}}
            uncertainties: {include: worlds.yaml}
            worlds: {count: 2, design: random}
            """, replications: 2)
        defer { fixture.remove() }
        let included = fixture.folder.appendingPathComponent("worlds.yaml")
        try "uncertainties:\n  - {path: model.returns, min: 0.5, max: 0.9}\n".write(to: included, atomically: true, encoding: .utf8)
        _ = try fixture.run(into: "out", jobs: 1)
        let again = try SweepLoader.load(path: fixture.sweepPath)
        #expect(throws: Never.self) { _ = try SweepStore.open(plan: again, directory: fixture.folder.appendingPathComponent("out"), shard: nil, mode: .resume) }
        try "uncertainties:\n  - {path: model.returns, min: 0.5, max: 0.8}\n".write(to: included, atomically: true, encoding: .utf8)
        let changed = try SweepLoader.load(path: fixture.sweepPath)
        #expect(throws: ResultStore.StoreError.self) {
            _ = try SweepStore.open(plan: changed, directory: fixture.folder.appendingPathComponent("out"), shard: nil, mode: .resume)
        }
        // Errors in an included file name that file.
        try "uncertainties:\n  - {path: model.returns, min: 0.5, max: 1.5}\n".write(to: included, atomically: true, encoding: .utf8)
        do {
            _ = try SweepLoader.load(path: fixture.sweepPath)
            Issue.record("an invalid included range should be rejected")
        } catch {
            #expect(error.diagnostics.count == 1 && error.diagnostics[0].description.contains("worlds.yaml:2:5: error: uncertainties[0]: uncertainties[0] (model.returns = 1.5) on unitary.yaml makes an invalid scenario"))
        }
    }
}
