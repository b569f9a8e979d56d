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
            let measures = run.measures.map { values in values.enumerated().map { index, value in
                index < 2 ? String(Int(value)) : value.description } } ?? Array(repeating: "", count: ResultStore.measureColumns.count)
            runs += line(["\(run.point)", "\(run.replication)", "\(seed)", run.measures == nil ? "failed" : "ok", run.error ?? ""]
                         + data.pointValues[run.point - 1] + measures)
        }
        files.append(try save(runs, directory.appendingPathComponent("runs.csv")))

        // points.csv: per point and measure.
        var byPoint: [[[Double]]] = Array(repeating: Array(repeating: [], count: ResultStore.measureColumns.count), count: data.pointValues.count)
        var failed = [Int](repeating: 0, count: data.pointValues.count)
        for run in data.runs {
            guard let measures = run.measures else { failed[run.point - 1] += 1; continue }
            for (index, value) in measures.enumerated() { byPoint[run.point - 1][index].append(value) }
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
        let kept = try store.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM series WHERE indicators IS NOT NULL") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM series WHERE quarters IS NOT NULL") ?? 0)
        }
        if kept.0 > 0 || kept.1 > 0 {
            var indicatorRows = line(["point", "replication", "quarter", "indicator", "value"])
            var quarterRows = line(["point", "replication", "quarter"] + SeriesData.quarterFields)
            try store.read { db in
                var layouts: [Int: (quarters: Int, ids: [String])] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT point_id, quarters, indicators FROM series_layout") {
                    layouts[row["point_id"]] = (row["quarters"], (row["indicators"] as String).components(separatedBy: ","))
                }
                let cursor = try Row.fetchCursor(db, sql: "SELECT point_id, replication, indicators, quarters FROM series ORDER BY point_id, replication")
                while let row = try cursor.next() {
                    let point: Int = row["point_id"], replication: Int = row["replication"]
                    guard let layout = layouts[point] else { continue }
                    let prefix = ["\(point)", "\(replication)"]
                    if let blob = row["indicators"] as Data? {
                        let values = SeriesData.unpack(blob)
                        for t in 0...layout.quarters {
                            for (c, id) in layout.ids.enumerated() {
                                indicatorRows += line(prefix + ["\(t)", id, values[c * (layout.quarters + 1) + t].description])
                            }
                        }
                    }
                    if let blob = row["quarters"] as Data? {
                        let values = SeriesData.unpack(blob)
                        for t in 1...layout.quarters {
                            let fields = (0..<5).map { values[$0 * layout.quarters + t - 1] }
                            quarterRows += line(prefix + ["\(t)"] + fields.dropLast().map(\.description) + [String(Int(fields[4]))])
                        }
                    }
                }
            }
            if kept.0 > 0 { files.append(try save(indicatorRows, directory.appendingPathComponent("indicator_series.csv"))) }
            if kept.1 > 0 { files.append(try save(quarterRows, directory.appendingPathComponent("quarter_series.csv"))) }
        }
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
