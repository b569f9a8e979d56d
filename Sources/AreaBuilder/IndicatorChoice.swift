import Foundation
import PartnershipModel

/// One indicator the user chose for the area: what it measures (from the catalogue or given in
/// full) and the area's own baseline and three-year target.
public struct IndicatorChoice: Sendable, Equatable {
    public var id: String
    public var name: String
    public var unit: String
    public var higherIsBetter: Bool
    /// The value at the start of the LAA (the user's figure).
    public var baseline: Double
    /// The value the LAA aims for after three years (the user's figure).
    public var target: Double
    /// The kinds of partner whose spending can move it (the catalogue's table, or given).
    public var movers: [PartnerKind]
    /// The catalogue entry's source page; nil for a local indicator given in full.
    public var source: String?

    /// target - baseline, signed so that a positive stretch is an improvement.
    public var stretch: Double { (higherIsBetter ? 1 : -1) * (target - baseline) }

    /// Reads `ID:BASELINE:TARGET` for an indicator of the catalogue.
    public static func parse(_ text: String, field: String) throws(AreaAnswerError) -> IndicatorChoice {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 3 else {
            throw AreaAnswerError(field: field, "'\(text)' is not ID:BASELINE:TARGET (for example NI117:7.0:5.8); "
                                  + "a local indicator is given in full as ID:NAME:UNIT:higher|lower:BASELINE:TARGET")
        }
        guard let entry = IndicatorCatalogue.entry(parts[0]) else {
            throw AreaAnswerError(field: field, "'\(parts[0])' is not in the indicator catalogue (see `lspsim new --list-indicators`); "
                                  + "give a local indicator in full as ID:NAME:UNIT:higher|lower:BASELINE:TARGET")
        }
        let baseline = try number(parts[1], field: field, what: "baseline")
        let target = try number(parts[2], field: field, what: "target")
        return try IndicatorChoice(id: entry.id, name: entry.name, unit: entry.unit, higherIsBetter: entry.higherIsBetter,
                                   baseline: baseline, target: target, movers: entry.movers, source: entry.source).checked(field: field)
    }

    /// Reads a local indicator given in full: `ID:NAME:UNIT:higher|lower:BASELINE:TARGET[:KIND+KIND...]`.
    /// Without movers, councils are assumed to move it (a modelling choice).
    public static func parseSpec(_ text: String, field: String) throws(AreaAnswerError) -> IndicatorChoice {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 6 || parts.count == 7 else {
            throw AreaAnswerError(field: field, "'\(text)' is not ID:NAME:UNIT:higher|lower:BASELINE:TARGET[:KIND+KIND] "
                                  + "(for example X1:Local measure:%:higher:50:55)")
        }
        let direction = try polarity(parts[3], field: field)
        let movers = parts.count == 7 ? try kinds(parts[6].split(separator: "+").map(String.init), field: field) : defaultMovers
        return try IndicatorChoice(id: parts[0], name: parts[1], unit: parts[2], higherIsBetter: direction,
                                   baseline: try number(parts[4], field: field, what: "baseline"),
                                   target: try number(parts[5], field: field, what: "target"),
                                   movers: movers, source: nil).checked(field: field)
    }

    /// Councils of every tier: who moves a local indicator when the user does not say.
    public static let defaultMovers: [PartnerKind] = [.unitaryCouncil, .countyCouncil, .districtCouncil]

    /// `higher` or `lower` (also `true`/`false` for higher_is_better).
    static func polarity(_ text: String, field: String) throws(AreaAnswerError) -> Bool {
        switch text.lowercased() {
        case "higher", "true": return true
        case "lower", "false": return false
        default: throw AreaAnswerError(field: field, "'\(text)' is not a direction; valid: higher or lower (which is better)")
        }
    }

    static func kinds(_ names: [String], field: String) throws(AreaAnswerError) -> [PartnerKind] {
        var result: [PartnerKind] = []
        for name in names {
            guard let kind = PartnerKind(rawValue: name.trimmingCharacters(in: .whitespaces)), kind != .other else {
                throw AreaAnswerError(field: field, "'\(name)' is not a kind of partner; valid: "
                                      + PartnerKind.allCases.filter { $0 != .other }.map(\.rawValue).joined(separator: ", "))
            }
            result.append(kind)
        }
        return result
    }

    static func number(_ text: String, field: String, what: String) throws(AreaAnswerError) -> Double {
        guard let value = Double(text), value.isFinite else {
            throw AreaAnswerError(field: field, "\(what) '\(text)' is not a number")
        }
        return value
    }

    /// Checks the id and that the target is an improvement on the baseline.
    func checked(field: String) throws(AreaAnswerError) -> IndicatorChoice {
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw AreaAnswerError(field: field, "indicator id '\(id)' must be letters, digits, _ or - (for example NI117 or X1)")
        }
        guard !name.isEmpty else { throw AreaAnswerError(field: field, "indicator \(id) needs a name") }
        guard stretch > 0 else {
            throw AreaAnswerError(field: field, "the target \(target) of \(id) is not an improvement on its baseline \(baseline) "
                                  + "(\(higherIsBetter ? "higher" : "lower") is better); give a target "
                                  + "\(higherIsBetter ? "above" : "below") the baseline")
        }
        return self
    }
}
