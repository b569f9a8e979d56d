import Testing
import PartnershipModel
import Stochastic

/// Checks SPEC.md's invariants after every quarter.
struct InvariantObserver: QuarterObserver {
    let model: CompiledModel
    var problems: [String] = []
    var quarters = 0

    init(model: CompiledModel) { self.model = model }

    mutating func observe(_ s: QuarterSnapshot) {
        quarters += 1
        let n = model.partnerCount, k = model.indicatorCount
        let scenario = model.scenario
        for i in 0..<n {
            let row = s.priorities[(i * k)..<((i + 1) * k)]
            let total = row.reduce(0, +)
            if abs(total - 1) > 1e-9 { problems.append("q\(s.quarter): partner \(i)'s priorities sum to \(total)") }
            if row.contains(where: { $0 < -1e-15 }) { problems.append("q\(s.quarter): partner \(i) has a negative priority") }
        }
        let agreed = Array(s.agreedPriorities)
        let laaTotal = zip(agreed, scenario.indicators).filter { $0.1.laaTarget }.map(\.0).reduce(0, +)
        if abs(laaTotal - 1) > 1e-9 { problems.append("q\(s.quarter): agreed priorities sum to \(laaTotal) over LAA indicators") }
        for (c, indicator) in scenario.indicators.enumerated() where !indicator.laaTarget && agreed[c] != 0 {
            problems.append("q\(s.quarter): agreed priority \(agreed[c]) on non-LAA indicator \(indicator.id)")
        }
        if s.trust.contains(where: { !($0 >= 0 && $0 <= 1) }) { problems.append("q\(s.quarter): trust outside [0, 1]") }
        // Money is conserved: partners' spend, what the pool spends and overhead (which includes, in
        // version 2, the pool's transaction cost and a review quarter's cost) add up to what was drawn.
        let accounted = s.spent + s.poolSpent + s.overhead
        if abs(accounted - s.discretionaryDrawn) > 1e-9 * max(1, s.discretionaryDrawn) {
            problems.append("q\(s.quarter): spend + pool spent + overhead = \(accounted) but \(s.discretionaryDrawn) was drawn")
        }
        if model.version == .v1 && s.poolSpent != s.pooled { problems.append("q\(s.quarter): version 1 pool spent \(s.poolSpent) of \(s.pooled)") }
        if s.poolSpent > s.pooled || s.poolSpent < 0 { problems.append("q\(s.quarter): pool spent \(s.poolSpent) of \(s.pooled)") }
        // Money moved is at most what was spent (partners' and the pool's), and never negative.
        if !(s.moved >= -1e-12 && s.moved <= (s.spent + s.poolSpent) * (1 + 1e-12) + 1e-12) {
            problems.append("q\(s.quarter): moved \(s.moved) outside [0, spent \(s.spent + s.poolSpent)]")
        }
        if scenario.tier == .single && s.fragmentation != 0 { problems.append("q\(s.quarter): single tier with fragmentation \(s.fragmentation)") }
        if !scenario.governance.levels.contains(.executive) && s.pooled != 0 { problems.append("q\(s.quarter): pooled \(s.pooled) without an executive") }
        if s.engaged < 0 || s.engaged > n { problems.append("q\(s.quarter): engaged \(s.engaged)") }
    }
}

@Suite("SPEC.md invariants over random scenarios and seeds")
struct InvariantTests {
    @Test("random small scenarios keep every invariant every quarter", arguments: ModelVersion.allCases, 1...240)
    func invariants(_ version: ModelVersion, _ seed: Int) throws {
        let scenario = try RandomScenario.make(seed: UInt(seed), version: version)
        #expect(scenario.validationIssues().isEmpty, "\(scenario.validationIssues())")
        let model = try CompiledModel(scenario)
        let simulator = Simulator(model: model)
        let generator = try Generator(kind: .mt19937)
        for replication in 1...3 {
            generator.reseed(runSeed: UInt64(seed), replication: replication)
            var observer = InvariantObserver(model: model)
            let summary = simulator.run(generator: generator, observer: &observer)
            #expect(observer.problems.isEmpty, "scenario seed \(seed), replication \(replication): \(observer.problems.prefix(5))")
            #expect(observer.quarters == scenario.quarters)
            #expect(summary.targetsMetShare >= 0 && summary.targetsMetShare <= 1)
            #expect(summary.alignedShareMean >= 0 && summary.alignedShareMean <= 1 + 1e-12)
            #expect(summary.meanTrustFinal >= 0 && summary.meanTrustFinal <= 1)
            #expect(summary.fragmentation >= 0 && summary.fragmentation <= 1)
            #expect(summary.moneyMovedShare >= 0 && summary.moneyMovedShare <= 1)
            #expect(summary.rewardGrant >= 0 && summary.rewardGrant <= scenario.model.rewardPot * (1 + 1e-12))
            if scenario.tier == .single { #expect(summary.fragmentation == 0) }
            if !scenario.governance.levels.contains(.executive) { #expect(summary.pooledTotal == 0) }
        }
    }

    @Test("derived quantities: agreed priorities, district priorities and weights are distributions")
    func derived() throws {
        for seed in 1...100 {
            let model = try CompiledModel(RandomScenario.make(seed: UInt(seed), twoTier: true))
            let k = model.indicatorCount
            #expect(abs(model.initialPriorities.reduce(0, +) - 1) < 1e-12)
            let districts = model.districtWeights.count
            #expect(districts >= 1)
            #expect(abs(model.districtWeights.reduce(0, +) - 1) < 1e-12)
            for d in 0..<districts {
                #expect(abs(model.districtPriorities[(d * k)..<((d + 1) * k)].reduce(0, +) - 1) < 1e-12)
            }
            for i in 0..<model.partnerCount {
                #expect(abs(model.interests[(i * k)..<((i + 1) * k)].reduce(0, +) - 1) < 1e-12)
            }
        }
    }

    @Test("with no executive level nothing is pooled, whatever the pooled fraction")
    func noExecutiveNoPool() throws {
        var scenario = try RandomScenario.make(seed: 11)
        scenario.governance.levels = [.strategic, .thematic]
        scenario.governance.pooledFraction = 0.5
        let simulator = Simulator(model: try CompiledModel(scenario))
        let generator = try Generator(seed: 3)
        let summary = simulator.run(generator: generator)
        #expect(summary.pooledTotal == 0)
        for t in 1...scenario.quarters { #expect(simulator.quarterRecord(t).pooled == 0) }
    }

    @Test("a deterministic run does not depend on the generator or its seed")
    func deterministicIgnoresSeed() throws {
        var scenario = try RandomScenario.make(seed: 5)
        scenario.model.disengagement = 0
        scenario.model.budgetVolatility = 0
        for c in scenario.indicators.indices { scenario.indicators[c].noiseSD = 0 }
        let simulator = Simulator(model: try CompiledModel(scenario))
        let a = simulator.run(generator: try Generator(kind: .mt19937, seed: 1))
        let b = simulator.run(generator: try Generator(kind: .taus2, seed: 99))
        #expect(a == b)
    }

    @Test("a simulator reused for many runs gives the same result as a fresh one", arguments: ModelVersion.allCases)
    func reuseIsClean(_ version: ModelVersion) throws {
        let model = try CompiledModel(RandomScenario.make(seed: 17, version: version))
        let reused = Simulator(model: model)
        let generator = try Generator()
        for r in 1...5 {
            generator.reseed(runSeed: 2, replication: r)
            _ = reused.run(generator: generator)
        }
        generator.reseed(runSeed: 2, replication: 3)
        let again = reused.run(generator: generator)
        generator.reseed(runSeed: 2, replication: 3)
        let fresh = Simulator(model: model).run(generator: generator)
        #expect(again == fresh)
    }
}
