import PartnershipModel
import Stochastic

/// A scenario as read from a file: concrete values plus the fields given as distributions.
///
/// `scenario` holds each uncertain field's distribution mean as a placeholder. A replication
/// draws every uncertain field, in document order, before its first quarter (`instantiate(using:)`),
/// from its own input stream (see `Replicator`), so that the quarterly draws of replication r are
/// the same whichever inputs are uncertain.
public struct ScenarioTemplate: Sendable {
    /// The file as the user named it.
    public let file: String
    /// The scenario with placeholders where fields are uncertain.
    public let scenario: Scenario
    /// The uncertain fields in document order.
    public let uncertain: [UncertainParameter]
    /// The compiled model where nothing is uncertain (then every replication shares it).
    public var fixedModel: CompiledModel? { shared?.model }

    /// Whether setting the uncertain fields at the distinct positions `fields` leaves none to draw:
    /// then `instantiate(setting:at:using:)` reads nothing from its generator and gives the same
    /// model for every replication.
    public func drawsNothing(besides fields: [Int]) -> Bool { fields.count == uncertain.count }
    /// The shared model, boxed so that workers can recognise it and reuse their simulator.
    public let shared: SharedModel?

    /// Joint values of some uncertain fields, one row drawn per replication (a calibration's posterior).
    public let resampled: WeightedRows?

    init(file: String, scenario: Scenario, uncertain: [UncertainParameter]) throws(CompiledModel.InvalidScenario) {
        self.file = file
        self.scenario = scenario
        self.uncertain = uncertain.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        shared = uncertain.isEmpty ? SharedModel(model: try CompiledModel(scenario)) : nil
        resampled = nil
    }

    private init(_ template: ScenarioTemplate, resampled: WeightedRows) {
        self.init(file: template.file, scenario: template.scenario, uncertain: template.uncertain, resampled: resampled)
    }

    /// A template with uncertain fields (so no shared model), some of them resampled.
    init(file: String, scenario: Scenario, uncertain: [UncertainParameter], resampled: WeightedRows?) {
        self.file = file
        self.scenario = scenario
        self.uncertain = uncertain
        shared = nil
        self.resampled = resampled
    }

    /// This template with the uncertain fields `rows.fields` (positions in `uncertain`) drawn jointly
    /// from `rows` instead of from their distributions: each replication picks one row with
    /// probability proportional to its weight, with one uniform from its input stream drawn before
    /// the other uncertain fields.
    public func resampling(_ rows: WeightedRows) -> ScenarioTemplate {
        precondition(rows.fields.allSatisfy { uncertain.indices.contains($0) }, "resampled fields must be uncertain fields")
        return ScenarioTemplate(self, resampled: rows)
    }

    /// A replication whose drawn inputs broke a field's valid range.
    public struct DrawError: Error, Sendable, CustomStringConvertible {
        /// The problems found after the draws.
        public let issues: [ScenarioIssue]
        /// The values drawn, by field path.
        public let draws: [(path: String, value: Double)]

        public var description: String {
            issues.map { issue in
                let drawn = draws.first { $0.path == issue.path }.map { " (drawn: \($0.value))" } ?? ""
                return "\(issue.description)\(drawn)"
            }.joined(separator: "; ")
        }
    }

    /// Draws every uncertain field with `generator` (in document order) and compiles the result.
    /// With nothing uncertain, returns the shared model and draws nothing.
    public func instantiate(using generator: Generator) throws(DrawError) -> CompiledModel {
        if let fixedModel { return fixedModel }
        if let resampled {
            let row = resampled.row(for: generator.uniform())
            return try instantiate(setting: resampled.values[row], at: resampled.fields, using: generator)
        }
        return try instantiate(setting: [], at: [], using: generator)
    }

    /// Sets the uncertain fields at positions `fields` of `uncertain` to `values`, draws every other
    /// uncertain field with `generator` (in document order) and compiles the result.
    public func instantiate(setting values: [Double], at fields: [Int], using generator: Generator) throws(DrawError) -> CompiledModel {
        var concrete = scenario
        var draws: [(path: String, value: Double)] = []
        draws.reserveCapacity(uncertain.count)
        for (position, parameter) in uncertain.enumerated() {
            let value = fields.firstIndex(of: position).map { values[$0] } ?? generator.draw(parameter.distribution)
            parameter.assign(value, to: &concrete)
            draws.append((parameter.path, value))
        }
        do {
            return try CompiledModel(concrete)
        } catch {
            throw DrawError(issues: error.issues, draws: draws)
        }
    }
}

/// A compiled model shared by every replication of a template with nothing uncertain.
public final class SharedModel: Sendable {
    public let model: CompiledModel
    init(model: CompiledModel) { self.model = model }
}

/// Weighted rows of values for some uncertain fields of a template (see `ScenarioTemplate.resampling`).
public struct WeightedRows: Sendable {
    /// Positions in the template's `uncertain` list, one per column of `values`.
    public let fields: [Int]
    /// One row of values per sample point.
    public let values: [[Double]]
    /// The choice of a row by weight.
    public let choice: WeightedChoice

    /// Rows with weights >= 0 (a positive sum; normalised here); every row has one value per field.
    public init(fields: [Int], values: [[Double]], weights: [Double]) {
        precondition(values.count == weights.count && values.allSatisfy { $0.count == fields.count })
        self.fields = fields
        self.values = values
        choice = WeightedChoice(weights: weights)
    }

    /// The row a uniform u in [0, 1) selects.
    public func row(for u: Double) -> Int { choice.index(for: u) }
}
