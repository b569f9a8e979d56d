import Foundation
import Yams

/// A red, amber or green rating, as the LSP improvement tool gave each element (SOURCES.md).
public enum Rating: String, Sendable, CaseIterable, Comparable {
    case red, amber, green

    /// 0 red, 1 amber, 2 green.
    public var grade: Int { Rating.allCases.firstIndex(of: self)! }

    /// One grade better; nil for green.
    public var improved: Rating? { grade < 2 ? Rating.allCases[grade + 1] : nil }

    public static func < (a: Rating, b: Rating) -> Bool { a.grade < b.grade }

    /// Reads `red`, `amber` or `green` (also r, a, g).
    public static func parse(_ text: String, field: String) throws(AreaAnswerError) -> Rating {
        let word = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let rating = Rating(rawValue: word) { return rating }
        if let rating = Rating.allCases.first(where: { $0.rawValue.hasPrefix(word) && word.count == 1 }) { return rating }
        throw AreaAnswerError(field: field, "'\(text)' is not a rating; valid: red, amber or green")
    }
}

/// The six elements of the study's whole-systems "public sector 7S" framework around the goal, the
/// Sustainable Community Strategy (SOURCES.md: Audit Commission 2009): hard, transactional Steering,
/// Standards and Systems; soft, transformational Staff and skills, Style and Synergies.
public enum SevenSElement: String, Sendable, CaseIterable {
    case steering, standards, systems
    case staffAndSkills = "staff_and_skills"
    case style, synergies

    /// The element's name in the framework.
    public var title: String {
        switch self {
        case .steering: return "Steering"
        case .standards: return "Standards"
        case .systems: return "Systems"
        case .staffAndSkills: return "Staff and skills"
        case .style: return "Style"
        case .synergies: return "Synergies"
        }
    }

    /// Hard (transactional) or soft (transformational), as the framework groups them.
    public var isHard: Bool { [.steering, .standards, .systems].contains(self) }

    /// The questionnaire's question (our wording of the element, a modelling choice).
    public var question: String {
        switch self {
        case .steering:
            return "Steering: does the LSP agree a shared vision and priorities for the Sustainable Community Strategy, with strategic, executive and thematic levels that each know their job?"
        case .standards:
            return "Standards: are there agreed targets and standards, and a performance framework every partner reports against?"
        case .systems:
            return "Systems: are performance data shared and reviewed often, and resources mapped and aligned to the priorities?"
        case .staffAndSkills:
            return "Staff and skills: do partners have the people and skills to commission and deliver jointly?"
        case .style:
            return "Style: is leadership collaborative and visible, championing the partnership beyond each organisation?"
        case .synergies:
            return "Synergies: do partners trust each other and achieve more together than apart?"
        }
    }
}

/// A partnership's ratings of the six elements.
public struct SelfAssessment: Sendable, Equatable {
    public var ratings: [SevenSElement: Rating]

    public init(ratings: [SevenSElement: Rating]) { self.ratings = ratings }

    /// Every element rated `rating`.
    public static func all(_ rating: Rating) -> SelfAssessment {
        SelfAssessment(ratings: Dictionary(uniqueKeysWithValues: SevenSElement.allCases.map { ($0, rating) }))
    }

    public subscript(element: SevenSElement) -> Rating { ratings[element] ?? .amber }

    /// The same ratings with one element changed.
    public func with(_ element: SevenSElement, _ rating: Rating) -> SelfAssessment {
        var copy = self
        copy.ratings[element] = rating
        return copy
    }

    /// Reads an answers file: a mapping of every element to red, amber or green.
    public static func parse(yaml text: String) throws(AreaAnswerError) -> SelfAssessment {
        let parsed: Any?
        do { parsed = try Yams.load(yaml: text) } catch {
            throw AreaAnswerError(field: "answers", "not valid YAML: \(error)")
        }
        let keys = SevenSElement.allCases.map(\.rawValue)
        guard let map = parsed as? [String: Any] else {
            throw AreaAnswerError(field: "answers", "the answers file must map each element (\(keys.joined(separator: ", "))) to red, amber or green")
        }
        for key in map.keys.sorted() where !keys.contains(key) {
            throw AreaAnswerError(field: key, "unknown element; valid: \(keys.joined(separator: ", "))")
        }
        var ratings: [SevenSElement: Rating] = [:]
        for element in SevenSElement.allCases {
            guard let value = map[element.rawValue] else {
                throw AreaAnswerError(field: element.rawValue, "is required: rate it red, amber or green")
            }
            ratings[element] = try Rating.parse("\(value)", field: element.rawValue)
        }
        return SelfAssessment(ratings: ratings)
    }

    /// Asks each element's question on a terminal.
    public static func ask(_ interview: Interview) throws(AreaAnswerError) -> SelfAssessment {
        interview.write("The public sector 7S self-assessment: rate each element red, amber or green.\n")
        var ratings: [SevenSElement: Rating] = [:]
        for element in SevenSElement.allCases {
            ratings[element] = try interview.ask(element.question + "\n  red, amber or green", field: element.rawValue,
                                                 default: "amber") { text throws(AreaAnswerError) in
                try Rating.parse(text, field: element.rawValue)
            }
        }
        return SelfAssessment(ratings: ratings)
    }
}
