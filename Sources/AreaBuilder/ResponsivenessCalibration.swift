import Foundation

/// Sets an area's responsiveness so that, under the scenario's governance, the area meets about
/// the share of its LAA targets that the user expects.
///
/// Method: every indicator's responsiveness is its base value times one common scale factor s. The
/// base value (`AreaScenario.baseResponsiveness`) would let the effort its movers are expected to
/// spend cover its stretch, so at s = 1 every target is about equally reachable, and the user's
/// single belief sets one number. The mean share of targets met, m(s), estimated by running the real simulator (the same
/// seed and replications at every step: common random numbers make m(s) a fixed, non-decreasing
/// step function of s up to noise in the few partners' draws), is found at the bracket ends
/// s = 1e-4 and 1e4; then s is bisected on a log scale until |m(s) - aim| <= tolerance or the bracket
/// is narrower than 0.1% (at most 60 steps). Where the aim lies outside [m(1e-4), m(1e4)] the nearer
/// end is used and the outcome says so.
public struct ResponsivenessCalibration: Sendable {
    /// One evaluated scale factor.
    public struct Step: Sendable, Equatable {
        public let scale: Double
        public let share: Double
    }

    /// The chosen scale factor, its mean share met and every step taken.
    public struct Outcome: Sendable {
        public let scale: Double
        public let share: Double
        public let steps: [Step]
        /// Whether |share - aim| <= tolerance.
        public let converged: Bool
    }

    public var trial: ScenarioTrial
    public var tolerance: Double
    public var lowest: Double = 1e-4
    public var highest: Double = 1e4

    public init(trial: ScenarioTrial = ScenarioTrial(), tolerance: Double = 0.05) {
        self.trial = trial
        self.tolerance = tolerance
    }

    /// Calibrates `area` to its spec's expected share; `progress` hears each step.
    public func calibrate(_ area: AreaScenario, progress: (Step) -> Void = { _ in }) throws(TrialFailure) -> Outcome {
        let aim = area.spec.expectedShare
        var steps: [Step] = []
        func evaluate(_ scale: Double) throws(TrialFailure) -> Double {
            let share = try trial.meanTargetShare(area.yaml(scale: scale), file: "\(area.spec.name ?? "area").yaml")
            let step = Step(scale: scale, share: share)
            steps.append(step)
            progress(step)
            return share
        }
        var low = lowest, high = highest
        let lowShare = try evaluate(low)
        if lowShare >= aim - tolerance {
            return Outcome(scale: low, share: lowShare, steps: steps, converged: abs(lowShare - aim) <= tolerance)
        }
        let highShare = try evaluate(high)
        if highShare <= aim + tolerance {
            return Outcome(scale: high, share: highShare, steps: steps, converged: abs(highShare - aim) <= tolerance)
        }
        var best = Step(scale: high, share: highShare)
        for _ in 0..<60 {
            let middle = (low * high).squareRoot()
            let share = try evaluate(middle)
            if abs(share - aim) < abs(best.share - aim) { best = Step(scale: middle, share: share) }
            if abs(share - aim) <= tolerance { return Outcome(scale: middle, share: share, steps: steps, converged: true) }
            if share < aim { low = middle } else { high = middle }
            if high / low < 1.001 { break }
        }
        return Outcome(scale: best.scale, share: best.share, steps: steps, converged: abs(best.share - aim) <= tolerance)
    }
}
