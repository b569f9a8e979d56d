import PartnershipModel

extension ScenarioTemplate {
    /// A template for `scenario`, an edited copy of this template's scenario, without reading YAML
    /// again (sweeps: `PointTemplates`). Only for templates with no uncertain inputs, whose edits
    /// cannot interact with a distribution; nil otherwise, or when `scenario` is invalid.
    public func replacing(_ scenario: Scenario, file: String) -> ScenarioTemplate? {
        guard uncertain.isEmpty else { return nil }
        return try? ScenarioTemplate(file: file, scenario: scenario, uncertain: [])
    }
}
