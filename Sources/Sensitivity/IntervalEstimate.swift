/// A point estimate with a confidence interval.
///
/// In this module the interval is a bootstrap percentile interval (see `Bootstrap`); it is not
/// guaranteed to contain the estimate (percentile intervals of a biased statistic may not).
public struct IntervalEstimate: Sendable, Equatable, CustomStringConvertible {
    /// The estimate from the full sample.
    public let estimate: Double
    /// Lower and upper ends of the interval.
    public let lower: Double, upper: Double

    public init(estimate: Double, lower: Double, upper: Double) {
        self.estimate = estimate
        self.lower = lower
        self.upper = upper
    }

    /// Whether `value` lies in [lower, upper].
    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }

    public var description: String { "\(estimate) [\(lower), \(upper)]" }
}
