import Stochastic

/// Morris's elementary effects (Morris 1991) with mu* (Campolongo et al. 2007), on a `MorrisDesign`.
///
/// The elementary effect of input i in trajectory t is EE = (f(x + s delta e_i) - f(x)) / (s delta),
/// over the step of that trajectory that moves input i (s = +1 up, -1 down), with delta in
/// unit-interval coordinates. An effect is therefore the change in the output per full range of
/// the input: for f = sum c_i x_i with x_i in [min_i, max_i], every effect of input i is
/// c_i (max_i - min_i). Over the r effects of each input:
///
/// - mu, their mean (signed: effects of opposite signs cancel);
/// - mu*, the mean of their absolute values: the input's overall importance, used for ranking;
/// - sigma, their standard deviation (r - 1 denominator): non-linearity or interactions
///   (0 for an additive linear input).
///
/// **Intervals** for mu*: the input's effects are resampled with replacement (`Bootstrap`, 1000
/// resamples by default) and the 95% interval is the 2.5% and 97.5% percentiles of mu*.
///
/// **Missing outputs** (nil) remove only the effects of the steps they end; an input left with
/// fewer than 2 effects is an error. **Constant output** is not an error: every effect is 0, and so
/// are mu, mu* and sigma.
public struct MorrisEffects: Sendable {
    /// One input's summary.
    public struct Input: Sendable, Equatable {
        /// The mean elementary effect.
        public let mu: Double
        /// The mean absolute elementary effect, with its bootstrap interval.
        public let muStar: IntervalEstimate
        /// The standard deviation of the elementary effects.
        public let sigma: Double
        /// The number of effects used (r, less those with a missing output).
        public let effects: Int
    }

    /// Each input's mu, mu* and sigma, in input order.
    public let inputs: [Input]
    /// Every elementary effect used, per input, in trajectory order.
    public let elementaryEffects: [[Double]]
    /// The trajectories of the design, and the effects left out for a missing output.
    public let trajectories: Int, effectsExcluded: Int
    /// The bootstrap's resamples and confidence level.
    public let resamples: Int, confidence: Double

    /// Estimates the effects from outputs in `design`'s evaluation order.
    ///
    /// - Parameters:
    ///   - outputs: r (D + 1) outputs in the design's order; nil where missing.
    ///   - design: the design the outputs were computed on.
    ///   - resamples: bootstrap resamples for mu*'s intervals (>= 100; default 1000).
    ///   - confidence: coverage of the intervals (default 0.95).
    ///   - generator: the GSL generator the bootstrap draws from.
    /// - Throws: `SensitivityError` if the outputs do not fit the design, one is not finite, or an
    ///   input has fewer than 2 effects left.
    public static func estimate(outputs: [Double?], design: MorrisDesign, resamples: Int = Bootstrap.defaultResamples,
                                confidence: Double = 0.95, generator: Generator) throws(SensitivityError) -> MorrisEffects {
        guard outputs.count == design.pointCount else {
            throw .outputCount(expected: design.pointCount, got: outputs.count,
                               design: "a Morris design of \(design.trajectories) trajectories in \(design.dimensions) inputs")
        }
        for (position, value) in outputs.enumerated() {
            if let value, !value.isFinite { throw .nonFiniteOutput(position: position, value: value) }
        }
        let d = design.dimensions
        var effects = [[Double]](repeating: [], count: d)
        var excluded = 0
        for t in 0..<design.trajectories {
            for k in 1...d {
                let input = design.movedInput[t][k - 1]
                guard let before = outputs[design.position(trajectory: t, point: k - 1)],
                      let after = outputs[design.position(trajectory: t, point: k)] else {
                    excluded += 1
                    continue
                }
                let step = design.movedUp[t][k - 1] ? design.delta : -design.delta
                effects[input].append((after - before) / step)
            }
        }
        var inputs: [Input] = []
        for i in 0..<d {
            let values = effects[i]
            guard values.count >= 2 else {
                throw .tooFewUsable(used: values.count, of: design.trajectories, needed: 2, what: "trajectories of input \(i + 1)")
            }
            let absolute = values.map(abs)
            let summary = SampleSummary(values)
            let muStar = absolute.reduce(0, +) / Double(absolute.count)
            let (intervals, _) = try Bootstrap.percentileIntervals(
                count: values.count, resamples: resamples, confidence: confidence, generator: generator
            ) { rows in
                var sum = 0.0
                for j in rows { sum += absolute[j] }
                return [sum / Double(rows.count)]
            }
            inputs.append(Input(mu: values.reduce(0, +) / Double(values.count),
                                muStar: IntervalEstimate(estimate: muStar, lower: intervals?[0].lower ?? .nan,
                                                         upper: intervals?[0].upper ?? .nan),
                                sigma: summary.standardDeviation, effects: values.count))
        }
        return MorrisEffects(inputs: inputs, elementaryEffects: effects, trajectories: design.trajectories,
                             effectsExcluded: excluded, resamples: resamples, confidence: confidence)
    }
}
