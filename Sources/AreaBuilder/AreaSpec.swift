import Foundation
import PartnershipModel
import Yams

/// What a user tells `lspsim new` about their own area: enough to write a complete scenario.
///
/// Every field can come from flags, from an answers file (YAML, the same field names) or from the
/// interactive questions; each answer is checked by the same functions (`AreaSpec.parse...`), so
/// that a bad answer gets the same error, naming the field and what is valid, whatever its route.
public struct AreaSpec: Sendable, Equatable {
    /// The area's name (used for the scenario's name, partners' names and ids).
    public var name: String?
    public var tier: AreaTier?
    /// District names of a two-tier area, in order.
    public var districts: [String] = []
    /// Residents (people), > 0.
    public var population: Int?
    /// Partner kinds, in order; `council` stands for the area's council(s).
    public var partners: [String] = []
    public var indicators: [IndicatorChoice] = []
    /// The share of its LAA targets the user expects the area to meet, in (0, 1).
    public var expectedShare: Double = 0.5
    /// Whether the partners have a long history of joint working (SOURCES.md: trust 0.6-0.8, else 0.3-0.5).
    public var longHistory: Bool = false
    /// Model version of the written scenario (SPEC.md), 1 or 2.
    public var modelVersion: Int = 2
    /// The fields with defaults (expected_share, long_history, model_version) that were given
    /// explicitly, so that an answers file does not override them.
    public var given: Set<String> = []

    public init() {}

    /// The fields an answers file may hold.
    public static let answerKeys = ["name", "tier", "districts", "population", "partners", "indicators",
                                    "expected_share", "long_history", "model_version"]

    /// The partner kinds accepted in `partners`: `council` and every kind but `other`.
    public static let partnerWords = ["council"] + PartnerKind.allCases.filter { $0 != .other }.map(\.rawValue)

    // MARK: - Checking one answer

    public static func parseName(_ text: String) throws(AreaAnswerError) -> String {
        let name = text.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw AreaAnswerError(field: "name", "the area needs a name, for example \"Wyre Forest\"") }
        return name
    }

    public static func parseTier(_ text: String) throws(AreaAnswerError) -> AreaTier {
        let word = text.trimmingCharacters(in: .whitespaces).lowercased()
        if word == "unitary" { return .single }
        guard let tier = AreaTier(rawValue: word.replacingOccurrences(of: "-", with: "_")) else {
            throw AreaAnswerError(field: "tier", "'\(text)' is not a tier; valid: single (a unitary area) or two_tier (county and districts)")
        }
        return tier
    }

    public static func parseDistricts(_ text: String) throws(AreaAnswerError) -> [String] {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        try checkDistricts(names)
        return names
    }

    static func checkDistricts(_ names: [String]) throws(AreaAnswerError) {
        guard !names.isEmpty else {
            throw AreaAnswerError(field: "districts", "a two-tier area needs at least one district, for example \"Bromsgrove,Redditch\"")
        }
        guard Set(names).count == names.count else { throw AreaAnswerError(field: "districts", "a district is named twice") }
        for name in names where name.contains(":") || name.contains("#") {
            throw AreaAnswerError(field: "districts", "district name '\(name)' may not contain ':' or '#'")
        }
    }

    public static func parsePopulation(_ text: String) throws(AreaAnswerError) -> Int {
        let digits = text.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "_", with: "").trimmingCharacters(in: .whitespaces)
        guard let value = Int(digits), value > 0 else {
            throw AreaAnswerError(field: "population", "'\(text)' is not a number of residents; give a whole number above 0, for example 250000")
        }
        return value
    }

    public static func parsePartners(_ text: String) throws(AreaAnswerError) -> [String] {
        let words = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        try checkPartners(words)
        return words
    }

    static func checkPartners(_ words: [String]) throws(AreaAnswerError) {
        guard !words.isEmpty else {
            throw AreaAnswerError(field: "partners", "name at least one partner; valid: \(partnerWords.joined(separator: ", "))")
        }
        for word in words where !partnerWords.contains(word) {
            throw AreaAnswerError(field: "partners", "'\(word)' is not a kind of partner; valid: \(partnerWords.joined(separator: ", "))")
        }
        guard Set(words).count == words.count else { throw AreaAnswerError(field: "partners", "a kind of partner is named twice") }
    }

    /// Reads a comma-separated list of `ID:BASELINE:TARGET`.
    public static func parseIndicators(_ text: String) throws(AreaAnswerError) -> [IndicatorChoice] {
        let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var result: [IndicatorChoice] = []
        for (index, item) in items.enumerated() {
            result.append(try IndicatorChoice.parse(item, field: "indicators[\(index + 1)]"))
        }
        guard !result.isEmpty else {
            throw AreaAnswerError(field: "indicators", "give at least one LAA target as ID:BASELINE:TARGET, for example NI117:7.0:5.8")
        }
        return result
    }

    public static func parseExpectedShare(_ text: String) throws(AreaAnswerError) -> Double {
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value > 0, value < 1 else {
            throw AreaAnswerError(field: "expected_share", "'\(text)' is not a share strictly between 0 and 1, for example 0.5")
        }
        return value
    }

    public static func parseBool(_ text: String, field: String) throws(AreaAnswerError) -> Bool {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "yes", "y", "true": return true
        case "no", "n", "false": return false
        default: throw AreaAnswerError(field: field, "'\(text)' is not yes or no")
        }
    }

    public static func parseModelVersion(_ text: String) throws(AreaAnswerError) -> Int {
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value == 1 || value == 2 else {
            throw AreaAnswerError(field: "model_version", "'\(text)' is not a model version; valid: 1 or 2")
        }
        return value
    }

    // MARK: - The whole spec

    /// The required answers still missing, in the order the questions ask them.
    public var missing: [String] {
        var fields: [String] = []
        if name == nil { fields.append("name") }
        if tier == nil { fields.append("tier") }
        if tier == .twoTier && districts.isEmpty { fields.append("districts") }
        if population == nil { fields.append("population") }
        if partners.isEmpty { fields.append("partners") }
        if indicators.isEmpty { fields.append("indicators") }
        return fields
    }

    /// Checks the answers together (what no single answer can show).
    public func validated() throws(AreaAnswerError) -> AreaSpec {
        if let first = missing.first {
            throw AreaAnswerError(field: first, "is required (give it as a flag, in an answers file, or answer the question on a terminal)")
        }
        try AreaSpec.checkPartners(partners)
        if tier == .twoTier {
            try AreaSpec.checkDistricts(districts)
            guard partners.contains("council") || partners.contains("district_council") else {
                throw AreaAnswerError(field: "partners", "a two-tier area needs its district councils: add council to the partners")
            }
        } else if !districts.isEmpty {
            throw AreaAnswerError(field: "districts", "only a two_tier area has districts")
        }
        for word in partners {
            if tier == .single, word == "county_council" || word == "district_council" {
                throw AreaAnswerError(field: "partners", "\(word) belongs to a two_tier area; a single-tier area has council (a unitary council)")
            }
            if tier == .twoTier, word == "unitary_council" {
                throw AreaAnswerError(field: "partners", "unitary_council belongs to a single-tier area; a two_tier area has council (county and district councils)")
            }
        }
        let ids = indicators.map(\.id)
        guard Set(ids).count == ids.count else { throw AreaAnswerError(field: "indicators", "an indicator is given twice") }
        return self
    }

    // MARK: - Answers file

    /// Reads an answers file's YAML; fields given there fill only what `self` does not hold already
    /// (flags win over the file).
    public func merging(answersYAML source: String) throws(AreaAnswerError) -> AreaSpec {
        let parsed: Any?
        do { parsed = try Yams.load(yaml: source) } catch {
            throw AreaAnswerError(field: "answers", "not valid YAML: \(error)")
        }
        guard let map = parsed as? [String: Any] else {
            throw AreaAnswerError(field: "answers", "the answers file must be a mapping of fields: \(AreaSpec.answerKeys.joined(separator: ", "))")
        }
        for key in map.keys.sorted() where !AreaSpec.answerKeys.contains(key) {
            throw AreaAnswerError(field: key, "unknown field; valid: \(AreaSpec.answerKeys.joined(separator: ", "))")
        }
        var spec = self
        func text(_ value: Any) -> String {
            if let list = value as? [Any] { return list.map { "\($0)" }.joined(separator: ",") }
            return "\(value)"
        }
        if spec.name == nil, let value = map["name"] { spec.name = try AreaSpec.parseName(text(value)) }
        if spec.tier == nil, let value = map["tier"] { spec.tier = try AreaSpec.parseTier(text(value)) }
        if spec.districts.isEmpty, let value = map["districts"] { spec.districts = try AreaSpec.parseDistricts(text(value)) }
        if spec.population == nil, let value = map["population"] { spec.population = try AreaSpec.parsePopulation(text(value)) }
        if spec.partners.isEmpty, let value = map["partners"] { spec.partners = try AreaSpec.parsePartners(text(value)) }
        if spec.indicators.isEmpty, let value = map["indicators"] {
            guard let list = value as? [Any] else {
                throw AreaAnswerError(field: "indicators", "must be a list of ID:BASELINE:TARGET items or indicator mappings")
            }
            spec.indicators = try list.enumerated().map { (index, item) throws(AreaAnswerError) in
                try AreaSpec.indicator(item, field: "indicators[\(index + 1)]")
            }
        }
        if !spec.given.contains("expected_share"), let value = map["expected_share"] {
            spec.expectedShare = try AreaSpec.parseExpectedShare(text(value))
            spec.given.insert("expected_share")
        }
        if !spec.given.contains("long_history"), let value = map["long_history"] {
            spec.longHistory = try AreaSpec.parseBool(text(value), field: "long_history")
            spec.given.insert("long_history")
        }
        if !spec.given.contains("model_version"), let value = map["model_version"] {
            spec.modelVersion = try AreaSpec.parseModelVersion(text(value))
            spec.given.insert("model_version")
        }
        return spec
    }

    /// The keys of an indicator given as a mapping in an answers file.
    public static let indicatorKeys = ["id", "name", "unit", "higher_is_better", "baseline", "target", "movers"]

    static func indicator(_ item: Any, field: String) throws(AreaAnswerError) -> IndicatorChoice {
        if let text = item as? String { return try IndicatorChoice.parse(text, field: field) }
        guard let map = item as? [String: Any] else {
            throw AreaAnswerError(field: field, "must be ID:BASELINE:TARGET or a mapping with \(indicatorKeys.joined(separator: ", "))")
        }
        for key in map.keys.sorted() where !indicatorKeys.contains(key) {
            throw AreaAnswerError(field: "\(field).\(key)", "unknown field; valid: \(indicatorKeys.joined(separator: ", "))")
        }
        guard let id = map["id"].map({ "\($0)" }) else { throw AreaAnswerError(field: "\(field).id", "is required") }
        func value(_ key: String) throws(AreaAnswerError) -> Double {
            guard let raw = map[key] else { throw AreaAnswerError(field: "\(field).\(key)", "is required") }
            return try IndicatorChoice.number("\(raw)", field: "\(field).\(key)", what: key)
        }
        let baseline = try value("baseline"), target = try value("target")
        if map["name"] == nil, map["higher_is_better"] == nil, let entry = IndicatorCatalogue.entry(id) {
            return try IndicatorChoice(id: entry.id, name: entry.name, unit: entry.unit, higherIsBetter: entry.higherIsBetter,
                                       baseline: baseline, target: target, movers: entry.movers, source: entry.source).checked(field: field)
        }
        guard let name = map["name"].map({ "\($0)" }) else {
            throw AreaAnswerError(field: "\(field).name", "is required for an indicator that is not in the catalogue (\(id))")
        }
        guard let direction = map["higher_is_better"] else {
            throw AreaAnswerError(field: "\(field).higher_is_better", "is required for an indicator that is not in the catalogue (true or false)")
        }
        let movers: [PartnerKind]
        if let list = map["movers"] as? [Any] {
            movers = try IndicatorChoice.kinds(list.map { "\($0)" }, field: "\(field).movers")
        } else {
            movers = IndicatorChoice.defaultMovers
        }
        return try IndicatorChoice(id: id, name: name, unit: map["unit"].map { "\($0)" } ?? "",
                                   higherIsBetter: try IndicatorChoice.polarity("\(direction)", field: "\(field).higher_is_better"),
                                   baseline: baseline, target: target, movers: movers, source: nil).checked(field: field)
    }
}

/// `lspsim new`'s flags as typed (nil where not given), read into an `AreaSpec` by the same checks
/// as the answers file and the questions.
public struct AreaFlags: Sendable {
    public var name: String?
    public var tier: String?
    public var districts: String?
    public var population: String?
    public var partners: String?
    public var indicators: String?
    public var indicatorSpecs: [String] = []
    public var expectedShare: String?
    public var longHistory = false
    public var modelVersion: String?

    public init() {}

    /// The spec the flags give (checked answer by answer; missing answers stay missing).
    public func spec() throws(AreaAnswerError) -> AreaSpec {
        var spec = AreaSpec()
        if let name { spec.name = try AreaSpec.parseName(name) }
        if let tier { spec.tier = try AreaSpec.parseTier(tier) }
        if let districts { spec.districts = try AreaSpec.parseDistricts(districts) }
        if let population { spec.population = try AreaSpec.parsePopulation(population) }
        if let partners { spec.partners = try AreaSpec.parsePartners(partners) }
        if let indicators { spec.indicators = try AreaSpec.parseIndicators(indicators) }
        for (index, text) in indicatorSpecs.enumerated() {
            spec.indicators.append(try IndicatorChoice.parseSpec(text, field: "indicator-spec[\(index + 1)]"))
        }
        if let expectedShare {
            spec.expectedShare = try AreaSpec.parseExpectedShare(expectedShare)
            spec.given.insert("expected_share")
        }
        if longHistory {
            spec.longHistory = true
            spec.given.insert("long_history")
        }
        if let modelVersion {
            spec.modelVersion = try AreaSpec.parseModelVersion(modelVersion)
            spec.given.insert("model_version")
        }
        return spec
    }
}
