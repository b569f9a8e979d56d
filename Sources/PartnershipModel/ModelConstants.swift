/// The model constants of SPEC.md, each a scenario parameter (`model:` block) with its default.
public struct ModelConstants: Sendable, Equatable {
    /// Which dynamics of SPEC.md to run: 1 or 2 (the default). Version 1 stays reachable so that
    /// earlier results can be reproduced and the two structures compared (docs/MODEL.md).
    public var version: ModelVersion = .current
    /// a_S in [0, 1]: reach weight of the strategic level.
    public var reachStrategic = 0.3
    /// a_E in [0, 1]: reach weight of the executive level.
    public var reachExecutive = 0.4
    /// a_H in [0, 1]: reach weight of the thematic level.
    public var reachThematic = 0.3
    /// kappa in [0, 1]: attenuation of the LAA's pull across a tier.
    public var tierAttenuation = 0.3
    /// nu >= 0: extra pull of the LAA on a named partner.
    public var namedBoost = 0.5
    /// mu in [0, 1]: weight of peers' priorities.
    public var peerWeight = 0.1
    /// gamma in (0, 1]: returns to delivered effort.
    public var returns = 0.7
    /// sigma_syn >= 0: synergy of diverse contributors (needs a thematic level).
    public var synergy = 0.5
    /// kappa_f in [0, 1]: penalty for district priorities pulling away from the LAA.
    public var fragmentationPenalty = 0.5
    /// eta >= 0: re-prioritisation toward lagging targets at a review.
    public var reprioritisation = 0.5
    /// phi >= 0: trust learned from on-track outcomes.
    public var trustLearning = 0.05
    /// phi_f >= 0: trust lost to visible free-riding (default 0.15 in version 2, 0.5 in version 1).
    public var freeRidingSensitivity = 0.15
    /// phi_L >= 0: culture building by leadership (needs a strategic level).
    public var cultureBuilding = 0.02
    /// psi in [0, 1]: propensity to disengage (default 0.6 in version 2, 0.3 in version 1).
    public var disengagement = 0.6
    /// sigma_B >= 0: log-scale volatility of quarterly discretionary budgets.
    public var budgetVolatility = 0.05
    /// beta_L >= 0: overhead per governance level, as a share of discretionary spend.
    public var overheadPerLevel = 0.005
    /// beta_M >= 0: overhead per extra board.
    public var overheadPerBoard = 0.002
    /// Quarters between spending and its effect (integer >= 0).
    public var deliveryLag = 2
    /// b_P >= 0: bonus of pooled commissioning.
    public var poolBonus = 0.1
    /// theta in [0, 1]: share of a target's progress below which no reward grant is paid.
    public var rewardThreshold = 0.6
    /// Reward grant pot, GBP million (>= 0), split equally over LAA targets.
    public var rewardPot = 0.0
    /// beta_P in [0, 1): transaction cost of the pool, as a share of the money pooled (version 2).
    public var poolOverhead = 0.05
    /// beta_R >= 0: extra overhead rate of a review quarter (version 2).
    public var reviewCost = 0.002

    /// The defaults of version 2.
    public init() {}

    /// The defaults of `version`: the constants whose default differs by version
    /// (`free_riding_sensitivity`, `disengagement`) take that version's.
    public init(version: ModelVersion) {
        self.version = version
        freeRidingSensitivity = version.defaultFreeRidingSensitivity
        disengagement = version.defaultDisengagement
    }
}

/// A version of the model's dynamics (SPEC.md): version 2 is the default; version 1 is kept so
/// that earlier results can be reproduced and the two structures compared.
public enum ModelVersion: Int, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case v1 = 1
    case v2 = 2

    /// The version a scenario gets when it names none.
    public static let current = ModelVersion.v2

    public var description: String { String(rawValue) }

    public static func < (lhs: ModelVersion, rhs: ModelVersion) -> Bool { lhs.rawValue < rhs.rawValue }

    /// phi_f's default in this version.
    public var defaultFreeRidingSensitivity: Double { self == .v1 ? 0.5 : 0.15 }
    /// psi's default in this version.
    public var defaultDisengagement: Double { self == .v1 ? 0.3 : 0.6 }
}
