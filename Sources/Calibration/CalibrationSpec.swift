import ABC
import Experiments
import Foundation
import PartnershipModel
import ScenarioFile
import Stochastic

/// A calibration file's problem(s), each with file, line, column and field path where known.
public struct CalibrationError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    public init(file: String, message: String, line: Int? = nil, column: Int? = nil, path: String = "") {
        diagnostics = [Diagnostic(file: file, line: line, column: column, path: path, message: message)]
    }

    public var description: String { ScenarioFileError(diagnostics: diagnostics).description }
}

/// How each indicator's residuals are scaled in the distance.
public enum DistanceScale: String, Sendable, CaseIterable {
    /// |target - baseline| of the indicator (the observed sd where that is 0).
    case targetGap = "target_gap"
    /// The standard deviation of the indicator's observed values (|target - baseline| where fewer
    /// than two values or no spread).
    case observedSD = "observed_sd"
}

/// A summary measure's required range, e.g. `{measure: targets_met_share, min: 0.4, max: 0.6}`.
public struct SummaryTarget: Sendable, Equatable {
    public let measure: RunMeasure
    public let min: Double, max: Double

    public init(measure: RunMeasure, min: Double, max: Double) {
        self.measure = measure
        self.min = min
        self.max = max
    }
}

/// A calibration, as read from its file (docs/CALIBRATION.md).
public struct CalibrationSpec: Sendable {
    /// The calibration file as named, and its base scenario's path (resolved against it).
    public let file: String
    /// The file's `name:`, if it gives one.
    public var name: String? = nil
    public let scenarioPath: String
    /// The parameters' field paths (as sweep factors address fields) and priors.
    public let paths: [FactorPath]
    public let priors: [Distribution]
    /// The scenario with the parameters' fields uncertain, and their positions among its uncertain fields.
    public let binding: ParameterBinding
    /// The observed cells, and the summary targets.
    public var observations: Observations
    public let observationsPath: String
    public let targets: [SummaryTarget]
    /// Distance settings.
    public let scale: DistanceScale
    public let targetPenalty: Double
    /// Replications per particle: the distance compares their mean trajectory with the data.
    public var replications: Int
    /// The sampler's settings (jobs are set by the command).
    public var abc: ABCSettings
    /// Replications of the posterior predictive sample written after the last generation
    /// (`abc.predictive`; 0: none).
    public var predictive = CalibrationSpec.defaultPredictive
    public static let defaultPredictive = 200

    /// The ABC parameters (named by their paths).
    public var parameters: [ABCParameter] {
        zip(paths, priors).map { ABCParameter(name: $0.description, prior: $1) }
    }
}
