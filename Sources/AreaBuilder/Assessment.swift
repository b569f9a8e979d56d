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
        /// Half-width of the change's 95% interval (1.96 standard errors of the paired differences).
        public let halfWidth: Double?

        /// Whether the 95% interval of the change excludes zero.
        public var isClear: Bool {
            guard let change, let halfWidth else { return false }
            return abs(change) > halfWidth
        }
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
                effects.append(ElementEffect(element: element, from: rating, to: nil, change: nil, halfWidth: nil))
                continue
            }
            let improved = assessment.with(element, better)
            let text = try AssessmentMapping(improved).overlay(scenario, file: file, assessment: improved)
            let shares = try trial.targetShares(text, file: file)
            let differences = zip(shares, baseShares).map { $0 - $1 }
            effects.append(ElementEffect(element: element, from: rating, to: better, change: mean(differences),
                                         halfWidth: halfWidth(differences)))
        }
        return Result(yaml: yaml, mapping: mapping, baseline: baseline, effects: effects,
                      paragraph: paragraph(assessment: assessment, baseline: baseline, effects: effects, trial: trial))
    }

    /// Mean share met of a scenario under an assessment (for comparing two assessments, paired).
    public static func targetShares(scenario: String, file: String, assessment: SelfAssessment, trial: ScenarioTrial) throws(TrialFailure) -> [Double] {
        try trial.targetShares(AssessmentMapping(assessment).overlay(scenario, file: file, assessment: assessment), file: file)
    }

    static func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }

    /// 1.96 standard errors of the mean of `values` (0 for fewer than two values).
    static func halfWidth(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let m = mean(values)
        let variance = values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count - 1)
        return 1.96 * (variance / Double(values.count)).squareRoot()
    }

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
                String(format: "%@ %@->%@ %+.1f points (95%% interval +/- %.1f)", effect.element.title, effect.from.rawValue,
                       effect.to!.rawValue, change * 100, (effect.halfWidth ?? 0) * 100)
            }
            text += "Improving one element by one grade, paired on the same random draws (change in the share met): "
                + parts.joined(separator: "; ") + ". "
            let limiting = ranked.filter { $0.0.isClear && $0.1 > 0 }.map(\.0.element.title)
            let harmful = ranked.filter { $0.0.isClear && $0.1 < 0 }.map(\.0.element.title)
            if let top = limiting.first {
                text += "\(top) limits the partnership most in the model"
                text += limiting.count > 1 ? ", then \(limiting.dropFirst().joined(separator: ", "))." : "."
            } else {
                text += "No one-grade improvement raises the share met beyond run-to-run noise at \(trial.replications) replications "
                    + "(more replications would separate them)."
            }
            if !harmful.isEmpty {
                text += " In the model a better \(harmful.joined(separator: " or ")) lowers the share met here; "
                    + "check which of its mapped fields does it (docs/OWN-AREA.md) before acting on that."
            }
        }
        return text
    }
}
