import Foundation

/// `lspsim new`'s work: plan the area, calibrate its responsiveness, and write the scenario text.
public enum NewArea {
    /// The written scenario and how its responsiveness was set.
    public struct Result: Sendable {
        public let yaml: String
        public let area: AreaScenario
        public let calibration: ResponsivenessCalibration.Outcome
    }

    /// Calibrates a planned area and writes its scenario; `progress` hears each calibration step.
    public static func build(_ area: AreaScenario, calibration: ResponsivenessCalibration,
                             progress: (ResponsivenessCalibration.Step) -> Void = { _ in }) throws(TrialFailure) -> Result {
        let spec = area.spec
        let outcome = try calibration.calibrate(area, progress: progress)
        let trial = calibration.trial
        var note = [
            "",
            "Calibration (see docs/OWN-AREA.md): one common scale factor of all responsiveness values was",
            String(format: "bisected (log scale) until the mean share of LAA targets met, over %d replications with", trial.replications),
            String(format: "seed %llu, was within %.2f of your expected %.2f: scale %@ gives %.3f after %d runs.",
                   trial.seed, calibration.tolerance, spec.expectedShare, AreaScenario.number(outcome.scale),
                   outcome.share, outcome.steps.count),
        ]
        if !outcome.converged {
            note.append(String(format: "NOT REACHED: the nearest share the model gives is %.3f; your targets are too easy or too hard", outcome.share))
            note.append("for that expectation under this governance whatever the responsiveness.")
        }
        return Result(yaml: area.yaml(scale: outcome.scale, note: note), area: area, calibration: outcome)
    }
}
