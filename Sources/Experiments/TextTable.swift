import Foundation
import Results

/// An aligned text table for the terminal (numbers right-aligned, text left-aligned) and the
/// same rows as CSV.
public struct TextTable: Sendable {
    public var header: [String]
    public var rows: [[String]] = []
    /// Columns whose cells are right-aligned.
    public var numeric: Set<Int>

    public init(header: [String], numeric: Set<Int>) {
        self.header = header
        self.numeric = numeric
    }

    public mutating func add(_ row: [String]) { rows.append(row) }

    public func text() -> String {
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return numeric.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    public func csv() -> String { ([header] + rows).map(CSVExport.line).joined() }
}

/// Numbers for tables: 4 significant digits, no exponent in the usual ranges.
public func shortNumber(_ value: Double?) -> String {
    guard let value else { return "" }
    let magnitude = abs(value)
    if magnitude != 0 && (magnitude >= 1e7 || magnitude < 1e-4) { return String(format: "%.3g", value) }
    if magnitude >= 1000 { return String(format: "%.0f", value) }
    return String(format: "%.4g", value)
}

/// Full precision for CSV.
public func fullNumber(_ value: Double?) -> String { value.map { $0.description } ?? "" }

/// Writes `text` to `path` atomically (temporary file, then rename).
public func writeAtomically(_ text: String, to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url, options: .atomic)
}
