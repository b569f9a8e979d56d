import Calibration
import Experiments
import Foundation
import PartnershipModel
import RunOutput
import ScenarioFile
import Stochastic

/// The files of an `lspsim run` folder, loaded for a report.
struct RunFolder {
    static let files = ["summary.csv", "indicators.csv", "quarters.csv", "manifest.json"]

    let directory: URL
    let manifest: Manifest
    /// summary.csv by column.
    let summary: [String: [Double]]
    /// Indicator ids in file order.
    let indicatorIDs: [String]
    /// Per indicator: per quarter 0...T, the values over replications.
    let indicatorValues: [String: [[Double]]]
    /// T, the last quarter.
    let quarters: Int
    /// Per quarters.csv field: per quarter 1...T, the values over replications.
    let quarterValues: [String: [[Double]]]
    /// The scenario file's indicators, when it could be read.
    let scenario: ScenarioInfo?
    /// Why the scenario could not be used, or a caveat about it (it changed since the run).
    let scenarioNote: String?
    /// For a run that drew from a calibration's posterior (`lspsim run --posterior DIR`) whose folder
    /// holds observations.csv: the observed values against this run's bands.
    let predictive: PredictiveCheck?
    /// Why a posterior run has no predictive check, or a caveat about it.
    let predictiveNote: String?

    init(directory: URL) throws(ReportError) {
        self.directory = directory
        let manifestURL = directory.appendingPathComponent("manifest.json")
        do {
            let data = try Data(contentsOf: manifestURL)
            manifest = try JSONDecoder().decode(Manifest.self, from: data)
        } catch let error as DecodingError {
            throw .unreadable(file: manifestURL.path, reason: "is not an lspsim manifest (\(JSONFile.describe(error)))")
        } catch {
            throw .unreadable(file: manifestURL.path, reason: "cannot be read")
        }

        let summaryTable = try CSVTable(url: directory.appendingPathComponent("summary.csv"),
                                        required: ["replication"] + [RunMeasure.targetsTotal, .targetsMet, .targetsMetShare].map(\.name))
        var summary: [String: [Double]] = [:]
        for column in summaryTable.header where column != "seed" {
            summary[column] = try? summaryTable.numbers(column)
        }
        self.summary = summary
        guard !(summary[RunMeasure.targetsMet.name] ?? []).isEmpty else {
            throw .unreadable(file: summaryTable.file, reason: "holds no replications")
        }

        // indicators.csv: replication, quarter, indicator, value.
        let indicatorTable = try CSVTable(url: directory.appendingPathComponent("indicators.csv"),
                                          required: ["replication", "quarter", "indicator", "value"])
        let q = indicatorTable.column("quarter"), k = indicatorTable.column("indicator"), v = indicatorTable.column("value")
        var ids: [String] = [], values: [String: [[Double]]] = [:], lastQuarter = 0
        for (line, row) in indicatorTable.rows.enumerated() {
            guard row.count > max(q, k, v), let quarter = Int(row[q]), quarter >= 0, let value = Double(row[v]) else {
                throw .unreadable(file: indicatorTable.file, reason: "line \(line + 2) is not replication,quarter,indicator,value")
            }
            let id = String(row[k])
            if values[id] == nil {
                ids.append(id)
                values[id] = []
            }
            while values[id]!.count <= quarter { values[id]!.append([]) }
            values[id]![quarter].append(value)
            lastQuarter = max(lastQuarter, quarter)
        }
        guard !ids.isEmpty else { throw .unreadable(file: indicatorTable.file, reason: "holds no rows") }
        indicatorIDs = ids
        indicatorValues = values
        quarters = lastQuarter

        // quarters.csv: replication, quarter, aligned_share, mean_trust, pooled, overhead, engaged.
        let quarterTable = try CSVTable(url: directory.appendingPathComponent("quarters.csv"),
                                        required: ["replication", "quarter", "aligned_share", "mean_trust"])
        let qq = quarterTable.column("quarter")
        var records: [String: [[Double]]] = [:]
        let fields = quarterTable.header.filter { $0 != "replication" && $0 != "quarter" }
        for field in fields { records[field] = Array(repeating: [], count: lastQuarter) }
        for (line, row) in quarterTable.rows.enumerated() {
            guard row.count == quarterTable.header.count, let quarter = Int(row[qq]), quarter >= 1, quarter <= lastQuarter else {
                throw .unreadable(file: quarterTable.file, reason: "line \(line + 2): expected quarters 1 to \(lastQuarter) with every column")
            }
            for field in fields {
                if let value = Double(row[quarterTable.column(field)]) { records[field]![quarter - 1].append(value) }
            }
        }
        quarterValues = records

        // The scenario: as named in the manifest (relative to where the run was started, which is
        // usually the project folder), else relative to the run folder or two folders up.
        let named = manifest.scenarioFile
        var candidates = [named]
        if !named.hasPrefix("/") {
            candidates.append(directory.appendingPathComponent(named).path)
            candidates.append(directory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(named).path)
            candidates.append(directory.deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("scenarios").appendingPathComponent(URL(fileURLWithPath: named).lastPathComponent).path)
        }
        let (scenario, note) = ScenarioInfo.load(candidates: candidates, named: named)
        self.scenario = scenario
        var caveat = note
        if let scenario, case let recorded = manifest.scenarioSHA256, !recorded.isEmpty,
           let data = FileManager.default.contents(atPath: scenario.path), FileHash.sha256(data) != recorded {
            caveat = "the scenario file \(scenario.path) has changed since the run (its SHA-256 differs from the manifest's); baselines and targets are shown as the file now gives them"
        }
        scenarioNote = caveat
        (predictive, predictiveNote) = Self.predictiveCheck(manifest: manifest, directory: directory, ids: ids, values: values)
    }

    /// The posterior predictive check of a run that drew from a posterior: its bands (every
    /// replication drew one particle) against DIR/observations.csv of the calibration.
    static func predictiveCheck(manifest: Manifest, directory: URL, ids: [String], values: [String: [[Double]]]) -> (PredictiveCheck?, String?) {
        guard let posterior = manifest.posterior else { return (nil, nil) }
        let named = posterior.directory
        var candidates = [named]
        if !named.hasPrefix("/") {
            candidates.append(directory.appendingPathComponent(named).path)
            candidates.append(directory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(named).path)
        }
        let observationsName = Calibrator.observationsName
        guard let folder = candidates.first(where: { FileManager.default.fileExists(atPath: URL(fileURLWithPath: $0).appendingPathComponent(observationsName).path) }) else {
            return (nil, "this run drew its calibrated fields from the posterior in \(named), but no \(observationsName) was found there (looked in \(candidates.joined(separator: ", "))), so there is no posterior predictive check; `lspsim calibrate` writes it")
        }
        let observations: Observations
        do {
            observations = try Observations.load(path: URL(fileURLWithPath: folder).appendingPathComponent(observationsName).path)
        } catch {
            return (nil, "the observations of the posterior's calibration cannot be read (\(error.description.split(separator: "\n").first ?? "")), so there is no posterior predictive check")
        }
        let check = PredictiveCheck(ids: ids, values: ids.map { values[$0] ?? [] }, observations: observations)
        var note: String?
        if let data = FileManager.default.contents(atPath: URL(fileURLWithPath: folder).appendingPathComponent(Posterior.fileName).path),
           FileHash.sha256(data) != posterior.sha256 {
            note = "the posterior in \(folder) has changed since the run (its posterior.csv's SHA-256 differs from the manifest's); the run's bands are compared with the observations found there now"
        }
        return (check, note)
    }

    /// The indicators to show: the scenario's LAA targets (in file order) when it was read, else every indicator in the CSV.
    var shownIndicators: [(id: String, info: IndicatorInfo?)] {
        if let scenario {
            let laa = scenario.indicators.filter(\.laaTarget).filter { indicatorValues[$0.id] != nil }
            if !laa.isEmpty { return laa.map { ($0.id, $0) } }
        }
        return indicatorIDs.map { ($0, nil) }
    }
}

/// Median and 5-95% quantiles per step of a series.
struct Band {
    var median: [Double] = [], lower: [Double] = [], upper: [Double] = []

    /// The band over `values` (one array of replications per step; empty steps give NaN).
    init(_ values: [[Double]]) {
        for step in values {
            guard !step.isEmpty else {
                median.append(.nan); lower.append(.nan); upper.append(.nan)
                continue
            }
            let q = Quantiles.quantiles(step, [0.05, 0.5, 0.95])
            lower.append(q[0]); median.append(q[1]); upper.append(q[2])
        }
    }
}
