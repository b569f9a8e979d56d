import Foundation
import ScenarioFile

/// Observed indicator values: `indicator,quarter,value` rows (any subset of cells; an empty value
/// or `NA` is a missing value and is skipped).
public struct Observations: Sendable, Equatable {
    /// One observed cell.
    public struct Cell: Sendable, Equatable {
        public let indicator: String
        public let quarter: Int
        public let value: Double

        public init(indicator: String, quarter: Int, value: Double) {
            self.indicator = indicator
            self.quarter = quarter
            self.value = value
        }
    }

    /// The observed cells in file order.
    public let cells: [Cell]

    public init(cells: [Cell]) { self.cells = cells }

    /// Parses the CSV `text`; `file` names it in messages. Every problem is reported with its line.
    public static func parse(_ text: String, file: String) throws(CalibrationError) -> Observations {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let header = lines.first else { throw CalibrationError(file: file, message: "is empty; expected a header indicator,quarter,value") }
        let columns = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard columns == ["indicator", "quarter", "value"] else {
            throw CalibrationError(file: file, message: "the header must be indicator,quarter,value, got \(header)", line: 1)
        }
        var cells: [Cell] = []
        var problems: [Diagnostic] = []
        var seen = Set<String>()
        for (index, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let number = index + 1
            func problem(_ message: String) { problems.append(Diagnostic(file: file, line: number, column: nil, path: "", message: message)) }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 3 else { problem("expected 3 fields (indicator,quarter,value), got \(fields.count)"); continue }
            guard !fields[0].isEmpty else { problem("the indicator id is empty"); continue }
            guard let quarter = Int(fields[1]), quarter >= 0 else { problem("quarter must be an integer >= 0, got '\(fields[1])'"); continue }
            if fields[2].isEmpty || fields[2].uppercased() == "NA" { continue }
            guard let value = Double(fields[2]), value.isFinite else { problem("value must be a finite number, NA or empty, got '\(fields[2])'"); continue }
            guard seen.insert("\(fields[0])@\(quarter)").inserted else { problem("\(fields[0]) at quarter \(quarter) is given twice"); continue }
            cells.append(Cell(indicator: fields[0], quarter: quarter, value: value))
        }
        if !problems.isEmpty { throw CalibrationError(diagnostics: problems) }
        if cells.isEmpty { throw CalibrationError(file: file, message: "has no observed values") }
        return Observations(cells: cells)
    }

    /// Reads and parses the CSV file at `path`.
    public static func load(path: String) throws(CalibrationError) -> Observations {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CalibrationError(file: path, message: FileManager.default.fileExists(atPath: path) ? "cannot be read as UTF-8 text" : "no such file")
        }
        return try parse(text, file: path)
    }

    /// The CSV text of these cells (header, then one row per cell; numbers round-trip).
    public var csv: String {
        "indicator,quarter,value\n" + cells.map { "\($0.indicator),\($0.quarter),\($0.value)\n" }.joined()
    }
}
