import ABC
import Experiments
import Foundation
import PartnershipModel
import ScenarioFile
import Yams

/// Reads calibration files (docs/CALIBRATION.md), reporting every problem with its line, column and
/// field path, as scenario files do.
public enum CalibrationLoader {
    static let topKeys = ["name", "description", "scenario", "parameters", "observations", "targets", "distance", "abc"]
    static let parameterKeys = ["path", "prior"]
    static let targetKeys = ["measure", "min", "max"]
    static let distanceKeys = ["scale", "target_penalty"]
    static let abcKeys = ["population", "generations", "final_tolerance", "min_acceptance", "quantile", "replications",
                          "seed", "max_attempts", "predictive"]

    /// Reads the calibration file at `path`, its base scenario and its observations.
    public static func load(path: String) throws(CalibrationError) -> CalibrationSpec {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CalibrationError(file: path, message: FileManager.default.fileExists(atPath: path) ? "cannot be read as UTF-8 text" : "no such file")
        }
        let root: Node
        do {
            root = try ScenarioLoader.compose(yaml: text, file: path)
        } catch {
            throw CalibrationError(diagnostics: error.diagnostics)
        }
        var reader = YAMLReader(file: path)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        func resolve(_ relative: String) -> String {
            relative.hasPrefix("/") ? relative : folder.appendingPathComponent(relative).path
        }
        guard let top = reader.mapping(root, "", allowed: topKeys) else { throw CalibrationError(diagnostics: reader.diagnostics) }
        let name = reader.optional(top, "name").flatMap { reader.string($0, "name") }
        _ = reader.optional(top, "description").flatMap { reader.string($0, "description") }
        let scenarioPath = reader.require(top, "scenario", "", at: root.mark, what: "the base scenario file, relative to this file")
            .flatMap { reader.string($0, "scenario") }.map(resolve)
        let observationsPath = reader.require(top, "observations", "", at: root.mark, what: "a CSV file indicator,quarter,value, relative to this file")
            .flatMap { reader.string($0, "observations") }.map(resolve)

        // Parameters: field paths and prior nodes (the priors are read by the scenario loader).
        var paths: [FactorPath] = [], priorNodes: [Node] = []
        if let node = reader.require(top, "parameters", "", at: root.mark, what: "a list of {path: FIELD_PATH, prior: {dist: ...}}"),
           let items = reader.sequence(node, "parameters", of: "parameters {path, prior}") {
            if items.isEmpty { reader.report("parameters", "must list at least one parameter", at: node.mark) }
            for (index, item) in items.enumerated() {
                let here = "parameters[\(index)]"
                guard let fields = reader.mapping(item, here, allowed: parameterKeys) else { continue }
                let pathNode = reader.require(fields, "path", here, at: item.mark, what: "a field path such as indicators[id=NI117].responsiveness")
                let prior = reader.require(fields, "prior", here, at: item.mark, what: "a distribution {dist: uniform|normal|beta|gamma|lognormal, ...}")
                guard let pathNode, let text = reader.string(pathNode, "\(here).path"), let prior else { continue }
                guard case .mapping = prior else {
                    reader.report("\(here).prior", "must be a distribution {dist: uniform|normal|beta|gamma|lognormal, ...}, got \(YAMLReader.shown(prior))", at: prior.mark)
                    continue
                }
                do {
                    let path = try FactorPath(text)
                    if paths.contains(path) {
                        reader.report("\(here).path", "'\(text)' is given twice", at: pathNode.mark)
                        continue
                    }
                    paths.append(path)
                    priorNodes.append(prior)
                } catch {
                    reader.report("\(here).path", error.message, at: pathNode.mark)
                }
            }
        }

        // Summary targets.
        var targets: [SummaryTarget] = []
        if let node = reader.optional(top, "targets"), let items = reader.sequence(node, "targets", of: "targets {measure, min, max}") {
            for (index, item) in items.enumerated() {
                let here = "targets[\(index)]"
                guard let fields = reader.mapping(item, here, allowed: targetKeys) else { continue }
                let name = reader.require(fields, "measure", here, at: item.mark, what: "a run measure: \(RunMeasure.names.joined(separator: ", "))")
                    .flatMap { reader.string($0, "\(here).measure") }
                let low = reader.optional(fields, "min").flatMap { reader.number($0, "\(here).min") } ?? -Double.infinity
                let high = reader.optional(fields, "max").flatMap { reader.number($0, "\(here).max") } ?? Double.infinity
                if fields["min"] == nil && fields["max"] == nil { reader.report(here, "needs min, max or both", at: item.mark) }
                guard let name else { continue }
                guard let measure = RunMeasure.named(name) else {
                    reader.report("\(here).measure", "unknown measure '\(name)'; valid: \(RunMeasure.names.joined(separator: ", "))", at: fields["measure"]?.value.mark)
                    continue
                }
                if !(low <= high) { reader.report(here, "needs min <= max, got min \(low), max \(high)", at: item.mark); continue }
                targets.append(SummaryTarget(measure: measure, min: low, max: high))
            }
        }

        // Distance.
        var scale = DistanceScale.targetGap
        var penalty = 1.0
        if let node = reader.optional(top, "distance"), let fields = reader.mapping(node, "distance", allowed: distanceKeys) {
            if let value = reader.optional(fields, "scale").flatMap({ reader.choice($0, "distance.scale", DistanceScale.self) }) { scale = value }
            if let valueNode = reader.optional(fields, "target_penalty"), let value = reader.number(valueNode, "distance.target_penalty") {
                if value < 0 { reader.report("distance.target_penalty", "must be >= 0, got \(value)", at: valueNode.mark) } else { penalty = value }
            }
        }

        // The sampler.
        var abc = ABCSettings()
        var replications = 1
        var predictive = CalibrationSpec.defaultPredictive
        if let node = reader.optional(top, "abc"), let fields = reader.mapping(node, "abc", allowed: abcKeys) {
            func integer(_ key: String, atLeast minimum: Int) -> Int? {
                reader.optional(fields, key).flatMap { reader.integer($0, "abc.\(key)", atLeast: minimum) }
            }
            func number(_ key: String, in range: ClosedRange<Double>, text: String) -> Double? {
                guard let valueNode = reader.optional(fields, key), let value = reader.number(valueNode, "abc.\(key)") else { return nil }
                guard range.contains(value) else { reader.report("abc.\(key)", "must be \(text), got \(value)", at: valueNode.mark); return nil }
                return value
            }
            if let value = integer("population", atLeast: 2) { abc.populationSize = value }
            if let value = integer("generations", atLeast: 1) { abc.maxGenerations = value }
            if let value = integer("replications", atLeast: 1) { replications = value }
            if let value = integer("predictive", atLeast: 0) { predictive = value }
            if let value = integer("max_attempts", atLeast: 1) { abc.maxAttemptsPerParticle = value }
            if let value = integer("seed", atLeast: 0) { abc.seed = UInt64(value) }
            if let value = number("final_tolerance", in: 0...Double.greatestFiniteMagnitude, text: ">= 0") { abc.finalTolerance = value }
            if let value = number("min_acceptance", in: 0...0.999_999, text: "in [0, 1)") { abc.minAcceptanceRate = value }
            if let valueNode = reader.optional(fields, "quantile"), let value = reader.number(valueNode, "abc.quantile") {
                if value > 0 && value < 1 { abc.quantile = value } else { reader.report("abc.quantile", "must be in (0, 1), got \(value)", at: valueNode.mark) }
            }
        }
        if !reader.diagnostics.isEmpty { throw CalibrationError(diagnostics: reader.diagnostics) }
        guard let scenarioPath, let observationsPath else { throw CalibrationError(diagnostics: reader.diagnostics) }

        // The base scenario with the parameters' fields given their priors.
        guard let scenarioText = try? String(contentsOfFile: scenarioPath, encoding: .utf8) else {
            throw CalibrationError(file: scenarioPath, message: "no such file (the calibration's scenario)")
        }
        let base: Node
        do {
            base = try ScenarioLoader.compose(yaml: scenarioText, file: scenarioPath)
            _ = try ScenarioLoader.load(root: base, file: scenarioPath)
        } catch {
            throw CalibrationError(diagnostics: error.diagnostics)
        }
        // Prior nodes keep their marks in the calibration file, so problems with them point there.
        let binding = try ParameterBinding.bind(root: base, paths: paths, nodes: priorNodes, file: path)
        let observations = try Observations.load(path: observationsPath)
        try check(observations, against: binding.template.scenario, file: observationsPath)
        var spec = CalibrationSpec(
            file: path, scenarioPath: scenarioPath, paths: paths, priors: binding.distributions, binding: binding,
            observations: observations, observationsPath: observationsPath, targets: targets, scale: scale,
            targetPenalty: penalty, replications: replications, abc: abc)
        spec.name = name
        spec.predictive = predictive
        return spec
    }

    /// Every observed cell names an indicator of the scenario and a quarter 0...T.
    static func check(_ observations: Observations, against scenario: Scenario, file: String) throws(CalibrationError) {
        let ids = scenario.indicators.map(\.id)
        var problems: [Diagnostic] = []
        for cell in observations.cells {
            if !ids.contains(cell.indicator) {
                problems.append(Diagnostic(file: file, line: nil, column: nil, path: "",
                                           message: "indicator '\(cell.indicator)' is not in the scenario (indicators: \(ids.joined(separator: ", ")))"))
            } else if cell.quarter > scenario.quarters {
                problems.append(Diagnostic(file: file, line: nil, column: nil, path: "",
                                           message: "\(cell.indicator) at quarter \(cell.quarter): the scenario runs quarters 0 to \(scenario.quarters)"))
            }
        }
        if !problems.isEmpty { throw CalibrationError(diagnostics: problems) }
    }
}
