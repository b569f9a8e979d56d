/// Why a report could not be written.
public enum ReportError: Error, CustomStringConvertible, Sendable {
    /// The folder does not exist.
    case noSuchFolder(String)
    /// The folder holds neither a run (summary.csv, indicators.csv, quarters.csv, manifest.json)
    /// nor a sweep store (results.sqlite); `found` lists what it does hold.
    case notAResultsFolder(String, found: [String])
    /// A run folder lacks some of its files.
    case incompleteRunFolder(String, missing: [String])
    /// An input file is not what lspsim writes (a CSV without its columns, a manifest that is not JSON, ...).
    case unreadable(file: String, reason: String)
    /// The sweep store could not be read.
    case store(String)
    /// report.html could not be written.
    case cannotWrite(file: String, reason: String)

    public var description: String {
        switch self {
        case let .noSuchFolder(path):
            return "\(path): no such folder; give the output folder of `lspsim run`, `lspsim sweep` or `lspsim calibrate`"
        case let .notAResultsFolder(path, found):
            let listing = found.isEmpty ? "it is empty" : "it holds " + found.prefix(8).joined(separator: ", ") + (found.count > 8 ? ", ..." : "")
            return "\(path) is neither a run folder (summary.csv, indicators.csv, quarters.csv and manifest.json from `lspsim run`), a sweep folder (results.sqlite from `lspsim sweep`) nor a calibration folder (calibration.json from `lspsim calibrate`); \(listing)"
        case let .incompleteRunFolder(path, missing):
            return "\(path) looks like a run folder but lacks \(missing.joined(separator: ", ")); run `lspsim run SCENARIO --out \(path)` again"
        case let .unreadable(file, reason):
            return "\(file): \(reason)"
        case let .store(message):
            return message
        case let .cannotWrite(file, reason):
            return "cannot write \(file): \(reason)"
        }
    }
}
