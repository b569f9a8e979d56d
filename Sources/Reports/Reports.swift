import Calibration
import Foundation
import Results

/// The self-contained HTML report of a run folder, a sweep store or a calibration folder (inline SVG
/// and CSS only).
///
/// `Reports.write(directory:)` looks at what the folder holds: the four files of `lspsim run`
/// (a run report: what was run, LAA targets met, each target's trajectory against its baseline and
/// target trajectory, aligned spend and trust), or `results.sqlite` of `lspsim sweep` (a sweep
/// report: targets met per option, paired comparisons with 95% intervals, trajectories per option
/// where series were kept, and sensitivity and discovery results where their files exist), or
/// `calibration.json` of `lspsim calibrate` (a calibration report: the posterior, the generations'
/// diagnostics and the posterior predictive check). The
/// file has no scripts and refers to nothing outside itself, so it opens offline and prints on A4.
public enum Reports {
    /// What a folder holds.
    public enum Kind: Sendable, Equatable {
        case run
        case sweep
        case calibration
    }

    /// Options of a report.
    public struct Options: Sendable {
        /// For a sweep with series: the factor whose options the indicator trajectories compare
        /// (nil: the first factor with 2 to 6 values).
        public var trajectoryFactor: String?
        public init(trajectoryFactor: String? = nil) { self.trajectoryFactor = trajectoryFactor }
    }

    /// The file name of the report.
    public static let fileName = "report.html"

    /// Whether `directory` is a run folder or a sweep folder; throws a `ReportError` saying what is
    /// missing otherwise.
    public static func kind(of directory: URL) throws(ReportError) -> Kind {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .noSuchFolder(directory.path)
        }
        if manager.fileExists(atPath: directory.appendingPathComponent("results.sqlite").path) { return .sweep }
        if manager.fileExists(atPath: directory.appendingPathComponent(CalibrationResultFile.fileName).path) { return .calibration }
        if manager.fileExists(atPath: directory.appendingPathComponent("calibration.sqlite").path) {
            throw .unreadable(file: directory.appendingPathComponent(CalibrationResultFile.fileName).path,
                              reason: "is missing: this calibration folder was written before lspsim wrote calibration.json; run `lspsim calibrate FILE --out \(directory.path) --resume` once to write it (and the predictive check)")
        }
        let present = RunFolder.files.filter { manager.fileExists(atPath: directory.appendingPathComponent($0).path) }
        if present.count == RunFolder.files.count { return .run }
        let found = ((try? manager.contentsOfDirectory(atPath: directory.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        if present.contains("manifest.json") || present.contains("summary.csv") {
            throw .incompleteRunFolder(directory.path, missing: RunFolder.files.filter { !present.contains($0) })
        }
        throw .notAResultsFolder(directory.path, found: found)
    }

    /// The report's HTML for the run or sweep in `directory`.
    public static func html(directory: URL, options: Options = Options()) throws(ReportError) -> String {
        switch try kind(of: directory) {
        case .run:
            return RunReport.html(try RunFolder(directory: directory))
        case .sweep:
            return SweepReport.html(try SweepFolder(directory: directory, options: options))
        case .calibration:
            return CalibrationReport.html(try CalibrationFolder(directory: directory))
        }
    }

    /// Writes `directory/report.html` (atomically) and returns its URL.
    @discardableResult
    public static func write(directory: URL, options: Options = Options()) throws(ReportError) -> URL {
        let html = try html(directory: directory, options: options)
        let url = directory.appendingPathComponent(fileName)
        do {
            try Data(html.utf8).write(to: url, options: .atomic)
        } catch {
            throw .cannotWrite(file: url.path, reason: (error as NSError).localizedDescription)
        }
        return url
    }
}
