/// Why a sensitivity design or estimate could not be made.
///
/// Each case's `description` says what is wrong and what would be valid.
public enum SensitivityError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The number of uncertain inputs is outside what the method allows.
    case dimensions(got: Int, allowed: ClosedRange<Int>, method: String)
    /// Too few base samples (Saltelli) or trajectories (Morris).
    case tooFewSamples(got: Int, needed: Int, what: String)
    /// Morris grid levels p must be even and at least 2.
    case levels(got: Int)
    /// Too few bootstrap resamples, or a confidence level outside (0, 1).
    case bootstrap(resamples: Int, confidence: Double)
    /// The outputs do not match the design's number of points.
    case outputCount(expected: Int, got: Int, design: String)
    /// An output is infinite or NaN (a missing output is `nil`, not NaN).
    case nonFiniteOutput(position: Int, value: Double)
    /// Every usable output has the same value: the variance is 0 and Sobol indices are undefined.
    case constantOutput(value: Double)
    /// After excluding missing outputs too little is left to estimate from.
    case tooFewUsable(used: Int, of: Int, needed: Int, what: String)
    /// GSL could not produce the quasi-random sequence.
    case sequence(String)

    public var description: String {
        switch self {
        case let .dimensions(got, allowed, method):
            return "\(method) takes \(allowed.lowerBound) to \(allowed.upperBound) uncertain inputs, got \(got)"
        case let .tooFewSamples(got, needed, what):
            return "needs at least \(needed) \(what), got \(got)"
        case let .levels(got):
            return "Morris grid levels must be an even number >= 2 (so that the step p / (2(p - 1)) is a whole number of grid intervals), got \(got)"
        case let .bootstrap(resamples, confidence):
            return "the bootstrap needs at least 100 resamples and a confidence level in (0, 1), got \(resamples) resamples at \(confidence)"
        case let .outputCount(expected, got, design):
            return "\(design) has \(expected) points, but \(got) outputs were given"
        case let .nonFiniteOutput(position, value):
            return "output \(position) (0-based, in design order) is \(value); outputs must be finite, or nil where missing"
        case let .constantOutput(value):
            return "the output is constant (\(value) at every usable point): its variance is 0, so Sobol indices are undefined (no input has any effect on it)"
        case let .tooFewUsable(used, of, needed, what):
            return "only \(used) of \(of) \(what) have all their outputs; at least \(needed) are needed"
        case let .sequence(message):
            return "cannot draw the Sobol sequence: \(message)"
        }
    }
}
