import PartnershipModel
import Stochastic

/// A numeric field given as a distribution, drawn once per replication.
public struct UncertainParameter: Sendable, Equatable {
    /// The field path, e.g. `partners[2].openness`.
    public let path: String
    /// The distribution drawn from.
    public let distribution: Distribution
    /// Where the distribution stands in the file (1-based); draws follow this order.
    public let line: Int, column: Int
    /// Which field of the scenario receives the draw.
    let target: Target

    enum Target: Sendable, Equatable {
        case indicator(index: Int, field: Int)
        case partner(index: Int, field: Int)
        case interest(partner: Int, entry: Int)
        case capability(partner: Int, entry: Int)
        case governance(field: Int)
        case model(field: Int)
    }

    /// Writes `value` into the field of `scenario` this parameter stands for.
    func assign(_ value: Double, to scenario: inout Scenario) {
        switch target {
        case let .indicator(index, field):
            scenario.indicators[index][keyPath: Scenario.indicatorFields[field].keyPath] = value
        case let .partner(index, field):
            scenario.partners[index][keyPath: Scenario.partnerFields[field].keyPath] = value
        case let .interest(partner, entry):
            scenario.partners[partner].interests[entry].weight = value
        case let .capability(partner, entry):
            scenario.partners[partner].capability[entry].value = value
        case let .governance(field):
            scenario.governance[keyPath: Scenario.governanceFields[field].keyPath] = value
        case let .model(field):
            scenario.model[keyPath: Scenario.modelFields[field].keyPath] = value
        }
    }
}

extension Distribution {
    /// The distribution as a scenario file writes it, e.g. `uniform(min 0.2, max 0.8)`.
    public var text: String {
        switch self {
        case let .uniform(a, b): return "uniform(min \(a), max \(b))"
        case let .normal(m, s): return "normal(mean \(m), sd \(s))"
        case let .beta(a, b): return "beta(a \(a), b \(b))"
        case let .gamma(k, theta): return "gamma(shape \(k), scale \(theta))"
        case let .lognormal(mu, s): return "lognormal(mu \(mu), sigma \(s))"
        }
    }
}
