import Foundation
import PartnershipModel
import ScenarioFile
import Yams

/// How the 7S ratings set the scenario's governance and culture (a documented modelling choice;
/// docs/OWN-AREA.md has the table). Every value is non-decreasing in its element's grade, and
/// review_every non-increasing, so a better rating never makes the partnership worse by design.
///
/// | element | field | red | amber | green |
/// | Style | governance.leadership | U(0.2, 0.4) | U(0.4, 0.6) | U(0.6, 0.8) |
/// | Synergies | model.synergy | 0.2 | 0.5 (SPEC default) | 0.8 |
/// | Synergies | partners' trust | U(0.3, 0.5) | U(0.45, 0.65) | U(0.6, 0.8) (SOURCES.md ranges) |
/// | Systems + Standards | governance.performance_management | 0.3 + 0.1 x (grade of systems + grade of standards) |
/// | Systems, Standards | governance.review_every | 4 if either is red, 2 if the lower is amber, 1 if both green |
/// | Staff and skills | governance.commissioning | 0.2 | 0.5 (SPEC default) | 0.8 |
/// | Steering | governance.levels | [executive] | [strategic, executive] | all three |
/// | Steering | governance.scrutiny | 0.1 | 0.3 (SPEC default) | 0.5 |
public struct AssessmentMapping: Sendable, Equatable {
    public let levels: [String]
    public let scrutiny: Double
    public let leadership: PartnerDefaults.Range
    public let synergy: Double
    public let trust: PartnerDefaults.Range
    public let performanceManagement: Double
    public let reviewEvery: Int
    public let commissioning: Double

    public init(_ assessment: SelfAssessment) {
        let steering = assessment[.steering], style = assessment[.style], synergies = assessment[.synergies]
        let systems = assessment[.systems], standards = assessment[.standards], staff = assessment[.staffAndSkills]
        levels = [["executive"], ["strategic", "executive"], ["strategic", "executive", "thematic"]][steering.grade]
        scrutiny = [0.1, 0.3, 0.5][steering.grade]
        let low = [0.2, 0.4, 0.6][style.grade]
        leadership = PartnerDefaults.Range(min: low, max: low + 0.2, source: "Style rated \(style.rawValue)")
        synergy = [0.2, 0.5, 0.8][synergies.grade]
        let trustLow = [0.3, 0.45, 0.6][synergies.grade]
        trust = PartnerDefaults.Range(min: trustLow, max: trustLow + 0.2,
                                      source: "Synergies rated \(synergies.rawValue) (SOURCES.md: 0.3-0.5, or 0.6-0.8 with long joint working)")
        performanceManagement = 0.3 + 0.1 * Double(systems.grade + standards.grade)
        reviewEvery = [4, 2, 1][min(systems.grade, standards.grade)]
        commissioning = [0.2, 0.5, 0.8][staff.grade]
    }

    /// The changed fields as (path, value, reason) lines for the overlay's header.
    public func changes(_ assessment: SelfAssessment) -> [String] {
        func r(_ element: SevenSElement) -> String { "\(element.title) \(assessment[element].rawValue)" }
        return [
            "governance.levels: [\(levels.joined(separator: ", "))]  <- \(r(.steering))",
            "governance.scrutiny: \(AreaScenario.number(scrutiny))  <- \(r(.steering))",
            "governance.leadership: uniform \(AreaScenario.number(leadership.min))-\(AreaScenario.number(leadership.max))  <- \(r(.style))",
            "model.synergy: \(AreaScenario.number(synergy))  <- \(r(.synergies))",
            "partners[*].trust: uniform \(AreaScenario.number(trust.min))-\(AreaScenario.number(trust.max))  <- \(r(.synergies))",
            "governance.performance_management: \(AreaScenario.number(performanceManagement))  <- \(r(.systems)), \(r(.standards))",
            "governance.review_every: \(reviewEvery)  <- \(r(.systems)), \(r(.standards))",
            "governance.commissioning: \(AreaScenario.number(commissioning))  <- \(r(.staffAndSkills))",
        ]
    }

    // MARK: - Overlay

    /// The scenario text with the mapped fields changed (everything else as in `yaml`), checked to
    /// load. The header records the ratings and each change.
    public func overlay(_ yaml: String, file: String, assessment: SelfAssessment) throws(TrialFailure) -> String {
        var root: Node
        do { root = try ScenarioLoader.compose(yaml: yaml, file: file) } catch {
            throw TrialFailure(description: "the scenario does not load: \(error.description)")
        }
        var governance = root["governance"] ?? Node([(Node, Node)]())
        governance["levels"] = Node(levels.map { Node($0) }, .implicit, .flow)
        governance["scrutiny"] = AssessmentMapping.scalar(scrutiny)
        governance["leadership"] = AssessmentMapping.uniform(leadership)
        governance["performance_management"] = AssessmentMapping.scalar(performanceManagement)
        governance["review_every"] = Node(String(reviewEvery))
        governance["commissioning"] = AssessmentMapping.scalar(commissioning)
        root["governance"] = governance
        var model = root["model"] ?? Node([(Node, Node)]())
        model["synergy"] = AssessmentMapping.scalar(synergy)
        root["model"] = model
        if case var .sequence(partners)? = root["partners"] {
            for index in partners.indices {
                partners[index]["trust"] = AssessmentMapping.uniform(trust)
            }
            root["partners"] = .sequence(partners)
        }
        let body: String
        do { body = try Yams.serialize(node: root, width: 120, sortKeys: false) } catch {
            throw TrialFailure(description: "cannot write YAML: \(error)")
        }
        var header = ["# " + String(repeating: "=", count: 92),
                      "# Written by `lspsim assess` from \(file) and the 7S self-assessment (docs/OWN-AREA.md):"]
        header += SevenSElement.allCases.map { "#   \($0.title): \(assessment[$0].rawValue)" }
        header.append("# Fields set by the ratings (everything else is as in \(file); its comments are there):")
        header += changes(assessment).map { "#   " + $0 }
        header.append("# " + String(repeating: "=", count: 92))
        let text = header.joined(separator: "\n") + "\n" + body
        _ = try ScenarioTrial.template(text, file: file)
        return text
    }

    static func scalar(_ value: Double) -> Node { Node(AreaScenario.number(value)) }

    static func uniform(_ range: PartnerDefaults.Range) -> Node {
        Node([(Node("dist"), Node("uniform")), (Node("min"), scalar(range.min)), (Node("max"), scalar(range.max))],
             .implicit, .flow)
    }
}
