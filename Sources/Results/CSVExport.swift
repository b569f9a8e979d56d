import Foundation
import GRDB
import Stochastic

/// Tidy CSV export of a results store: one row per observation, for R, pandas or a spreadsheet.
public enum CSVExport {
    /// Writes runs.csv, points.csv and any stored series into `directory`; returns the files written.
    public static func write(store: ResultStore, to directory: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let data = try store.loadData()
        var files: [URL] = []
        let seed = try store.sweep()?.seed ?? 0

        // runs.csv
        var runs = line(["point", "replication", "seed", "status", "error"] + data.factors + ResultStore.measureColumns)
        for run in data.runs {
            // A missing measure (NULL in the store) is an empty field, as for a failed run.
            let measures = run.measures.map { values in values.enumerated().map { index, value in
                StoredRun.isMissing(value) ? "" : ResultStore.measures[index].isCount ? String(Int(value)) : value.description } }
                ?? Array(repeating: "", count: ResultStore.measureColumns.count)
            runs += line(["\(run.point)", "\(run.replication)", "\(seed)", run.measures == nil ? "failed" : "ok", run.error ?? ""]
                         + data.pointValues[run.point - 1] + measures)
        }
        files.append(try save(runs, directory.appendingPathComponent("runs.csv")))

        // points.csv: per point and measure; a measure missing from every run of a point has no row.
        var byPoint: [[[Double]]] = Array(repeating: Array(repeating: [], count: ResultStore.measureColumns.count), count: data.pointValues.count)
        var failed = [Int](repeating: 0, count: data.pointValues.count)
        for run in data.runs {
            guard let measures = run.measures else { failed[run.point - 1] += 1; continue }
            for (index, value) in measures.enumerated() where !StoredRun.isMissing(value) { byPoint[run.point - 1][index].append(value) }
        }
        var points = line(["point"] + data.factors + ["measure", "n", "failed", "mean", "sd", "ci95_low", "ci95_high", "q05", "q50", "q95"])
        for (p, measures) in byPoint.enumerated() {
            for (index, values) in measures.enumerated() where !values.isEmpty {
                let e = Estimate(values)
                points += line(["\(p + 1)"] + data.pointValues[p] + [ResultStore.measureColumns[index], "\(e.count)", "\(failed[p])",
                               e.mean.description, e.standardDeviation.description, e.lower?.description ?? "",
                               e.upper?.description ?? "", e.q05.description, e.q50.description, e.q95.description])
            }
        }
        files.append(try save(points, directory.appendingPathComponent("points.csv")))

        // Series, where kept: unpacked from their BLOBs into tidy rows.
        var indicatorRows = line(["point", "replication", "quarter", "indicator", "value"])
        var quarterRows = line(["point", "replication", "quarter"] + SeriesData.quarterFields)
        var kept = (indicators: false, quarters: false)
        try store.forEachSeries { run in
            let prefix = ["\(run.point)", "\(run.replication)"]
            let t = run.quarters
            if let values = run.indicators {
                kept.indicators = true
                for q in 0...t {
                    for (c, id) in run.indicatorIDs.enumerated() {
                        indicatorRows += line(prefix + ["\(q)", id, values[c * (t + 1) + q].description])
                    }
                }
            }
            if let values = run.quarterRecords {
                kept.quarters = true
                for q in 1...t {
                    // aligned_share, mean_trust, pooled, overhead, engaged (a count), moved (empty where not recorded)
                    let fields = SeriesData.quarterFields.indices.map { values[$0 * t + q - 1] }
                    quarterRows += line(prefix + ["\(q)"] + fields[0..<4].map(\.description) + [String(Int(fields[4]))]
                                        + [fields[5].isNaN ? "" : fields[5].description])
                }
            }
        }
        if kept.indicators { files.append(try save(indicatorRows, directory.appendingPathComponent("indicator_series.csv"))) }
        if kept.quarters { files.append(try save(quarterRows, directory.appendingPathComponent("quarter_series.csv"))) }
        return files
    }

    /// One CSV line, quoting fields that hold a comma, quote or line break.
    public static func line(_ fields: [String]) -> String {
        fields.map { field in
            field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }.joined(separator: ",") + "\n"
    }

    static func save(_ text: String, _ url: URL) throws -> URL {
        try Data(text.utf8).write(to: url, options: .atomic)
        return url
    }
}
