import PartnershipModel
import ScenarioFile
import Yams

/// The scenario templates of a sweep's design points, for one worker.
///
/// `SweepPlan.template(point:)` sets every factor value in the base scenario's YAML tree and reads
/// and checks the whole scenario again; with few replications per point that dominates a sweep.
/// Where every factor a point sets is a plain value of a `governance:` or `model:` field (numbers;
/// `levels`, `decision_rule`, the integers `review_every` and `delivery_lag`) or a numeric field of
/// one indicator or partner (`indicators[id=NI117].responsiveness`, `partners[2].trust`), and the base scenario
/// has no uncertain inputs, this sets the values in the base's parsed `Scenario` instead and checks
/// it with the same validation rules. A sweep's posterior (`posterior: DIR`, drawn per replication)
/// does not stop it: the base is bound to the posterior once, and each point's template keeps the
/// posterior's fields drawn per replication (a field the posterior draws cannot be a factor). Anything else (other paths, distributions, `model.version`,
/// a value that is not plainly valid) takes the YAML route, which gives the usual error messages.
/// Both routes give the same scenario (Tests/ExperimentsTests/PointTemplateTests.swift).
final class PointTemplates {
    let plan: SweepPlan
    /// Each base scenario's own template, read once (nil: it has uncertain inputs or is unreadable).
    private var bases: [Int: ScenarioTemplate?] = [:]

    init(plan: SweepPlan) { self.plan = plan }

    /// The template of design point `index` (0-based), by the fast route where it applies.
    func template(point index: Int) throws(ScenarioFileError) -> ScenarioTemplate {
        if let fast = fastTemplate(point: index) { return fast }
        return try plan.template(point: index)
    }

    /// The template by the fast route, or nil where it does not apply.
    func fastTemplate(point index: Int) -> ScenarioTemplate? {
        let point = plan.points[index]
        guard let base = baseTemplate(point.scenario) else { return nil }
        var scenario = base.scenario
        for (factor, value) in zip(plan.spec.factors, point.values) where value.applies {
            guard Self.set(value.node, at: factor.path, in: &scenario) else { return nil }
        }
        // `replacing` compiles the scenario, which validates it (nil when invalid).
        return base.replacing(scenario, file: "\(plan.bases[point.scenario].path) at design point \(index + 1)")
    }

    private func baseTemplate(_ scenario: Int) -> ScenarioTemplate? {
        if let known = bases[scenario] { return known }
        let base = plan.bases[scenario]
        var template = try? ScenarioLoader.load(root: base.root, file: base.path)
        if template?.uncertain.isEmpty == true, let posterior = plan.spec.posterior, posterior.use == .perReplication {
            template = try? posterior.source.template(root: base.root, file: base.path, scenario: base.path)
        } else if template?.uncertain.isEmpty == false {
            template = nil
        }
        bases[scenario] = template
        return bases[scenario]!
    }

    /// Sets `node` at `path` in `scenario` where the path is a supported field and the node a plain
    /// value of its type; false (scenario unspecified) otherwise.
    static func set(_ node: Node, at path: FactorPath, in scenario: inout Scenario) -> Bool {
        if path.components.count == 3 { return setElementField(node, at: path, in: &scenario) }
        guard path.components.count == 2, case let .key(block) = path.components[0], case let .key(key) = path.components[1] else { return false }
        switch (block, key) {
        case ("governance", "levels"):
            guard case let .sequence(items) = node else { return false }
            var levels = Set<GovernanceLevel>()
            for item in items {
                guard let word = plainText(item), let level = GovernanceLevel(rawValue: word), levels.insert(level).inserted else { return false }
            }
            scenario.governance.levels = levels
        case ("governance", "decision_rule"):
            guard let word = plainText(node), let rule = DecisionRule(rawValue: word) else { return false }
            scenario.governance.decisionRule = rule
        case ("governance", "review_every"):
            guard let n = integer(node), n >= 1 else { return false }
            scenario.governance.reviewEvery = n
        case ("model", "delivery_lag"):
            guard let n = integer(node), n >= 0 else { return false }
            scenario.model.deliveryLag = n
        case ("governance", _):
            guard let field = Scenario.governanceFields.first(where: { $0.key == key }), let x = number(node) else { return false }
            scenario.governance[keyPath: field.keyPath] = x
        case ("model", _):
            guard let field = Scenario.modelFields.first(where: { $0.key == key }), let x = number(node) else { return false }
            scenario.model[keyPath: field.keyPath] = x
        default:
            return false
        }
        return true
    }

    /// `indicators[...].KEY` or `partners[...].KEY` for a numeric field KEY, the element named by
    /// position or by id (as the YAML route finds it: the element whose `id` is that text).
    private static func setElementField(_ node: Node, at path: FactorPath, in scenario: inout Scenario) -> Bool {
        guard case let .key(block) = path.components[0], case let .key(key) = path.components[2], let x = number(node) else { return false }
        func position(_ ids: [String]) -> Int? {
            switch path.components[1] {
            case let .index(index): return ids.indices.contains(index) ? index : nil
            case let .id(id): return ids.firstIndex(of: id)
            case .key: return nil
            }
        }
        switch block {
        case "indicators":
            guard let field = Scenario.indicatorFields.first(where: { $0.key == key }),
                  let index = position(scenario.indicators.map(\.id)) else { return false }
            scenario.indicators[index][keyPath: field.keyPath] = x
        case "partners":
            guard let field = Scenario.partnerFields.first(where: { $0.key == key }),
                  let index = position(scenario.partners.map(\.id)) else { return false }
            scenario.partners[index][keyPath: field.keyPath] = x
        default:
            return false
        }
        return true
    }

    /// A plain (unquoted) scalar's text.
    private static func plainText(_ node: Node) -> String? {
        guard case let .scalar(scalar) = node, scalar.style == .plain || scalar.style == .any else { return nil }
        return scalar.string
    }

    /// A finite number written plainly, as scenario files take it.
    private static func number(_ node: Node) -> Double? {
        guard let text = plainText(node), let x = YAMLReader.parseNumber(text), x.isFinite else { return nil }
        return x
    }

    /// An integer written `2` or `2.0`, as scenario files take it.
    private static func integer(_ node: Node) -> Int? {
        guard let x = number(node), x.rounded() == x, abs(x) <= 1e9 else { return nil }
        return Int(x)
    }
}
