/// One partnership scenario with every value concrete: the input of one run.
///
/// Field names follow the scenario file (SCENARIO.md) in camelCase; SPEC.md's symbols are given in
/// each doc comment. A `Scenario` may be invalid; `validationIssues()` says where, and
/// `CompiledModel(scenario)` accepts only a valid one.
public struct Scenario: Sendable, Equatable {
    /// Display name.
    public var name: String
    /// Free text.
    public var description: String?
    /// Single-tier (unitary) or two-tier (county and districts).
    public var tier: AreaTier
    /// T, the number of quarters simulated (>= 1; an LAA runs 12).
    public var quarters: Int
    /// The indicators k = 1..K in file order.
    public var indicators: [Indicator]
    /// The partners i = 1..N in file order.
    public var partners: [Partner]
    /// How the partnership is governed.
    public var governance: Governance
    /// The model constants of SPEC.md.
    public var model: ModelConstants

    public init(
        name: String, description: String? = nil, tier: AreaTier, quarters: Int = 12,
        indicators: [Indicator], partners: [Partner], governance: Governance = Governance(),
        model: ModelConstants = ModelConstants()
    ) {
        self.name = name
        self.description = description
        self.tier = tier
        self.quarters = quarters
        self.indicators = indicators
        self.partners = partners
        self.governance = governance
        self.model = model
    }
}

/// Whether the area has one tier of local government or a county with districts.
public enum AreaTier: String, Sendable, CaseIterable {
    case single
    case twoTier = "two_tier"
}

/// A national indicator measured in the area.
public struct Indicator: Sendable, Equatable {
    /// Unique id, e.g. "NI117".
    public var id: String
    public var name: String
    /// Unit for reports, e.g. "% of cohort".
    public var unit: String?
    /// y_k(0), in the indicator's unit.
    public var baseline: Double
    /// y*_k, the value aimed for at the end of quarter T.
    public var target: Double
    /// d_k = +1 if true, -1 if lower is better.
    public var higherIsBetter: Bool
    /// trend_k, natural drift in units per quarter.
    public var trend: Double
    /// rho_k >= 0: units of change per unit of delivered effort^gamma.
    public var responsiveness: Double
    /// sigma_k >= 0: standard deviation of the quarterly noise, in units.
    public var noiseSD: Double
    /// laa_k: whether this is a designated LAA improvement target.
    public var laaTarget: Bool

    public init(
        id: String, name: String, unit: String? = nil, baseline: Double, target: Double,
        higherIsBetter: Bool, trend: Double = 0, responsiveness: Double, noiseSD: Double = 0,
        laaTarget: Bool = true
    ) {
        self.id = id
        self.name = name
        self.unit = unit
        self.baseline = baseline
        self.target = target
        self.higherIsBetter = higherIsBetter
        self.trend = trend
        self.responsiveness = responsiveness
        self.noiseSD = noiseSD
        self.laaTarget = laaTarget
    }

    /// d_k: +1 where higher is better, -1 where lower is better.
    public var direction: Double { higherIsBetter ? 1 : -1 }
}

/// The kinds of organisation that sit on an LSP.
public enum PartnerKind: String, Sendable, CaseIterable {
    case unitaryCouncil = "unitary_council"
    case countyCouncil = "county_council"
    case districtCouncil = "district_council"
    case health, police, fire, jobcentre, skills, housing, probation, vcs, business, other
}

/// Where a partner sits: the whole area, the county tier, or one district.
public enum PartnerTier: Sendable, Equatable, Hashable, CustomStringConvertible {
    case area
    case county
    case district(String)

    /// The district's name, for a district partner.
    public var districtName: String? {
        if case let .district(name) = self { return name }
        return nil
    }

    /// The text used in scenario files: `area`, `county` or `district:NAME`.
    public var description: String {
        switch self {
        case .area: return "area"
        case .county: return "county"
        case let .district(name): return "district:\(name)"
        }
    }
}

/// One organisation in the partnership: an agent with resources and interests.
public struct Partner: Sendable, Equatable {
    /// Unique id, e.g. "police".
    public var id: String
    public var name: String
    public var kind: PartnerKind
    public var tier: PartnerTier
    /// B_i, annual budget in GBP million (> 0).
    public var budget: Double
    /// delta_i in [0, 1]: share of the budget that can be redirected each year.
    public var discretionary: Double
    /// named_i: the statutory duty to cooperate with the LAA.
    public var namedPartner: Bool
    /// lambda_i in [0, 1]: openness to influence.
    public var openness: Double
    /// tau_i(0) in [0, 1]: initial trust in the partnership.
    public var trust: Double
    /// w_i before normalisation: weights >= 0 by indicator id, in file order.
    public var interests: [(id: String, weight: Double)]
    /// cap_ik >= 0 by indicator id, in file order; absent ids are 0.
    public var capability: [(id: String, value: Double)]

    public init(
        id: String, name: String, kind: PartnerKind, tier: PartnerTier, budget: Double,
        discretionary: Double, namedPartner: Bool = false, openness: Double, trust: Double,
        interests: [(id: String, weight: Double)], capability: [(id: String, value: Double)] = []
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.tier = tier
        self.budget = budget
        self.discretionary = discretionary
        self.namedPartner = namedPartner
        self.openness = openness
        self.trust = trust
        self.interests = interests
        self.capability = capability
    }

    public static func == (lhs: Partner, rhs: Partner) -> Bool {
        lhs.id == rhs.id && lhs.name == rhs.name && lhs.kind == rhs.kind && lhs.tier == rhs.tier
            && lhs.budget == rhs.budget && lhs.discretionary == rhs.discretionary
            && lhs.namedPartner == rhs.namedPartner && lhs.openness == rhs.openness
            && lhs.trust == rhs.trust
            && lhs.interests.map(\.id) == rhs.interests.map(\.id)
            && lhs.interests.map(\.weight) == rhs.interests.map(\.weight)
            && lhs.capability.map(\.id) == rhs.capability.map(\.id)
            && lhs.capability.map(\.value) == rhs.capability.map(\.value)
    }
}

/// The levels of joint working an LSP recognises.
public enum GovernanceLevel: String, Sendable, CaseIterable {
    case strategic, executive, thematic
}

/// How a board weighs its members when it agrees priorities.
public enum DecisionRule: String, Sendable, CaseIterable {
    /// Every member counts once.
    case consensus
    /// Members count by annual budget.
    case resourceWeighted = "resource_weighted"
    /// The lead partner counts as much as all other members together.
    case leadPartner = "lead_partner"
}

/// The governance set-up of the partnership (SPEC.md, "Governance").
public struct Governance: Sendable, Equatable {
    /// The levels present, a subset of {strategic, executive, thematic}.
    public var levels: Set<GovernanceLevel>
    public var decisionRule: DecisionRule
    /// The lead partner's id (required by the `lead_partner` rule).
    public var leadPartner: String?
    /// pi in [0, 1): share of net discretionary spend pooled (needs an executive level).
    public var pooledFraction: Double
    /// rho_pm in [0, 1]: strength of performance management.
    public var performanceManagement: Double
    /// Quarters between performance reviews (>= 1).
    public var reviewEvery: Int
    /// L in [0, 1]: leadership.
    public var leadership: Double
    /// s in [0, 1]: scrutiny.
    public var scrutiny: Double
    /// beta0 in [0, 1): share of discretionary spend lost to central burden.
    public var centralBurden: Double
    /// omega in [0, 1]: skill of pooled commissioning (version 2): 1 spends the pool through the
    /// most capable partner for each target, 0 no better than its contributors would.
    public var commissioning: Double

    public init(
        levels: Set<GovernanceLevel> = Set(GovernanceLevel.allCases),
        decisionRule: DecisionRule = .consensus, leadPartner: String? = nil,
        pooledFraction: Double = 0, performanceManagement: Double = 0.5, reviewEvery: Int = 1,
        leadership: Double = 0.5, scrutiny: Double = 0.3, centralBurden: Double = 0.01,
        commissioning: Double = 0.5
    ) {
        self.levels = levels
        self.decisionRule = decisionRule
        self.leadPartner = leadPartner
        self.pooledFraction = pooledFraction
        self.performanceManagement = performanceManagement
        self.reviewEvery = reviewEvery
        self.leadership = leadership
        self.scrutiny = scrutiny
        self.centralBurden = centralBurden
        self.commissioning = commissioning
    }
}
