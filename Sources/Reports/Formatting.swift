import Charts

/// Number formatting shared by the report's text and tables.
enum Format {
    /// Three significant digits (`0.0131`, `5.36`, `1,607`).
    static func number(_ value: Double, digits: Int = 3) -> String { NumberFormat.significant(value, digits: digits) }

    /// A share as a percentage with `decimals` decimals (`41%`, `41.2%`).
    static func percent(_ share: Double, decimals: Int = 0) -> String { NumberFormat.fixed(share * 100, decimals: decimals) + "%" }

    /// A difference of shares in percentage points, signed (`+6.4`, `−1.7`).
    static func points(_ difference: Double, digits: Int = 2) -> String {
        let text = NumberFormat.significant(difference * 100, digits: digits)
        return difference > 0 && text != "0" ? "+" + text : text
    }

    /// `a–b` (an en dash between).
    static func range(_ a: String, _ b: String) -> String { "\(a)\u{2013}\(b)" }

    /// `1 replication`, `2 replications`.
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// `[a, b]`.
    static func interval(_ a: String, _ b: String) -> String { "[\(a), \(b)]" }

    /// The unit after a value, with a space unless it is a percent sign.
    static func withUnit(_ value: String, _ unit: String?) -> String {
        guard let unit, !unit.isEmpty else { return value }
        return unit.hasPrefix("%") ? value + unit : value + " " + unit
    }
}

extension String {
    /// The string with its first letter in upper case.
    var capitalisedFirst: String { prefix(1).uppercased() + dropFirst() }
}

extension String {
    /// The string, or nil if it is empty (a field "not recorded").
    var nonEmpty: String? { isEmpty ? nil : self }
}
