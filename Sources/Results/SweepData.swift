import Foundation
import GRDB

/// A sweep's stored runs with their design points, loaded for analysis.
public struct SweepData: Sendable {
    /// Factor names in id order (`scenario` first).
    public let factors: [String]
    /// Each point's value label of each factor (same order as `factors`), by point id - 1.
    public let pointValues: [[String]]
    /// Each point's numeric value of each factor where it is a number.
    public let pointNumbers: [[Double?]]
    public let runs: [StoredRun]

    public init(factors: [String], pointValues: [[String]], pointNumbers: [[Double?]], runs: [StoredRun]) {
        self.factors = factors
        self.pointValues = pointValues
        self.pointNumbers = pointNumbers
        self.runs = runs
    }

    /// The value labels of `factor` in the order of first appearance.
    public func levels(of factor: Int) -> [String] {
        var seen = Set<String>()
        return pointValues.map { $0[factor] }.filter { seen.insert($0).inserted }
    }

    /// The index of a factor by name; `nil` if the sweep has none of that name.
    public func factorIndex(_ name: String) -> Int? { factors.firstIndex(of: name) }
}

/// One stored run.
public struct StoredRun: Sendable {
    public let point: Int, replication: Int
    /// The run's measures in `ResultStore.measureColumns` order; nil for a failed run. A measure
    /// the store does not hold for this run (NULL, e.g. `money_moved_share` of a run stored by
    /// lspsim 0.2.0) is NaN: missing, never 0. `StoredRun.isMissing` tells.
    public let measures: [Double]?
    public let error: String?

    public init(point: Int, replication: Int, measures: [Double]?, error: String?) {
        self.point = point
        self.replication = replication
        self.measures = measures
        self.error = error
    }

    /// Whether a measure's value is missing from the store (see `measures`).
    public static func isMissing(_ value: Double) -> Bool { value.isNaN }
}

extension ResultStore {
    /// Loads the design points and every run.
    public func loadData() throws -> SweepData {
        try read { db in
            let factorRows = try Row.fetchAll(db, sql: "SELECT factor_id, name FROM factors ORDER BY factor_id")
            let factorIDs: [Int] = factorRows.map { $0["factor_id"] }
            let factors: [String] = factorRows.map { $0["name"] }
            let pointCount = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM points") ?? 0
            var values = [[String]](repeating: [String](repeating: "", count: factors.count), count: pointCount)
            var numbers = [[Double?]](repeating: [Double?](repeating: nil, count: factors.count), count: pointCount)
            let column = Dictionary(uniqueKeysWithValues: factorIDs.enumerated().map { ($1, $0) })
            let cursor = try Row.fetchCursor(db, sql: "SELECT point_id, factor_id, value, value_number FROM point_values")
            while let row = try cursor.next() {
                let point: Int = row["point_id"], factor: Int = row["factor_id"]
                guard let c = column[factor], point >= 1, point <= pointCount else { continue }
                values[point - 1][c] = row["value"]
                numbers[point - 1][c] = row["value_number"]
            }
            var runs: [StoredRun] = []
            let columns = ResultStore.measureColumns.joined(separator: ", ")
            let runCursor = try Row.fetchCursor(db, sql: "SELECT point_id, replication, status, error, \(columns) FROM runs ORDER BY point_id, replication")
            while let row = try runCursor.next() {
                let ok = (row["status"] as String) == "ok"
                let measures: [Double]? = ok ? (0..<ResultStore.measureColumns.count).map { (row[4 + $0] as Double?) ?? .nan } : nil
                runs.append(StoredRun(point: row["point_id"], replication: row["replication"], measures: measures, error: row["error"]))
            }
            return SweepData(factors: factors, pointValues: values, pointNumbers: numbers, runs: runs)
        }
    }
}

extension ResultStore {
    /// Each design point's label (`governance.pooled_fraction=0.05, ...`), by point id.
    public func pointLabels() throws -> [Int: String] {
        try read { db in
            var labels: [Int: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT point_id, label FROM points") { labels[row["point_id"]] = row["label"] }
            return labels
        }
    }
}

/// One run's kept series, unpacked from the store's BLOBs and checked against its point's layout.
public struct StoredSeries: Sendable {
    public let point: Int, replication: Int
    /// T and the indicator ids of the point's layout.
    public let quarters: Int
    public let indicatorIDs: [String]
    /// K x (T + 1) indicator values (indicator by indicator), where kept.
    public let indicators: [Double]?
    /// 6 x T quarter-record values (`SeriesData.quarterFields`, each for quarters 1...T), where kept;
    /// `moved` is NaN (missing) in series stored before migration 4, which did not record it.
    public let quarterRecords: [Double]?
}

extension ResultStore {
    /// Calls `body` with every run's kept series, in point and replication order. Runs without a
    /// layout, and BLOBs whose length does not fit their layout, are skipped. Quarter records
    /// stored with 5 fields (before migration 4) get a 6th, `moved`, of NaN: not recorded.
    public func forEachSeries(_ body: (StoredSeries) throws -> Void) throws {
        try read { db in
            guard try db.tableExists("series"), try db.tableExists("series_layout") else { return }
            var layouts: [Int: (quarters: Int, ids: [String], fields: Int)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT point_id, quarters, indicators, quarter_fields FROM series_layout") {
                layouts[row["point_id"]] = (row["quarters"], (row["indicators"] as String).components(separatedBy: ","), row["quarter_fields"])
            }
            let fields = SeriesData.quarterFields.count
            let cursor = try Row.fetchCursor(db, sql: "SELECT point_id, replication, indicators, quarters FROM series ORDER BY point_id, replication")
            while let row = try cursor.next() {
                let point: Int = row["point_id"]
                guard let layout = layouts[point] else { continue }
                let indicators = (row["indicators"] as Data?).map(SeriesData.unpack)
                    .flatMap { $0.count == layout.ids.count * (layout.quarters + 1) ? $0 : nil }
                let quarters = (row["quarters"] as Data?).map(SeriesData.unpack)
                    .flatMap { $0.count == layout.fields * layout.quarters && layout.fields <= fields ? $0 : nil }
                    .map { $0 + [Double](repeating: .nan, count: (fields - layout.fields) * layout.quarters) }
                guard indicators != nil || quarters != nil else { continue }
                try body(StoredSeries(point: point, replication: row["replication"], quarters: layout.quarters,
                                      indicatorIDs: layout.ids, indicators: indicators, quarterRecords: quarters))
            }
        }
    }
}
