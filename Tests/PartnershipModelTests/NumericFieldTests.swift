import Testing
import PartnershipModel

/// Validation reads each numeric field through its byte offset (`NumericField.value(in:)`): the
/// value read must be the field's, for every field of every block.
@Suite("Numeric fields")
struct NumericFieldTests {
    @Test("value(in:) reads what the key path reads, for every field, each set to a distinct value")
    func readsTheField() throws {
        var scenario = try RandomScenario.make(seed: 5, twoTier: true)
        func distinct(_ index: Int) -> Double { 0.125 + Double(index) * 1.5 }
        for (index, field) in Scenario.modelFields.enumerated() {
            scenario.model[keyPath: field.keyPath] = distinct(index)
        }
        for (index, field) in Scenario.modelFields.enumerated() {
            #expect(field.value(in: scenario.model) == distinct(index), "model.\(field.key)")
        }
        for (index, field) in Scenario.governanceFields.enumerated() {
            scenario.governance[keyPath: field.keyPath] = distinct(index)
        }
        for (index, field) in Scenario.governanceFields.enumerated() {
            #expect(field.value(in: scenario.governance) == distinct(index), "governance.\(field.key)")
        }
        let c = scenario.indicators.count - 1, i = scenario.partners.count - 1
        for (index, field) in Scenario.indicatorFields.enumerated() { scenario.indicators[c][keyPath: field.keyPath] = distinct(index) }
        for (index, field) in Scenario.indicatorFields.enumerated() {
            #expect(field.value(in: scenario.indicators[c]) == distinct(index), "indicators[\(c)].\(field.key)")
        }
        for (index, field) in Scenario.partnerFields.enumerated() { scenario.partners[i][keyPath: field.keyPath] = distinct(index) }
        for (index, field) in Scenario.partnerFields.enumerated() {
            #expect(field.value(in: scenario.partners[i]) == distinct(index), "partners[\(i)].\(field.key)")
        }
    }

    @Test("validation reports a field out of range by its path, in every block")
    func validationSeesEachField() throws {
        let base = try RandomScenario.make(seed: 5, twoTier: false)
        var scenario = base
        scenario.model.peerWeight = 2
        scenario.governance.leadership = -1
        scenario.indicators[0].noiseSD = -0.5
        let last = scenario.partners.count - 1
        scenario.partners[last].openness = 1.5
        let paths = Set(scenario.validationIssues().map(\.path))
        #expect(paths == ["model.peer_weight", "governance.leadership", "indicators[0].noise_sd", "partners[\(last)].openness"])
        #expect(base.validationIssues().isEmpty)
    }
}
