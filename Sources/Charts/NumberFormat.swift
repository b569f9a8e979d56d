import Foundation

/// How axis tick labels and value labels are written.
public enum TickFormat: Sendable, Equatable {
    /// Plain numbers: `0.05`, `1,600`, `−2`.
    case number
    /// Fractions written as percentages: 0.25 as `25%`.
    case percent
    /// Values multiplied by 100 without a `%` sign (for percentage points: 0.013 as `1.3`).
    case hundredths

    /// The label of tick `value` on an axis whose ticks are `step` apart: as many decimals as the
    /// step needs and no more (step 0.02: `0.04`; step 5: `15`), thousands grouped with commas,
    /// negative numbers with a true minus sign (U+2212), and never `−0`.
    public func label(_ value: Double, step: Double) -> String {
        switch self {
        case .number: NumberFormat.fixed(value, decimals: NumberFormat.decimals(forStep: step))
        case .percent: NumberFormat.fixed(value * 100, decimals: NumberFormat.decimals(forStep: step * 100)) + "%"
        case .hundredths: NumberFormat.fixed(value * 100, decimals: NumberFormat.decimals(forStep: step * 100))
        }
    }

    /// A value label with `digits` significant digits (at least the units digit), in this format.
    public func value(_ value: Double, digits: Int = 3) -> String {
        switch self {
        case .number: NumberFormat.significant(value, digits: digits)
        case .percent: NumberFormat.significant(value * 100, digits: digits) + "%"
        case .hundredths: NumberFormat.significant(value * 100, digits: digits)
        }
    }
}

/// Number formatting for labels (not for coordinates: see `Markup.number`).
public enum NumberFormat {
    /// The minus sign used in labels (U+2212), wider and clearer than a hyphen.
    public static let minus = "\u{2212}"

    /// The decimals that multiples of a 1-2-5 `step` need: 0 for steps of 1 or more,
    /// 1 for 0.1 to 0.5, 2 for 0.01 to 0.05, and so on.
    public static func decimals(forStep step: Double) -> Int {
        guard step.isFinite, step > 0, step < 1 else { return 0 }
        return max(0, Int((-Foundation.log10(step) - 1e-9).rounded(.up)))
    }

    /// `value` with exactly `decimals` decimals, thousands grouped (`12,345.6`), a true minus sign
    /// and no negative zero; non-finite values as `–`.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "\u{2013}" }
        var text = String(format: "%.\(max(0, decimals))f", abs(value))
        let negative = value < 0 && text.contains(where: { $0 != "0" && $0 != "." })
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var whole = String(parts[0])
        if whole.count >= 4 {
            var grouped = ""
            for (index, character) in whole.reversed().enumerated() {
                if index > 0 && index % 3 == 0 { grouped.append(",") }
                grouped.append(character)
            }
            whole = String(grouped.reversed())
        }
        text = parts.count > 1 ? whole + "." + parts[1] : whole
        return (negative ? minus : "") + text
    }

    /// `value` with `digits` significant digits (but never rounding away integer digits:
    /// 1234.5 with 3 digits is `1,235`), trailing zeros after the point dropped.
    public static func significant(_ value: Double, digits: Int = 3) -> String {
        guard value.isFinite else { return "\u{2013}" }
        guard value != 0 else { return "0" }
        let magnitude = Int(Foundation.log10(abs(value)).rounded(.down))
        let decimals = max(0, digits - 1 - magnitude)
        var text = fixed(value, decimals: min(decimals, 12))
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == minus + "0" ? "0" : text
    }
}
