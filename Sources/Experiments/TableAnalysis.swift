import Foundation

/// An analysis of a sweep store that is written into the sweep folder as one CSV table and
/// printed as that table, as JSON, or as text (`lspsim summarize`, `lspsim compare`).
public protocol TableAnalysis {
    /// The rows at full precision (the CSV file's and `--format csv`'s content).
    func table() -> TextTable
    /// The results as JSON (`--format json`).
    func json() throws -> String
    /// The results for the terminal (`--format table`).
    func text() -> String
    /// Writes the CSV table into `folder`; returns its URL.
    func write(into folder: URL) throws -> URL
}

extension SweepSummary: TableAnalysis {}
extension FactorComparison: TableAnalysis {}
