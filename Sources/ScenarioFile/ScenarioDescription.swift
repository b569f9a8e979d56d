import Foundation
import PartnershipModel

/// A one-paragraph plain-English description of a scenario, as `lspsim validate` prints it.
public enum ScenarioDescription {
    public static func paragraph(_ template: ScenarioTemplate) -> String {
        let s = template.scenario
        var sentences: [String] = []
        let districts = s.districtNames
        switch s.tier {
        case .single:
            sentences.append("\(s.name): a single-tier area over \(s.quarters) quarters.")
        case .twoTier:
            sentences.append("\(s.name): a two-tier area (county and \(districts.count) district\(districts.count == 1 ? "" : "s"): \(districts.joined(separator: ", "))) over \(s.quarters) quarters.")
        }
        var kinds: [(PartnerKind, Int)] = []
        for kind in PartnerKind.allCases {
            let count = s.partners.filter { $0.kind == kind }.count
            if count > 0 { kinds.append((kind, count)) }
        }
        let kindText = kinds.map { kind, count in
            "\(count) \(plural(kind.rawValue.replacingOccurrences(of: "_", with: " "), count))"
        }.joined(separator: ", ")
        var tierText = ""
        if s.tier == .twoTier {
            let county = s.partners.filter { $0.tier.districtName == nil }.count
            tierText = "; \(county) at county level and \(s.partners.count - county) in districts"
        }
        let named = s.partners.filter(\.namedPartner).count
        sentences.append("\(s.partners.count) partners (\(kindText)\(tierText)), \(named) of them named partners with a duty to cooperate.")
        let total = s.partners.map(\.budget).reduce(0, +)
        let discretionary = s.partners.map { $0.budget * $0.discretionary }.reduce(0, +)
        if let largest = s.partners.max(by: { $0.budget < $1.budget }) {
            sentences.append("Budgets total GBP \(money(total))m a year, of which GBP \(money(discretionary))m (\(percent(discretionary / total))) is discretionary; the largest budget, GBP \(money(largest.budget))m (\(percent(largest.budget / total))), is \(largest.name) (\(largest.id)).")
        }
        let laa = s.indicators.filter(\.laaTarget)
        sentences.append("\(s.indicators.count) indicators, \(laa.count) of them LAA targets (\(laa.map(\.id).joined(separator: ", "))).")
        let g = s.governance
        let levels = GovernanceLevel.allCases.filter { g.levels.contains($0) }.map(\.rawValue)
        let levelText = levels.isEmpty ? "no governance levels" : "\(list(levels)) level\(levels.count == 1 ? "" : "s")"
        var rule = g.decisionRule.rawValue.replacingOccurrences(of: "_", with: "-") + " decisions"
        if g.decisionRule == .leadPartner, let lead = g.leadPartner { rule += " (lead: \(lead))" }
        sentences.append("Governance: \(levelText); \(rule); \(percent(g.pooledFraction)) pooled; performance management \(g.performanceManagement) reviewed every \(g.reviewEvery == 1 ? "quarter" : "\(g.reviewEvery) quarters"); leadership \(g.leadership); scrutiny \(g.scrutiny); overhead rate \(percent(s.overheadRate)) of discretionary spend.")
        if !template.uncertain.isEmpty {
            let shown = template.uncertain.prefix(4).map { "\($0.path) ~ \($0.distribution.text)" }
            let more = template.uncertain.count > 4 ? " and \(template.uncertain.count - 4) more" : ""
            sentences.append("\(template.uncertain.count) uncertain input\(template.uncertain.count == 1 ? "" : "s") drawn per replication: \(shown.joined(separator: "; "))\(more).")
        }
        return sentences.joined(separator: " ")
    }

    /// "council" / "councils", "police" / "police", "vcs" / "vcs".
    private static func plural(_ noun: String, _ count: Int) -> String {
        guard count != 1 else { return noun }
        if noun.hasSuffix("council") { return noun + "s" }
        return noun
    }

    private static func money(_ value: Double) -> String {
        value >= 100 ? String(format: "%.0f", value) : String(format: "%.1f", value)
    }

    private static func percent(_ share: Double) -> String {
        let value = share * 100
        return value == value.rounded() ? String(format: "%.0f%%", value) : String(format: "%.1f%%", value)
    }

    private static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}
