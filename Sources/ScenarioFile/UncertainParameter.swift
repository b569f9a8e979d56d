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

