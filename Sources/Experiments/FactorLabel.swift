/// Readable names of sweep factors for tables, reports and sentences: the one place that turns a
/// factor path into words.
public enum FactorLabel {
    /// "governance.pooled_fraction" -> "pooled fraction"; "partners[id=police].openness" ->
    /// "police openness"; "scenario" stays "scenario".
    public static func readable(_ factor: String) -> String {
        let parts = factor.split(separator: ".").map(String.init)
        var last = (parts.last ?? factor).replacingOccurrences(of: "_", with: " ")
        if let open = factor.range(of: "[id="), let close = factor[open.upperBound...].firstIndex(of: "]") {
            last = String(factor[open.upperBound..<close]) + " " + last
        }
        return last
    }

    /// `readable` of each name, but the full path where two names would read the same.
    public static func readableNames(_ names: [String]) -> [String] {
        let short = names.map(readable)
        return short.enumerated().map { index, name in short.filter { $0 == name }.count > 1 ? names[index] : name }
    }
}
