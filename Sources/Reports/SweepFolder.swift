import Experiments
import Foundation
import Results

/// A sweep folder (`results.sqlite` and any analysis files beside it), loaded for a report.
struct SweepFolder {
    let directory: URL
    let record: SweepRecord
    let data: SweepData
    /// Each point's label and scenario file, by point id - 1.
    let pointLabels: [String]
    let pointScenarios: [String]
    let options: Reports.Options
    /// Kept series, where the sweep kept them.
    let series: SweepSeries?
    /// Sensitivity and discovery results found beside the store, and notes on files that could not be read.
    let sensitivity: [SensitivityFile]
    let discovery: DiscoveryBoxFile?
    let fileNotes: [String]

    init(directory: URL, options: Reports.Options) throws(ReportError) {
        self.directory = directory
        self.options = options
        let path = directory.appendingPathComponent("results.sqlite").path
        do {
            let store = try ResultStore(path: path)
            guard try store.hasSweep(), let record = try store.sweep() else {
                throw ReportError.store("\(path) is not an lspsim results store (it has no sweep table); run `lspsim sweep` into \(directory.path)")
            }
            self.record = record
            data = try store.loadData()
            // (Single-column queries: this module reads the store through `ResultStore.read` only.)
            let (ids, scenarioNames, labelTexts) = try store.read { db in
                (try Int.fetchAll(db, sql: "SELECT point_id FROM points ORDER BY point_id"),
                 try String.fetchAll(db, sql: "SELECT scenario FROM points ORDER BY point_id"),
                 try String.fetchAll(db, sql: "SELECT label FROM points ORDER BY point_id"))
            }
            var labels = [String](repeating: "", count: data.pointValues.count), scenarios = labels
            for (n, id) in ids.enumerated() where id >= 1 && id <= labels.count {
                labels[id - 1] = labelTexts[n]
                scenarios[id - 1] = scenarioNames[n]
            }
            pointLabels = labels
            pointScenarios = scenarios
            series = try SweepSeries.load(store: store, data: data)
        } catch let error as ReportError {
            throw error
        } catch {
            throw .store("cannot read the results store \(path): \(error)")
        }
        var notes: [String] = []
        var sensitivity: [SensitivityFile] = []
        for method in ["sobol", "morris"] {
            let url = directory.appendingPathComponent("sensitivity-\(method).json")
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            do {
                sensitivity.append(try SensitivityFile(url: url))
            } catch {
                notes.append("the file \(url.lastPathComponent) could not be read (\(error.description)); it is left out")
            }
        }
        self.sensitivity = sensitivity
        let boxURL = directory.appendingPathComponent("discover-box.json")
        var discovery: DiscoveryBoxFile?
        if FileManager.default.fileExists(atPath: boxURL.path) {
            do {
                discovery = try DiscoveryBoxFile(url: boxURL)
            } catch {
                notes.append("the file \(boxURL.lastPathComponent) could not be read (\(error.description)); it is left out")
            }
        }
        self.discovery = discovery
        fileNotes = notes
    }

    /// Runs that succeeded, and that failed.
    var runCounts: (ok: Int, failed: Int) {
        let ok = data.runs.filter { $0.measures != nil }.count
        return (ok, data.runs.count - ok)
    }

    /// Factors other than a single-valued `scenario` factor, with their levels.
    var variedFactors: [(index: Int, name: String, levels: [String])] {
        data.factors.indices.compactMap { f in
            let levels = data.levels(of: f)
            return levels.count >= 2 ? (f, data.factors[f], levels) : nil
        }
    }

    /// The scenario files of the sweep, resolved: relative to the sweep file's folder (as the sweep
    /// resolved them), else to the current folder, else beside the store's grandparent's `scenarios/`.
    func scenarioCandidates(_ scenario: String) -> [String] {
        if scenario.hasPrefix("/") { return [scenario] }
        // The sweep file names its scenarios (the store keeps only their file names).
        var named: [String] = []
        if FileManager.default.fileExists(atPath: record.file), let plan = try? SweepLoader.load(path: record.file) {
            named = plan.spec.scenarios.filter { URL(fileURLWithPath: $0).lastPathComponent == scenario }
        }
        let sweepFolder = URL(fileURLWithPath: record.file).deletingLastPathComponent()
        let projectGuess = directory.deletingLastPathComponent().deletingLastPathComponent()
        return named + [sweepFolder.appendingPathComponent(scenario).path, scenario,
                projectGuess.appendingPathComponent(sweepFolder.relativePath).appendingPathComponent(scenario).path,
                projectGuess.appendingPathComponent("scenarios").appendingPathComponent(scenario).path]
    }
}

/// Runs' kept series, unpacked from the store's BLOBs (docs/SWEEPS.md, "The results store").
struct SweepSeries {
    /// Per point id - 1: T and the indicator ids of its layout.
    let layouts: [Int: (quarters: Int, indicators: [String])]
    /// Per run (point, replication): indicator values K x (T + 1), and quarter records 6 x T
    /// (`SeriesData.quarterFields`).
    let indicators: [RunKey: [Double]]
    let quarterRecords: [RunKey: [Double]]

    struct RunKey: Hashable { let point: Int, replication: Int }

    static func load(store: ResultStore, data: SweepData) throws -> SweepSeries? {
        var layouts: [Int: (quarters: Int, indicators: [String])] = [:]
        var indicators: [RunKey: [Double]] = [:], quarters: [RunKey: [Double]] = [:]
        try store.forEachSeries { run in
            let key = RunKey(point: run.point, replication: run.replication)
            layouts[run.point] = (run.quarters, run.indicatorIDs)
            if let values = run.indicators { indicators[key] = values }
            if let values = run.quarterRecords { quarters[key] = values }
        }
        guard !indicators.isEmpty || !quarters.isEmpty else { return nil }
        return SweepSeries(layouts: layouts, indicators: indicators, quarterRecords: quarters)
    }

    /// Per level of `factor`: per quarter 1...T, the values of quarter field `field` over the runs.
    func quarterValues(_ data: SweepData, factor: Int, levels: [String], field: Int) -> [[[Double]]] {
        var result = [[[Double]]](repeating: [], count: levels.count)
        let position = Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, $0) })
        for (key, values) in quarterRecords {
            guard let layout = layouts[key.point], let l = position[data.pointValues[key.point - 1][factor]] else { continue }
            let t = layout.quarters
            if result[l].count < t { result[l] += Array(repeating: [], count: t - result[l].count) }
            for q in 0..<t { result[l][q].append(values[field * t + q]) }
        }
        return result
    }

    /// Per level of `factor`: per quarter 0...T, the values of indicator `id` over the runs.
    func indicatorValues(_ data: SweepData, factor: Int, levels: [String], id: String) -> [[[Double]]] {
        var result = [[[Double]]](repeating: [], count: levels.count)
        let position = Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, $0) })
        for (key, values) in indicators {
            guard let layout = layouts[key.point], let k = layout.indicators.firstIndex(of: id),
                  let l = position[data.pointValues[key.point - 1][factor]] else { continue }
            let t = layout.quarters
            if result[l].count < t + 1 { result[l] += Array(repeating: [], count: t + 1 - result[l].count) }
            for q in 0...t { result[l][q].append(values[k * (t + 1) + q]) }
        }
        return result
    }

    /// Indicator ids in the order of the first layout that has them.
    var indicatorIDs: [String] {
        var seen = Set<String>(), ids: [String] = []
        for point in layouts.keys.sorted() { for id in layouts[point]!.indicators where seen.insert(id).inserted { ids.append(id) } }
        return ids
    }

    var maximumQuarter: Int { layouts.values.map(\.quarters).max() ?? 0 }
}
