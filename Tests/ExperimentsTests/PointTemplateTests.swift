import Foundation
import Testing
@testable import Experiments
import PartnershipModel
import ScenarioFile

@Suite("Design point templates: the fast route gives the scenario the YAML route gives")
struct PointTemplateTests {
    @Test("options and every shipped uncertainty: same scenario by both routes, at every point")
    func sameScenario() throws {
        let uncertainties = packageRoot.appendingPathComponent("scenarios/uncertainties.yaml").path
        let fixture = try SweepFixture("""
            options:
              - {name: Strategic only, set: {governance.levels: [strategic]}}
              - {name: Reviews, set: {governance.review_every: 2, governance.decision_rule: resource_weighted}}
              - {name: Skilled pool, set: {governance.pooled_fraction: 0.1, governance.commissioning: 0.9, governance.performance_management: 0}}
            uncertainties: {include: \(uncertainties)}
            worlds: {count: 25, design: sobol}
            """, replications: 2)
        defer { fixture.remove() }
        let plan = try SweepLoader.load(path: fixture.sweepPath)
        let templates = PointTemplates(plan: plan)
        for index in plan.points.indices {
            let fast = try #require(templates.fastTemplate(point: index))
            let slow = try plan.template(point: index)
            #expect(fast.scenario == slow.scenario)
            #expect(fast.file == slow.file && fast.uncertain.isEmpty)
        }
    }

    @Test("indicators' and partners' numeric fields, by id and by position: same scenario by both routes")
    func elementFields() throws {
        let fixture = try SweepFixture("""
            factors:
              - path: partners[id=police].openness
                values: [0.2, 0.6]
              - path: indicators[id=NI117].responsiveness
                range: {min: 0.05, max: 0.3}
              - path: indicators[1].target
                values: [12.5, 13]
              - path: partners[0].trust
                values: [0.35]
            design: {type: latin_hypercube, samples: 12}
            """, replications: 2)
        defer { fixture.remove() }
        let plan = try SweepLoader.load(path: fixture.sweepPath)
        let templates = PointTemplates(plan: plan)
        let police = try #require(plan.template(point: 0).scenario.partners.firstIndex { $0.id == "police" })
        var seen = Set<Double>()
        for index in plan.points.indices {
            let fast = try #require(templates.fastTemplate(point: index))
            let slow = try plan.template(point: index)
            #expect(fast.scenario == slow.scenario)
            #expect(fast.scenario.partners[0].trust == 0.35 && [0.2, 0.6].contains(fast.scenario.partners[police].openness))
            seen.insert(fast.scenario.indicators.first { $0.id == "NI117" }!.responsiveness)
        }
        #expect(seen.count == plan.points.count, "each point has its own responsiveness")
    }

    @Test("other paths, and invalid combinations, take the YAML route with its errors")
    func fallback() throws {
        let fixture = try SweepFixture("""
            factors:
              - path: partners[id=police].interests.NI20
                values: [0.2, 0.6]
            """, replications: 2)
        defer { fixture.remove() }
        let plan = try SweepLoader.load(path: fixture.sweepPath)
        let templates = PointTemplates(plan: plan)
        #expect(templates.fastTemplate(point: 0) == nil)   // an interest weight
        #expect(try templates.template(point: 0).scenario == plan.template(point: 0).scenario)

        // Central burden 0.98 with overheads of 0.01 per level: an overhead rate of 1.01, invalid either way.
        let overheads = try SweepFixture("""
            factors:
              - path: governance.central_burden
                values: [0.01, 0.98]
              - path: model.overhead_per_level
                values: [0.005, 0.01]
            """, replications: 2)
        defer { overheads.remove() }
        let overheadPlan = try SweepLoader.load(path: overheads.sweepPath)
        let overheadTemplates = PointTemplates(plan: overheadPlan)
        #expect(overheadTemplates.fastTemplate(point: 0) != nil && overheadTemplates.fastTemplate(point: 3) == nil)
        #expect(throws: ScenarioFileError.self) { _ = try overheadTemplates.template(point: 3) }

        var scenario = try plan.template(point: 0).scenario
        #expect(!PointTemplates.set(.init("0.5", .implicit, .doubleQuoted), at: try FactorPath("model.returns"), in: &scenario))
        #expect(!PointTemplates.set(.init("2"), at: try FactorPath("model.version"), in: &scenario))
        #expect(!PointTemplates.set(.init("1.5"), at: try FactorPath("model.delivery_lag"), in: &scenario))
        #expect(PointTemplates.set(.init("0.8"), at: try FactorPath("model.returns"), in: &scenario) && scenario.model.returns == 0.8)
        // An element that is not there, or a field that is not numeric, is left to the YAML route.
        #expect(!PointTemplates.set(.init("0.5"), at: try FactorPath("partners[id=nobody].trust"), in: &scenario))
        #expect(!PointTemplates.set(.init("0.5"), at: try FactorPath("partners[99].trust"), in: &scenario))
        #expect(!PointTemplates.set(.init("area"), at: try FactorPath("partners[0].tier"), in: &scenario))
        #expect(!PointTemplates.set(.init("0.5", .implicit, .doubleQuoted), at: try FactorPath("indicators[0].trend"), in: &scenario))
    }
}
