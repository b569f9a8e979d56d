import PartnershipModel

extension ScenarioTemplate {
    /// A template for `scenario`, an edited copy of this template's scenario, without reading YAML
    /// again (sweeps: `PointTemplates`); nil when `scenario` is invalid.
    ///
    /// Only for templates whose edits cannot interact with a distribution: templates with no
    /// uncertain inputs (the edited scenario is compiled, which validates it), and templates whose
    /// every uncertain field is drawn from resampled rows (a calibration's posterior), where the
    /// edited scenario is validated as the loader validates it, its uncertain fields aside. Nil for
    /// any other template: an edit could be overwritten by a field's own distribution.
    public func replacing(_ scenario: Scenario, file: String) -> ScenarioTemplate? {
        if uncertain.isEmpty { return try? ScenarioTemplate(file: file, scenario: scenario, uncertain: []) }
        guard let resampled, resampled.fields.count == uncertain.count else { return nil }
        // The placeholders of the resampled fields are typical values; where the scenario with them
        // has no problem at all (the check that builds no field path), the check that leaves the
        // uncertain fields aside, which is only more lenient, has none either.
        if !scenario.validationIssues().isEmpty {
            let paths = Set(uncertain.map(\.path))
            guard scenario.validationIssues(isUncertain: paths.contains).isEmpty else { return nil }
        }
        return ScenarioTemplate(file: file, scenario: scenario, uncertain: uncertain, resampled: resampled)
    }
}
