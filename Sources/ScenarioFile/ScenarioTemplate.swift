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
    /// The shared model, boxed so that workers can recognise it and reuse their simulator.
    public let shared: SharedModel?

    init(file: String, scenario: Scenario, uncertain: [UncertainParameter]) throws(CompiledModel.InvalidScenario) {
        self.file = file
        self.scenario = scenario
        self.uncertain = uncertain.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        shared = uncertain.isEmpty ? SharedModel(model: try CompiledModel(scenario)) : nil
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
        var concrete = scenario
        var draws: [(path: String, value: Double)] = []
        draws.reserveCapacity(uncertain.count)
        for parameter in uncertain {
            let value = generator.draw(parameter.distribution)
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
