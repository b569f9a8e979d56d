import Foundation

/// A linear map from a data domain to a range of drawing coordinates.
///
/// `map(domain.lower) == range.lower` and `map(domain.upper) == range.upper` exactly (the map is
/// written as an interpolation `(1 - t) r0 + t r1`). A range may be reversed (SVG's y axis grows
/// downwards: `range: (plotBottom, plotTop)`). A degenerate domain (both ends equal) maps every
/// value to the middle of the range.
public struct LinearScale: Sendable, Equatable {
    /// The data interval, `lower` first (lower may exceed upper for a reversed axis).
    public var domain: (lower: Double, upper: Double)
    /// The drawing interval that `domain` maps to.
    public var range: (lower: Double, upper: Double)

    /// A scale from `domain` to `range`.
    public init(domain: (Double, Double), range: (Double, Double)) {
        self.domain = (domain.0, domain.1)
        self.range = (range.0, range.1)
    }

    public static func == (a: LinearScale, b: LinearScale) -> Bool {
        a.domain == b.domain && a.range == b.range
    }

    /// The drawing coordinate of a data value (values outside the domain extrapolate linearly).
    public func map(_ value: Double) -> Double {
        let span = domain.upper - domain.lower
        guard span != 0 else { return (range.lower + range.upper) / 2 }
        let t = (value - domain.lower) / span
        if t == 0 { return range.lower }
        if t == 1 { return range.upper }
        return (1 - t) * range.lower + t * range.upper
    }

    /// The data value at a drawing coordinate (the inverse of `map`).
    public func invert(_ coordinate: Double) -> Double {
        let span = range.upper - range.lower
        guard span != 0 else { return (domain.lower + domain.upper) / 2 }
        let t = (coordinate - range.lower) / span
        if t == 0 { return domain.lower }
        if t == 1 { return domain.upper }
        return (1 - t) * domain.lower + t * domain.upper
    }

    /// The same scale with its domain widened to whole multiples of the tick step that about
    /// `count` ticks would use, so that the axis starts and ends on a labelled tick
    /// (e.g. [0.13, 0.87] becomes [0, 1] with steps of 0.2; [3, 97] becomes [0, 100]). A degenerate domain is
    /// first widened around its value (by 1 for 0, else by 10% of its magnitude).
    public func nice(count: Int = 5) -> LinearScale {
        var (lo, hi) = Ticks.widened(domain.lower, domain.upper)
        let reversed = lo > hi
        if reversed { swap(&lo, &hi) }
        // Until the step is stable: widening can change the step (as d3 does).
        var previous = 0.0
        for _ in 0..<10 {
            let step = Ticks.step(lo, hi, count: count)
            if step == previous { break }
            lo = Ticks.floor(lo, step: step)
            hi = Ticks.ceil(hi, step: step)
            previous = step
        }
        return LinearScale(domain: reversed ? (hi, lo) : (lo, hi), range: (range.lower, range.upper))
    }

    /// About `count` tick values inside the domain on a 1-2-5 step (see `Ticks.values`).
    public func ticks(count: Int = 5) -> [Double] {
        Ticks.values(domain.lower, domain.upper, count: count)
    }

    /// The tick step `ticks(count:)` uses.
    public func tickStep(count: Int = 5) -> Double {
        Ticks.step(min(domain.lower, domain.upper), max(domain.lower, domain.upper), count: count)
    }
}

/// Tick steps and values on the 1-2-5 pattern (1, 2, 5, 10, 20, 50, ... times a power of ten).
public enum Ticks {
    /// The 1-2-5 step giving about `count` (>= 1) intervals over [lo, hi]: the raw step
    /// (hi - lo) / count is rounded to 1, 2, 5 or 10 times its power of ten on a logarithmic scale.
    /// A degenerate interval is widened first (see `LinearScale.nice`).
    public static func step(_ lo: Double, _ hi: Double, count: Int = 5) -> Double {
        var (lo, hi) = widened(lo, hi)
        if lo > hi { swap(&lo, &hi) }
        let raw = (hi - lo) / Double(max(1, count))
        let power = powerOfTen(atOrBelow: raw)
        let error = raw / power
        let factor: Double = error >= 50.0.squareRoot() ? 10 : error >= 10.0.squareRoot() ? 5 : error >= 2.0.squareRoot() ? 2 : 1
        return factor * power
    }

    /// The multiples of `step(lo, hi, count:)` within [lo, hi] (inclusive, up to rounding of
    /// 1e-9 of a step), in increasing order. Each value is computed as an integer times the step
    /// (or divided by its inverse for steps below 1), so that 0.1 + 0.2 drift never shows
    /// (`0.3`, not `0.30000000000000004`).
    public static func values(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        guard lo.isFinite, hi.isFinite else { return [] }
        var (a, b) = widened(lo, hi)
        if a > b { swap(&a, &b) }
        let step = self.step(a, b, count: count)
        let first = (a / step - 1e-9).rounded(.up), last = (b / step + 1e-9).rounded(.down)
        guard first <= last else { return [] }
        return stride(from: first, through: last, by: 1).map { multiple($0, step: step) }
    }

    /// `index` times `step`, exact for steps that are powers of ten times 1, 2 or 5.
    static func multiple(_ index: Double, step: Double) -> Double {
        let value: Double
        if step < 1 {
            let inverse = (1 / step).rounded()
            value = index / inverse
        } else {
            value = index * step
        }
        return value == 0 ? 0 : value
    }

    /// The largest multiple of `step` at or below `value`.
    static func floor(_ value: Double, step: Double) -> Double {
        multiple((value / step + 1e-9).rounded(.down), step: step)
    }

    /// The smallest multiple of `step` at or above `value`.
    static func ceil(_ value: Double, step: Double) -> Double {
        multiple((value / step - 1e-9).rounded(.up), step: step)
    }

    /// A degenerate interval widened around its value: by 1 for 0, else by 10% of its magnitude.
    static func widened(_ lo: Double, _ hi: Double) -> (Double, Double) {
        guard lo == hi else { return (lo, hi) }
        let pad = lo == 0 ? 1 : abs(lo) * 0.1
        return (lo - pad, hi + pad)
    }

    static func pow10(_ exponent: Int) -> Double {
        // Powers of ten up to 10^22 are exact doubles; a negative power is one correctly rounded division.
        var result = 1.0
        for _ in 0..<abs(exponent) { result *= 10 }
        return exponent >= 0 ? result : 1 / result
    }

    /// The power of ten at or below `value` (> 0), corrected for rounding in `log10`.
    static func powerOfTen(atOrBelow value: Double) -> Double {
        var exponent = Int(Foundation.log10(value).rounded(.down))
        if pow10(exponent) > value { exponent -= 1 }
        if pow10(exponent + 1) <= value { exponent += 1 }
        return pow10(exponent)
    }
}
