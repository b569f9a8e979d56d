import Foundation
import PartnershipModel

/// A scenario for the user's own area, built from their answers (`AreaSpec`): partners with budgets
/// from per-head figures, uncertain openness, trust and discretionary shares over SOURCES.md's
/// ranges, interests and capability from the catalogue's table of who moves what, and every
/// indicator's responsiveness a base value times one common scale factor (see
/// `ResponsivenessCalibration`). `yaml(scale:note:)` writes it as a commented scenario file.
public struct AreaScenario: Sendable {
    /// One partner of the area.
    public struct Partner: Sendable, Equatable {
        public let id: String
        public let name: String
        public let kind: PartnerKind
        /// `area`, `county` or `district:NAME`.
        public let tier: String
        /// GBP m a year.
        public let budget: Double
        public let budgetNote: String
    }

    public let spec: AreaSpec
    public let partners: [Partner]

    /// Capability of a partner on an indicator its kind can move (a modelling choice: effect of
    /// GBP 1m of its spend, on the 0-1 scale of the shipped scenarios).
    public static let capability = 0.6
    /// Quarters in which spending can show (12 quarters less SPEC.md's default delivery lag of 2).
    public static let deliveryQuarters = 10.0
    /// SPEC.md's default returns to spend (gamma).
    public static let returns = 0.7
    /// Noise sd per quarter as a share of the stretch (a modelling choice).
    public static let noiseShare = 0.05

    /// Plans the partners of a validated spec.
    public init(spec: AreaSpec) throws(AreaAnswerError) {
        let spec = try spec.validated()
        self.spec = spec
        let area = spec.name ?? ""
        let population = Double(spec.population ?? 0)
        let twoTier = spec.tier == .twoTier
        var partners: [Partner] = []
        func money(_ perHead: Double, people: Double) -> Double { (perHead * people / 1_000_000 * 10).rounded() / 10 }
        for word in spec.partners {
            let kinds: [PartnerKind]
            if word == "council" {
                kinds = twoTier ? [.countyCouncil, .districtCouncil] : [.unitaryCouncil]
            } else {
                kinds = [PartnerKind(rawValue: word)!]
            }
            for kind in kinds {
                if kind == .districtCouncil {
                    let each = population / Double(spec.districts.count)
                    for district in spec.districts {
                        partners.append(Partner(
                            id: "district_" + AreaScenario.slug(district), name: "\(district) District Council", kind: kind,
                            tier: "district:\(district)", budget: max(0.1, money(PartnerDefaults.perHead(kind), people: each)),
                            budgetNote: PartnerDefaults.budgetSource(kind)
                                + String(format: "; %.0f residents each (population / districts, modelling choice)", each)))
                    }
                    continue
                }
                let id = kind == .unitaryCouncil ? "council" : kind == .countyCouncil ? "county" : kind.rawValue
                let name = kind == .countyCouncil ? "\(area) County Council" : "\(area) \(PartnerDefaults.label(kind))"
                partners.append(Partner(id: id, name: name, kind: kind, tier: twoTier ? "county" : "area",
                                        budget: max(0.1, money(PartnerDefaults.perHead(kind), people: population)),
                                        budgetNote: PartnerDefaults.budgetSource(kind)))
            }
        }
        self.partners = partners
        let ids = partners.map(\.id)
        if let repeated = ids.first(where: { id in ids.filter { $0 == id }.count > 1 }) {
            throw AreaAnswerError(field: "districts", "two districts give the same partner id '\(repeated)'; "
                                  + "name districts so that they differ in letters or digits")
        }
        for (index, indicator) in spec.indicators.enumerated() where !partners.contains(where: { indicator.movers.contains($0.kind) }) {
            throw AreaAnswerError(field: "indicators[\(index + 1)]", "none of your partners can move \(indicator.id); "
                                  + "add one of the kinds that can: \(indicator.movers.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// The default file name of an area's scenario ("Wyre Forest" -> "wyre_forest.yaml").
    public static func fileName(for name: String) -> String { slug(name) + ".yaml" }

    /// A lower-case id fragment from a name ("Wyre Forest" -> "wyre_forest").
    static func slug(_ name: String) -> String {
        let mapped = name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
        return String(mapped).split(separator: "_").joined(separator: "_")
    }

    /// The indicators a partner's kind can move.
    public func moved(by partner: Partner) -> [IndicatorChoice] {
        spec.indicators.filter { $0.movers.contains(partner.kind) }
    }

    /// GBP m a quarter the partners that can move an indicator would spend on it if each split the
    /// middle of its discretionary range (6%) equally over the targets it can move, times their
    /// capability: the effort the base responsiveness assumes.
    public func expectedEffort(_ indicator: IndicatorChoice) -> Double {
        let middle = (PartnerDefaults.discretionary.min + PartnerDefaults.discretionary.max) / 2
        return partners.reduce(0) { total, partner in
            let moved = moved(by: partner)
            guard moved.contains(where: { $0.id == indicator.id }) else { return total }
            return total + middle * partner.budget / 4 / Double(moved.count) * AreaScenario.capability
        }
    }

    /// The base responsiveness of an indicator: the value at which its expected effort, spent every
    /// delivery quarter, would cover its stretch (stretch / (10 x effort^0.7)). At a common scale 1
    /// every target is about equally reachable; the calibrated scale then sets how reachable.
    public func baseResponsiveness(_ indicator: IndicatorChoice) -> Double {
        indicator.stretch / (AreaScenario.deliveryQuarters * pow(expectedEffort(indicator), AreaScenario.returns))
    }

    /// The responsiveness written for an indicator at scale factor `scale`.
    public func responsiveness(_ indicator: IndicatorChoice, scale: Double) -> Double {
        baseResponsiveness(indicator) * scale
    }

    // MARK: - Writing

    /// The scenario file's text (SCENARIO.md), every value commented with where it came from.
    /// `note` lines go into the header (the calibration's outcome).
    public func yaml(scale: Double, note: [String] = []) -> String {
        let area = spec.name ?? ""
        let history = PartnerDefaults.trust(longHistory: spec.longHistory)
        var out: [String] = []
        func line(_ text: String, _ comment: String? = nil) {
            guard let comment else { out.append(text); return }
            let padded = text.count < 34 ? text.padding(toLength: 34, withPad: " ", startingAt: 0) : text + " "
            out.append(padded + "# " + comment)
        }
        let rule = "# " + String(repeating: "=", count: 92)
        out.append(rule)
        out.append("# \(area): a scenario written by `lspsim new` from your answers.")
        out.append("#")
        out.append("# Revisit these first (in this order), then `lspsim validate` and `lspsim run`:")
        out.append("#   1. responsiveness: calibrated so that, under the governance below, the area meets about")
        out.append(String(format: "#      %.0f%% of its LAA targets, as you expected. It encodes that belief, not evidence:", spec.expectedShare * 100))
        out.append("#      replace it with what past spending moved locally where you know it.")
        out.append("#   2. trend and noise_sd of each indicator: no drift is assumed (trend 0); put in the local trend.")
        out.append("#   3. budgets: per-head figures times your population (see each comment); use your own")
        out.append("#      partners' accounts or a Total Place count where you have one.")
        out.append("#   4. openness, trust and discretionary: drawn per replication over SOURCES.md's ranges, so that")
        out.append("#      what is not known shows as uncertainty; narrow them where you know better.")
        out.append("#   5. governance: SCENARIO.md defaults; rate your partnership with `lspsim assess` to set them.")
        out.append("#")
        out.append("# Sources: lspsim's docs/SOURCES.md (the facts, with their sources) and the indicator catalogue")
        out.append("# (`lspsim new --list-indicators`, a public source per indicator); docs/OWN-AREA.md explains the rest.")
        for text in note { out.append("# " + text) }
        out.append(rule)
        line("name: \(AreaScenario.quoted(area))")
        out.append("description: >")
        out.append("  The Local Strategic Partnership of \(area) (\(spec.tier == .twoTier ? "two-tier: county and \(spec.districts.count) districts" : "single tier"),")
        out.append("  \(spec.population ?? 0) residents) with \(partners.count) partners and \(spec.indicators.count) LAA targets, written by lspsim new.")
        out.append("area:")
        line("  tier: \(spec.tier?.rawValue ?? "single")", "your answer")
        line("  quarters: 12", "SOURCES.md: LAAs ran three years (2008/09-2010/11) = 12 quarters")
        out.append("")
        out.append("indicators:")
        for indicator in spec.indicators {
            let origin = indicator.source.map { "catalogue: \($0)" } ?? "your local indicator"
            line("  - id: \(indicator.id)", origin)
            line("    name: \(AreaScenario.quoted(indicator.name))")
            if !indicator.unit.isEmpty { line("    unit: \(AreaScenario.quoted(indicator.unit))") }
            line("    baseline: \(AreaScenario.number(indicator.baseline))", "your answer")
            line("    target: \(AreaScenario.number(indicator.target))", "your answer: the 3-year LAA target")
            line("    higher_is_better: \(indicator.higherIsBetter)", indicator.source == nil ? "your answer" : "catalogue (the source's polarity)")
            line("    trend: 0", "modelling choice: no drift assumed; revisit (2)")
            line("    responsiveness: \(AreaScenario.number(responsiveness(indicator, scale: scale)))",
                 "calibrated: base \(AreaScenario.number(baseResponsiveness(indicator))) (stretch over 10 quarters of "
                    + String(format: "GBP %.2fm expected effort", expectedEffort(indicator))
                    + ") x common scale \(AreaScenario.number(scale)); revisit (1)")
            line("    noise_sd: \(AreaScenario.number(indicator.stretch * AreaScenario.noiseShare))",
                 "modelling choice: \(AreaScenario.number(AreaScenario.noiseShare * 100))% of the stretch per quarter")
            line("    laa_target: true", "a designated LAA target (your list)")
        }
        out.append("")
        out.append("partners:")
        for partner in partners {
            let moved = moved(by: partner)
            let openness = PartnerDefaults.openness(partner.kind), discretionary = PartnerDefaults.discretionary
            line("  - id: \(partner.id)")
            line("    name: \(AreaScenario.quoted(partner.name))")
            line("    kind: \(partner.kind.rawValue)", "your answer")
            line("    tier: \(partner.tier)", spec.tier == .twoTier ? "county board unless a district council" : "single tier")
            line("    budget: \(AreaScenario.number(partner.budget))", "GBP m a year; " + partner.budgetNote + "; revisit (3)")
            line("    discretionary: \(AreaScenario.uniform(discretionary))", discretionary.source)
            line("    named_partner: \(PartnerDefaults.namedPartner(partner.kind))",
                 "statutory duty to cooperate with the LAA, as marked in scenarios/unitary.yaml")
            line("    openness: \(AreaScenario.uniform(openness))", openness.source)
            line("    trust: \(AreaScenario.uniform(history))", history.source)
            if moved.isEmpty {
                line("    interests: {\(spec.indicators.map { "\($0.id): 1" }.joined(separator: ", "))}",
                     "its kind moves none of your targets: an equal general interest (modelling choice)")
                line("    capability: {}", "its kind moves none of your targets (catalogue table)")
            } else {
                line("    interests: {\(moved.map { "\($0.id): 1" }.joined(separator: ", "))}",
                     "the targets its kind can move (catalogue table), equal weights (modelling choice)")
                line("    capability: {\(moved.map { "\($0.id): \(AreaScenario.number(AreaScenario.capability))" }.joined(separator: ", "))}",
                     "modelling choice: \(AreaScenario.number(AreaScenario.capability)) on what its remit covers")
            }
        }
        let lead = partners.first { $0.kind == .unitaryCouncil || $0.kind == .countyCouncil } ?? partners[0]
        out.append("")
        out.append("governance:                       # SCENARIO.md defaults; revisit (5) or run `lspsim assess`")
        line("  levels: [strategic, executive, thematic]", "Audit Commission 2009 (SOURCES.md): LSPs with all three levels delivered more")
        line("  decision_rule: consensus", "SCENARIO.md default")
        line("  lead_partner: \(lead.id)", "the council convenes the LSP (in two tiers the county draws up the LAA, SOURCES.md)")
        line("  pooled_fraction: 0", "SCENARIO.md default: no pooled budget")
        line("  performance_management: 0.5", "SCENARIO.md default")
        line("  review_every: 1", "SOURCES.md (Audit Commission 2009, Table 8): executive data 6-12 times a year")
        line("  leadership: 0.5", "SCENARIO.md default")
        line("  scrutiny: 0.3", "SCENARIO.md default")
        line("  central_burden: 0.01", "SCENARIO.md default")
        line("  commissioning: 0.5", "SCENARIO.md default (read by model version 2)")
        out.append("")
        out.append("model:                            # every other constant at its SPEC.md default")
        line("  version: \(spec.modelVersion)", spec.modelVersion == 2 ? "SPEC.md version 2, the default" : "SPEC.md version 1 (your answer)")
        return out.joined(separator: "\n") + "\n"
    }

    /// A YAML double-quoted string.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// A number with up to four significant decimals, as short as it can be written.
    public static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(format: "%.0f", value) }
        let magnitude = abs(value)
        let decimals = magnitude >= 100 ? 2 : magnitude >= 1 ? 4 : max(4, 3 - Int(floor(log10(magnitude))))
        var text = String(format: "%.\(decimals)f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    static func uniform(_ range: PartnerDefaults.Range) -> String {
        "{dist: uniform, min: \(number(range.min)), max: \(number(range.max))}"
    }
}
