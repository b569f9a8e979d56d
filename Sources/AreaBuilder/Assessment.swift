import Foundation

/// `lspsim assess`'s work: the overlay scenario of a self-assessment, and paired runs of each
/// element improved by one grade against the assessed partnership.
public enum Assessment {
    /// The change in mean share of LAA targets met when one element improves by one grade.
    public struct ElementEffect: Sendable, Equatable {
        public let element: SevenSElement
        public let from: Rating
        /// nil where the element is already green.
        public let to: Rating?
        /// Mean share met with the element improved minus the assessed mean (paired replications).
        public let change: Double?
    }

    public struct Result: Sendable {
        public let yaml: String
        public let mapping: AssessmentMapping
        /// Mean share of LAA targets met of the assessed scenario.
        public let baseline: Double
        public let effects: [ElementEffect]
        public let paragraph: String
    }

    /// Writes the overlay of `scenario` (text) for `assessment` and runs the paired comparisons.
    public static func run(scenario: String, file: String, assessment: SelfAssessment, trial: ScenarioTrial) throws(TrialFailure) -> Result {
        let mapping = AssessmentMapping(assessment)
        let yaml = try mapping.overlay(scenario, file: file, assessment: assessment)
        let baseShares = try trial.targetShares(yaml, file: file)
        let baseline = mean(baseShares)
        var effects: [ElementEffect] = []
        for element in SevenSElement.allCases {
            let rating = assessment[element]
            guard let better = rating.improved else {
                effects.append(ElementEffect(element: element, from: rating, to: nil, change: nil))
                continue
            }
            let improved = assessment.with(element, better)
            let text = try AssessmentMapping(improved).overlay(scenario, file: file, assessment: improved)
            let shares = try trial.targetShares(text, file: file)
            effects.append(ElementEffect(element: element, from: rating, to: better, change: mean(zip(shares, baseShares).map { $0 - $1 })))
        }
        return Result(yaml: yaml, mapping: mapping, baseline: baseline, effects: effects,
                      paragraph: paragraph(assessment: assessment, baseline: baseline, effects: effects, trial: trial))
    }

    /// Mean share met of a scenario under an assessment (for comparing two assessments, paired).
    public static func targetShares(scenario: String, file: String, assessment: SelfAssessment, trial: ScenarioTrial) throws(TrialFailure) -> [Double] {
        try trial.targetShares(AssessmentMapping(assessment).overlay(scenario, file: file, assessment: assessment), file: file)
    }

    static func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }

    /// What the ratings imply, and which elements most limit the partnership in the model.
    static func paragraph(assessment: SelfAssessment, baseline: Double, effects: [ElementEffect], trial: ScenarioTrial) -> String {
        let hard = SevenSElement.allCases.filter(\.isHard), soft = SevenSElement.allCases.filter { !$0.isHard }
        func list(_ elements: [SevenSElement]) -> String { elements.map { "\($0.title) \(assessment[$0].rawValue)" }.joined(separator: ", ") }
        let mapping = AssessmentMapping(assessment)
        var text = "Hard elements: \(list(hard)); soft elements: \(list(soft)). "
        text += "In the model this means \(mapping.levels.count == 3 ? "all three levels of joint working" : "the levels \(mapping.levels.joined(separator: " and "))"), "
        text += "performance management \(AreaScenario.number(mapping.performanceManagement)) reviewed every \(mapping.reviewEvery) quarter\(mapping.reviewEvery == 1 ? "" : "s"), "
        text += "leadership \(AreaScenario.number(mapping.leadership.min))-\(AreaScenario.number(mapping.leadership.max)), "
        text += "initial trust \(AreaScenario.number(mapping.trust.min))-\(AreaScenario.number(mapping.trust.max)), synergy \(AreaScenario.number(mapping.synergy)) "
        text += "and commissioning skill \(AreaScenario.number(mapping.commissioning)). "
        text += String(format: "The assessed partnership meets %.1f%% of its LAA targets on average (%d replications, seed %llu). ",
                       baseline * 100, trial.replications, trial.seed)
        let ranked = effects.compactMap { effect in effect.change.map { (effect, $0) } }.sorted { $0.1 > $1.1 }
        if ranked.isEmpty {
            text += "Every element is green: the model has no better grade to try."
        } else {
            let parts = ranked.map { effect, change in
                String(format: "%@ %@->%@ %+.1f points", effect.element.title, effect.from.rawValue, effect.to!.rawValue, change * 100)
            }
            text += "Improving one element by one grade, paired on the same random draws: " + parts.joined(separator: "; ") + ". "
            if let top = ranked.first, top.1 > 0 {
                text += "\(top.0.element.title) limits the partnership most in the model"
                let close = ranked.dropFirst().filter { $0.1 > 0 && $0.1 >= 0.5 * top.1 }.map(\.0.element.title)
                text += close.isEmpty ? "." : ", then \(close.joined(separator: ", "))."
            } else {
                text += "No single one-grade improvement raises the share met in the model at these replications."
            }
        }
        return text
    }
}
