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

        // Series, where kept.
        let counts = try store.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM series WHERE indicators_json IS NOT NULL") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM series WHERE quarters_json IS NOT NULL") ?? 0)
        }
        if counts.0 > 0 {
            files.append(try query(store, "SELECT point_id AS point, replication, quarter, indicator, value FROM indicator_series ORDER BY point_id, replication, quarter",
                                   to: directory.appendingPathComponent("indicator_series.csv")))
        }
        if counts.1 > 0 {
            files.append(try query(store, "SELECT point_id AS point, replication, quarter, aligned_share, mean_trust, pooled, overhead, engaged FROM quarter_series ORDER BY point_id, replication, quarter",
                                   to: directory.appendingPathComponent("quarter_series.csv")))
        }
        return files
    }

    static func query(_ store: ResultStore, _ sql: String, to url: URL) throws -> URL {
        let text = try store.read { db in
            let statement = try db.makeStatement(sql: sql)
            var text = line(statement.columnNames)
            let cursor = try Row.fetchCursor(statement)
            while let row = try cursor.next() {
                text += line(row.databaseValues.map { value in
                    switch value.storage {
                    case .null: return ""
                    case let .int64(i): return String(i)
                    case let .double(d): return d.description
                    case let .string(s): return s
                    case .blob: return ""
                    }
                })
            }
            return text
        }
        return try save(text, url)
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
