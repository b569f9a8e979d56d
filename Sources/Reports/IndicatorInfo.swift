import Foundation
import PartnershipModel
import ScenarioFile

/// What a report needs to know about an indicator: from the scenario file where it can be read.
struct IndicatorInfo: Sendable {
    let id: String
    let name: String
    let unit: String?
    let baseline: Double
    let target: Double
    let higherIsBetter: Bool
    let laaTarget: Bool
    /// Whether the baseline or target is a distribution in the file (the mean is shown).
    let uncertainBaseline: Bool, uncertainTarget: Bool

    /// Whether a final value meets the target (SPEC.md: d (y(T) - y*) >= 0).
    func meets(_ final: Double) -> Bool {
        (higherIsBetter ? 1.0 : -1.0) * (final - target) >= 0
    }
}

/// The scenario file behind a run or a sweep, read for its indicators.
struct ScenarioInfo: Sendable {
    let path: String
    let name: String
    let quarters: Int
    let indicators: [IndicatorInfo]

    /// Reads the scenario at the first of `candidates` that exists; nil with the reason otherwise.
    static func load(candidates: [String], named: String) -> (ScenarioInfo?, String?) {
        var seen = Set<String>()
        let existing = candidates.filter { seen.insert($0).inserted }.first { FileManager.default.fileExists(atPath: $0) }
        guard let path = existing else {
            return (nil, "the scenario file \(named) cannot be found (looked at \(Array(seen).sorted().joined(separator: ", "))), so baselines, targets and which indicators are LAA targets are taken from the CSV files: every indicator is shown, its baseline is the median at quarter 0, and no target line is drawn")
        }
        let template: ScenarioTemplate
        do {
            template = try ScenarioLoader.load(path: path)
        } catch {
            return (nil, "the scenario file \(path) cannot be read (\(error.description.split(separator: "\n").first ?? "")), so baselines, targets and which indicators are LAA targets are taken from the CSV files: every indicator is shown, its baseline is the median at quarter 0, and no target line is drawn")
        }
        let uncertain = Set(template.uncertain.map(\.path))
        let indicators = template.scenario.indicators.enumerated().map { k, indicator in
            IndicatorInfo(id: indicator.id, name: indicator.name, unit: indicator.unit, baseline: indicator.baseline,
                          target: indicator.target, higherIsBetter: indicator.higherIsBetter, laaTarget: indicator.laaTarget,
                          uncertainBaseline: uncertain.contains("indicators[\(k)].baseline"),
                          uncertainTarget: uncertain.contains("indicators[\(k)].target"))
        }
        return (ScenarioInfo(path: path, name: template.scenario.name, quarters: template.scenario.quarters, indicators: indicators), nil)
    }
}
