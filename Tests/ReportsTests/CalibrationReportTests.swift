import Calibration
import Experiments
import Foundation
import Reports
import RunOutput
import Stochastic
import Testing
import TestSupport

/// A small calibration of the shipped example into a new folder: (folder with the base scenario
/// and observations, the calibration's output folder).
func makeCalibrationFolder() throws -> (folder: URL, out: URL) {
    let folder = try temporaryFolder("lspsim-report-calibration")
    for name in ["calibration-example-base.yaml", "calibration-example-observations.csv"] {
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("scenarios/\(name)"), to: folder.appendingPathComponent(name))
    }
    let text = try String(contentsOf: packageRoot.appendingPathComponent("scenarios/calibration-example.yaml"), encoding: .utf8)
        .replacingOccurrences(of: "population: 300", with: "population: 40")
        .replacingOccurrences(of: "generations: 8", with: "generations: 3\n  predictive: 80")
    let file = folder.appendingPathComponent("calibration.yaml").path
    try text.write(toFile: file, atomically: true, encoding: .utf8)
    let out = folder.appendingPathComponent("out")
    _ = try Calibrator(spec: try CalibrationLoader.load(path: file), directory: out).run(jobs: 2, resume: false) { _ in }
    return (folder, out)
}

/// The coverage of `rows` counted here: observed cells inside [p05, p95].
func countCoverage(_ csv: String) -> (covered: Int, observed: Int) {
    var covered = 0, observed = 0
    for line in csv.split(separator: "\n").dropFirst() {
        let f = line.split(separator: ",", omittingEmptySubsequences: false)
        guard let value = Double(f[2]) else { continue }
        observed += 1
        if Double(f[3])! <= value && value <= Double(f[5])! { covered += 1 }
    }
    return (covered, observed)
}

@Suite("Reports of calibration folders and of runs drawn from a posterior", .serialized)
struct CalibrationReportTests {
    @Test("a calibration report: posterior with identification flags, generations, and the predictive check with its coverage from predictive.csv")
    func calibrationReport() throws {
        let (folder, out) = try makeCalibrationFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Reports.kind(of: out) == .calibration)

        // Move 15 observed values above their bands, so that the coverage is known and far below 90%.
        let url = out.appendingPathComponent("predictive.csv")
        var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        var moved = 0
        for i in lines.indices.dropFirst() where moved < 15 {
            var f = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard !f[2].isEmpty else { continue }
            f[2] = "\(Double(f[5])! + 1)"
            lines[i] = f.joined(separator: ",")
            moved += 1
        }
        let csv = lines.joined(separator: "\n") + "\n"
        try csv.write(to: url, atomically: true, encoding: .utf8)
        let (covered, observed) = countCoverage(csv)
        #expect(observed == 33 && covered <= 18)

        let html = try String(contentsOf: try Reports.write(directory: out), encoding: .utf8)
        let tree = try checkSelfContained(html)
        #expect(tree.all("h1").first?.allText == "Millbrook calibration example")
        let sections = tree.all("section").compactMap { $0.attributes["id"] }
        #expect(sections == ["posterior", "generations", "predictive-check"])
        let check = tree.all("section").first { $0.attributes["id"] == "predictive-check" }!
        let percent = Int((Double(covered) / Double(observed) * 100).rounded())
        #expect(check.allText.contains("\(covered) of \(observed) observed values (\(percent)%) lie inside their 90% predictive band"))
        #expect(check.withClass("notice").first?.allText.contains("far below the band's 90%") == true)
        // One chart per observed indicator, its observed points drawn over the band.
        let charts = check.withClass("line-chart")
        #expect(charts.count == 3)
        let observedPerIndicator = ["NI117": 12, "NI152": 10, "NI20": 11]
        for chart in charts {
            let id = String(chart.all("title")[0].allText.split(separator: ":")[0])
            #expect(chart.withClass("mark").count == observedPerIndicator[id], "\(id)")
            #expect(chart.withClass("band").count == 1)
        }

        // The posterior table: one row per field, flagged by its sd ratio as calibration.json gives it.
        let result = try CalibrationResultFile.load(directory: out)
        let posterior = tree.all("section").first { $0.attributes["id"] == "posterior" }!
        let rows = posterior.all("table")[0].all("tbody")[0].all("tr").map { $0.all("td").map(\.allText) }
        #expect(rows.map { $0[0] } == result.parameters.map(\.path))
        for (row, parameter) in zip(rows, result.parameters) {
            #expect(row.last == (parameter.sd / parameter.priorSD > 0.8 ? "not identified" : "identified"))
        }
        let generations = tree.all("section").first { $0.attributes["id"] == "generations" }!
        #expect(generations.all("tbody")[0].all("tr").count == result.generations.count)

        // A folder of an older calibration (no calibration.json) says how to write it.
        try FileManager.default.removeItem(at: out.appendingPathComponent("calibration.json"))
        #expect { try Reports.kind(of: out) } throws: { "\($0)".contains("--resume") }
    }

    @Test("a run drawn from a posterior gets the observed-against-band section, its coverage from the run's own bands")
    func runWithPosterior() throws {
        let (folder, out) = try makeCalibrationFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = folder.appendingPathComponent("run")
        let scenario = folder.appendingPathComponent("calibration-example-base.yaml").path
        _ = try ScenarioRun.execute(scenarioPath: scenario, settings: RunSettings(seed: 4, replications: 60, jobs: 2), directory: run,
                                    commandLine: ["lspsim", "run"]) { path in
            let (template, source) = try PosteriorScenario.load(scenarioPath: path, posteriorDirectory: out.path)
            return (template, Manifest.PosteriorRecord(directory: out.path, sha256: source.sha256))
        }
        // Coverage from indicators.csv and the calibration's observations, computed here.
        var values: [String: [Double]] = [:]
        for line in try String(contentsOf: run.appendingPathComponent("indicators.csv"), encoding: .utf8).split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",")
            values["\(f[2]) \(f[1])", default: []].append(Double(f[3])!)
        }
        var covered = 0, observed = 0
        for line in try String(contentsOf: out.appendingPathComponent("observations.csv"), encoding: .utf8).split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",")
            let q = Quantiles.quantiles(values["\(f[0]) \(f[1])"]!, [0.05, 0.95])
            observed += 1
            if q[0] <= Double(f[2])! && Double(f[2])! <= q[1] { covered += 1 }
        }
        let html = try String(contentsOf: try Reports.write(directory: run), encoding: .utf8)
        let tree = try checkSelfContained(html)
        let section = try #require(tree.all("section").first { $0.attributes["id"] == "predictive-check" })
        let percent = Int((Double(covered) / Double(observed) * 100).rounded())
        #expect(observed == 33 && section.allText.contains("\(covered) of \(observed) observed values (\(percent)%)"))
        #expect(section.withClass("line-chart").count == 3)
        #expect(tree.all("footer")[0].allText.contains("--posterior \(out.path)"))

        // Without the calibration's observations there is no such section, and a note says why.
        try FileManager.default.removeItem(at: out.appendingPathComponent("observations.csv"))
        let without = try checkSelfContained(try String(contentsOf: try Reports.write(directory: run), encoding: .utf8))
        #expect(!without.all("section").contains { $0.attributes["id"] == "predictive-check" })
        #expect(without.withClass("notice").contains { $0.allText.contains("no observations.csv was found") })
    }
}
