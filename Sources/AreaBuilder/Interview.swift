import Foundation

/// Asks questions on a terminal: each with its default, each answer checked as typed and the
/// question asked again, with the reason, after a bad answer.
public struct Interview {
    /// Reads one line (nil at end of input).
    public var read: () -> String?
    /// Writes text (no newline added).
    public var write: (String) -> Void

    public init(read: @escaping () -> String?, write: @escaping (String) -> Void) {
        self.read = read
        self.write = write
    }

    /// Asks until `check` accepts an answer; an empty answer takes the default where there is one.
    /// Ends with an error naming the field at the end of input.
    public func ask<Value>(_ question: String, field: String, default defaultText: String? = nil,
                           _ check: (String) throws(AreaAnswerError) -> Value) throws(AreaAnswerError) -> Value {
        while true {
            write(defaultText.map { "\(question) [\($0)]: " } ?? "\(question): ")
            guard let line = read() else { throw AreaAnswerError(field: field, "no answer (input ended)") }
            let answer = line.trimmingCharacters(in: .whitespaces)
            let text = answer.isEmpty ? (defaultText ?? "") : answer
            do {
                return try check(text)
            } catch {
                write("  \(error.description)\n  Please try again.\n")
            }
        }
    }

    /// Asks for every required answer `spec` lacks, and the optional ones not given explicitly
    /// (with their defaults).
    public func complete(_ spec: AreaSpec) throws(AreaAnswerError) -> AreaSpec {
        var spec = spec
        write("Model your own area: a few questions (press Enter to take the default in brackets).\n")
        if spec.name == nil { spec.name = try ask("Name of the area", field: "name", AreaSpec.parseName) }
        if spec.tier == nil {
            spec.tier = try ask("Tier: single (unitary) or two_tier (county and districts)", field: "tier", default: "single", AreaSpec.parseTier)
        }
        if spec.tier == .twoTier && spec.districts.isEmpty {
            spec.districts = try ask("Districts, separated by commas", field: "districts", AreaSpec.parseDistricts)
        }
        if spec.population == nil { spec.population = try ask("Population (residents)", field: "population", AreaSpec.parsePopulation) }
        if spec.partners.isEmpty {
            spec.partners = try ask("Partners (\(AreaSpec.partnerWords.joined(separator: ", ")))", field: "partners",
                                    default: "council,health,police,fire,jobcentre,skills,vcs", AreaSpec.parsePartners)
        }
        if spec.indicators.isEmpty {
            write("LAA targets as ID:BASELINE:TARGET from the catalogue (`lspsim new --list-indicators`).\n")
            spec.indicators = try ask("Targets, separated by commas", field: "indicators", AreaSpec.parseIndicators)
        }
        if !spec.given.contains("expected_share") {
            spec.expectedShare = try ask("Share of its targets you expect the area to meet", field: "expected_share",
                                         default: AreaScenario.number(spec.expectedShare), AreaSpec.parseExpectedShare)
        }
        if !spec.given.contains("long_history") {
            spec.longHistory = try ask("Long history of joint working between the partners? (yes/no)", field: "long_history",
                                   default: spec.longHistory ? "yes" : "no") { text throws(AreaAnswerError) in
                try AreaSpec.parseBool(text, field: "long_history")
            }
        }
        return spec
    }
}
