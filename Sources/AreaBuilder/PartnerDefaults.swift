import PartnershipModel

/// Per-head budgets and the ranges of openness, trust and discretionary share that `lspsim new`
/// gives each kind of partner, each with where it comes from (the scenario's comments quote it).
///
/// Budgets (GBP per resident a year, 2008-09) come from SOURCES.md's facts:
/// - health: primary care trust allocations, about GBP 1,450 per head.
/// - Birmingham's Total Place count (about GBP 7.3bn for about 1m people: council 3.6bn, PCTs 1.9bn,
///   Jobcentre Plus 0.7bn, the rest 1.1bn) gives each kind's spending relative to the PCT's; scaled to
///   the national PCT figure (factor 1,450 / 1,900 = 0.763): a unitary council 2,747, Jobcentre Plus
///   534, and 839 for everyone else together.
/// - two-tier councils: Worcestershire's six councils spent under 25% of its GBP 3.5-4.4bn; taking 23%
///   of the 3.95bn midpoint over 560,000 residents (the population assumed in
///   scenarios/two-tier-county.yaml, a modelling choice) gives 1,622 per head, split county 87% /
///   districts 13% as in that file (a modelling choice: districts run housing, planning, waste
///   collection and leisure).
/// - police, fire, skills, housing, probation, VCS and business have no published per-head figure:
///   the 839 is split as scenarios/unitary.yaml splits Birmingham's residual (80:20:57:40:8:4:1 of 210),
///   a modelling choice.
public enum PartnerDefaults {
    /// PCT allocation per head, 2008-09 (SOURCES.md).
    public static let pctPerHead = 1450.0
    /// Birmingham Total Place (SOURCES.md), GBP m: council, PCTs, Jobcentre Plus, everyone else.
    static let birminghamCouncil = 3600.0, birminghamPCT = 1900.0, birminghamJobcentre = 700.0, birminghamRest = 1100.0
    /// Birmingham's figures scaled to the national PCT allocation per head.
    static var scale: Double { pctPerHead / birminghamPCT }
    /// Two-tier councils together, GBP per head: 23% of Worcestershire's 3.95bn midpoint / 560,000.
    public static let twoTierCouncilsPerHead = 0.23 * 3_950_000_000.0 / 560_000.0
    /// The county's share of two-tier council spending (scenarios/two-tier-county.yaml: 780 of 900).
    public static let countyShare = 780.0 / 900.0
    /// How scenarios/unitary.yaml splits the residual among the other kinds (GBP m of 210).
    static let residualSplit: [PartnerKind: Double] = [.police: 80, .fire: 20, .skills: 57, .housing: 40, .probation: 8, .vcs: 4, .business: 1]

    /// GBP per resident a year for a kind (a district council: all districts together).
    public static func perHead(_ kind: PartnerKind) -> Double {
        switch kind {
        case .health: return pctPerHead
        case .unitaryCouncil: return birminghamCouncil * scale
        case .jobcentre: return birminghamJobcentre * scale
        case .countyCouncil: return twoTierCouncilsPerHead * countyShare
        case .districtCouncil: return twoTierCouncilsPerHead * (1 - countyShare)
        case .other: return 0
        default: return birminghamRest * scale * (residualSplit[kind] ?? 0) / 210
        }
    }

    /// Where a kind's per-head figure comes from, for the scenario's comment.
    public static func budgetSource(_ kind: PartnerKind) -> String {
        switch kind {
        case .health: return "SOURCES.md: PCT allocations ~GBP 1,450 per head (2008-09)"
        case .unitaryCouncil: return "SOURCES.md: Birmingham Total Place council 3.6bn of 7.3bn, scaled to the PCT's 1,450/head: 2,747/head"
        case .jobcentre: return "SOURCES.md: Birmingham Total Place Jobcentre Plus 0.7bn, scaled to the PCT's 1,450/head: 534/head"
        case .countyCouncil:
            return String(format: "SOURCES.md: Worcestershire councils <25%% of 3.5-4.4bn => 23%% of 3.95bn / 560,000 = %.0f/head, "
                          + "county 87%% (modelling choice): %.0f/head", twoTierCouncilsPerHead, perHead(kind))
        case .districtCouncil:
            return String(format: "SOURCES.md: Worcestershire councils <25%% of 3.5-4.4bn => 23%% of 3.95bn / 560,000 = %.0f/head, "
                          + "districts 13%% (modelling choice): %.0f/head shared equally", twoTierCouncilsPerHead, perHead(kind))
        default:
            return "modelling choice: share of Birmingham's scaled residual (839/head) as split in scenarios/unitary.yaml: "
                + String(format: "%.0f/head", perHead(kind))
        }
    }

    /// A uniform range with where it comes from.
    public struct Range: Sendable, Equatable {
        public let min: Double, max: Double
        public let source: String
    }

    /// Openness to the partnership's influence (lambda).
    public static func openness(_ kind: PartnerKind) -> Range {
        switch kind {
        case .unitaryCouncil, .countyCouncil, .districtCouncil:
            return Range(min: 0.6, max: 0.8, source: "SOURCES.md suggested range for councils 0.6-0.8")
        case .health, .police:
            return Range(min: 0.2, max: 0.5, source: "SOURCES.md suggested range for health and police 0.2-0.5 (national targets of their own)")
        case .vcs:
            return Range(min: 0.5, max: 0.7, source: "SOURCES.md suggested range for the VCS 0.5-0.7")
        case .jobcentre, .probation:
            return Range(min: 0.2, max: 0.5, source: "modelling choice: national targets, like health and police (0.2-0.5)")
        default:
            return Range(min: 0.4, max: 0.7, source: "modelling choice: no published range; between national agencies and councils")
        }
    }

    /// Initial trust, by joint-working history.
    public static func trust(longHistory: Bool) -> Range {
        longHistory
            ? Range(min: 0.6, max: 0.8, source: "SOURCES.md: 0.6-0.8 with a long joint-working history (your answer)")
            : Range(min: 0.3, max: 0.5, source: "SOURCES.md: 0.3-0.5 without a long joint-working history (your answer)")
    }

    /// Discretionary (redirectable) share of a budget.
    public static let discretionary = Range(min: 0.02, max: 0.10, source: "SOURCES.md modelling choice: 2-10% of a budget is redirectable in a year")

    /// Statutory partners with a duty to cooperate with the LAA, as marked in scenarios/unitary.yaml.
    public static func namedPartner(_ kind: PartnerKind) -> Bool {
        switch kind {
        case .vcs, .business, .housing, .other: return false
        default: return true
        }
    }

    /// A readable label for a kind in partner names.
    public static func label(_ kind: PartnerKind) -> String {
        switch kind {
        case .unitaryCouncil: return "Council"
        case .countyCouncil: return "County Council"
        case .districtCouncil: return "District Council"
        case .health: return "Primary Care Trust"
        case .police: return "Police"
        case .fire: return "Fire and Rescue Service"
        case .jobcentre: return "Jobcentre Plus"
        case .skills: return "Learning and Skills Council"
        case .housing: return "Housing association"
        case .probation: return "Probation Trust"
        case .vcs: return "Council for Voluntary Service"
        case .business: return "Chamber of Commerce"
        case .other: return "Partner"
        }
    }
}
