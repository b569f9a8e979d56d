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

    @Test("other paths, and invalid combinations, take the YAML route with its errors")
    func fallback() throws {
        let fixture = try SweepFixture("""
            factors:
              - path: partners[id=police].openness
                values: [0.2, 0.6]
            """, replications: 2)
        defer { fixture.remove() }
        let plan = try SweepLoader.load(path: fixture.sweepPath)
        let templates = PointTemplates(plan: plan)
        #expect(templates.fastTemplate(point: 0) == nil)   // a partner's field
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
    }
}
