import Charts
import Foundation
import Reports
import Stochastic
import Testing
import TestSupport

@Suite("Reports of run folders", .serialized)
struct RunReportTests {
    /// The LAA indicators of scenarios/unitary.yaml, in file order.
    static let laa = ["NI117", "NI152", "NI163", "NI39", "NI20", "NI56", "NI112", "NI186", "NI154", "NI8"]

    /// indicators.csv's values at `quarter` for `indicator`.
    func values(_ folder: URL, indicator: String, quarter: Int) throws -> [Double] {
        try String(contentsOf: folder.appendingPathComponent("indicators.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
            .filter { $0[1] == Substring("\(quarter)") && $0[2] == Substring(indicator) }.map { Double($0[3])! }
    }

    func summaryColumn(_ folder: URL, _ name: String) throws -> [Double] {
        let lines = try String(contentsOf: folder.appendingPathComponent("summary.csv"), encoding: .utf8).split(separator: "\n")
        let column = lines[0].split(separator: ",").firstIndex(of: Substring(name))!
        return lines.dropFirst().map { Double($0.split(separator: ",")[column])! }
    }

    @Test("a run report shows what was run, every LAA target's trajectory with band, baseline and target, and joint working")
    func runReport() throws {
        let folder = try makeRunFolder(replications: 40, seed: 3)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Reports.kind(of: folder) == .run)
        let url = try Reports.write(directory: folder)
        #expect(url.lastPathComponent == "report.html")
        let html = try String(contentsOf: url, encoding: .utf8)
        let tree = try checkSelfContained(html)

        // Header: scenario, seed, replications, version.
        #expect(tree.all("h1").first?.allText == "Kingsbridge unitary LSP (250,000 people, mature partnership)")
        let facts = Dictionary(uniqueKeysWithValues: tree.all("dl").flatMap { $0.all("div") }.map { ($0.all("dt")[0].allText, $0.all("dd")[0].allText) })
        #expect(facts["Seed"] == "3")
        #expect(facts["Replications"] == "40")
        #expect(facts["Scenario file"] == unitaryScenario)
        #expect(facts["lspsim version"]?.isEmpty == false)
        #expect(tree.withClass("notice").isEmpty, "no fallback notice when the scenario file is readable")

        // One trajectory per LAA indicator (the three non-LAA indicators are not shown), each with
        // its band, median, baseline and target trajectory.
        let trajectories = tree.withClass("line-chart").filter { ($0.all("title").first?.allText ?? "").hasPrefix("NI") }
        #expect(trajectories.compactMap { $0.all("title").first?.allText.split(separator: ":").first.map(String.init) } == Self.laa)
        for chart in trajectories {
            let name = chart.all("title")[0].allText
            #expect(chart.withClass("band").count == 1, "\(name): band")
            #expect(chart.withClass("median").count == 1, "\(name): median")
            #expect(chart.withClass("reference").compactMap { $0.attributes["data-series"] } == ["Baseline", "Target trajectory"], "\(name)")
            #expect(chart.withClass("axis-title").map(\.allText).first == "Quarter")
            // 13 points (quarters 0...12) in the median line.
            #expect(pathCommands(chart.withClass("median")[0].attributes["d"]!).count == 13, "\(name)")
        }
        // Target trajectories run the right way: NI117 (lower is better, 7 -> 5.8) goes down in value,
        // so down the page (larger y); NI163 (higher is better, 69 -> 73) goes up the page.
        func targetLine(_ id: String) -> [(Character, [Double])] {
            let chart = trajectories.first { $0.all("title")[0].allText.hasPrefix(id + ":") }!
            return pathCommands(chart.withClass("reference").first { $0.attributes["data-series"] == "Target trajectory" }!.attributes["d"]!)
                .map { ($0.command, $0.values) }
        }
        #expect(targetLine("NI117")[1].1[1] > targetLine("NI117")[0].1[1])
        #expect(targetLine("NI163")[1].1[1] < targetLine("NI163")[0].1[1])
        // The y axis names the unit.
        let ni117 = trajectories.first { $0.all("title")[0].allText.hasPrefix("NI117:") }!
        #expect(ni117.withClass("axis-title").map(\.allText).contains("NI117 (% of cohort)"))

        // The table's final medians are the medians of indicators.csv at quarter 12.
        let rows = tree.all("tr").map { $0.all("td").map(\.allText) }.filter { $0.count == 9 }
        #expect(rows.map { $0[0] } == Self.laa)
        let final117 = try values(folder, indicator: "NI117", quarter: 12)
        #expect(rows[0][6] == NumberFormat.significant(Quantiles.quantile(final117, 0.5), digits: 4))
        #expect(rows[0][5] == "lower")

        // The chance of meeting each target, summed over the targets, is the total of targets met in summary.csv.
        let bars = tree.withClass("index-bar").compactMap { $0.number("data-value") }
        #expect(bars.count == Self.laa.count)
        let metTotal = try summaryColumn(folder, "targets_met").reduce(0, +)
        #expect(abs(bars.reduce(0, +) * 40 - metTotal) < 1e-6, "shares \(bars) against \(metTotal) targets met in all")
        // And NI117's share is the share of its final values at or below its target of 5.8.
        #expect(abs(bars[0] - Double(final117.filter { $0 <= 5.8 }.count) / 40) < 1e-12)

        // The distribution of targets met: one bar per count 0...10, shares summing to 1.
        let distribution = try #require(tree.withClass("bar-chart").first)
        let shares = distribution.all("rect").compactMap { $0.number("data-value") }
        #expect(shares.count == 11)
        #expect(abs(shares.reduce(0, +) - 1) < 1e-9)
        let met = try summaryColumn(folder, "targets_met")
        #expect(abs(shares[5] - Double(met.filter { $0 == 5 }.count) / 40) < 1e-12)

        // Aligned share and mean trust over quarters 1...12.
        let titles = tree.withClass("line-chart").map { $0.all("title")[0].allText }
        #expect(titles.contains("Aligned share of spend"))
        #expect(titles.contains("Mean trust between partners"))
        for chart in tree.withClass("line-chart") where !(chart.all("title")[0].allText.hasPrefix("NI")) {
            #expect(chart.withClass("band").count == 1)
            #expect(pathCommands(chart.withClass("median")[0].attributes["d"]!).count == 12)
        }
        // Headline figures.
        #expect(tree.withClass("tile").count == 5)
        #expect(tree.withClass("tile-value").first?.allText.hasSuffix("of 10") == true)
        // The last: money moved, the mean of summary.csv's money_moved_share as a per cent.
        let moved = try summaryColumn(folder, "money_moved_share")
        let shown = try #require(tree.withClass("tile-value").last?.allText)
        let percent = try #require(Double(shown.replacingOccurrences(of: "%", with: "")), "tile value \(shown)")
        #expect(abs(percent - moved.reduce(0, +) / Double(moved.count) * 100) <= 0.005, "money moved tile \(shown)")
    }

    @Test("a missing scenario file is said, and the report falls back to the CSV files")
    func fallback() throws {
        let folder = try makeRunFolder(replications: 12, seed: 9)
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifestURL = folder.appendingPathComponent("manifest.json")
        let manifest = try String(contentsOf: manifestURL, encoding: .utf8)
            .replacingOccurrences(of: unitaryScenario, with: "/nowhere/gone.yaml")
        try manifest.write(to: manifestURL, atomically: true, encoding: .utf8)
        let tree = try checkSelfContained(try Reports.html(directory: folder))
        let notice = try #require(tree.withClass("notice").first?.allText)
        #expect(notice.contains("/nowhere/gone.yaml cannot be found"))
        let trajectories = tree.withClass("line-chart").filter { ($0.all("title").first?.allText ?? "").hasPrefix("NI") }
        #expect(trajectories.count == 13, "every indicator of indicators.csv")
        for chart in trajectories {
            #expect(chart.withClass("reference").compactMap { $0.attributes["data-series"] } == ["Baseline (median at quarter 0)"])
            #expect(chart.withClass("band").count == 1)
        }
    }

    /// The error a report of `directory` fails with (nil if it succeeds).
    func reportError(_ directory: URL) -> ReportError? {
        do {
            _ = try Reports.html(directory: directory)
            return nil
        } catch {
            return error
        }
    }

    @Test("folders that are not results are refused with a clear reason")
    func errors() throws {
        let empty = try temporaryFolder("lspsim-report-empty")
        defer { try? FileManager.default.removeItem(at: empty) }
        let emptyError = try #require(reportError(empty))
        #expect(emptyError.description.contains("is neither a run folder"), "\(emptyError)")
        #expect(emptyError.description.contains("it is empty"), "\(emptyError)")
        try "x".write(to: empty.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        #expect(reportError(empty)?.description.contains("it holds notes.txt") == true)

        let absent = try #require(reportError(empty.appendingPathComponent("absent")))
        guard case .noSuchFolder = absent else { Issue.record("expected noSuchFolder, got \(absent)"); return }

        // A run folder missing a file, and one with a damaged CSV.
        let run = try makeRunFolder(replications: 5, seed: 1)
        defer { try? FileManager.default.removeItem(at: run) }
        try FileManager.default.removeItem(at: run.appendingPathComponent("quarters.csv"))
        let incomplete = try #require(reportError(run))
        #expect(incomplete.description.contains("lacks quarters.csv"), "\(incomplete)")
        try "replication,quarter\n1,1\n".write(to: run.appendingPathComponent("quarters.csv"), atomically: true, encoding: .utf8)
        let damaged = try #require(reportError(run))
        #expect(damaged.description.contains("lacks the column(s) aligned_share, mean_trust"), "\(damaged)")
        // A manifest that is not JSON.
        try "{".write(to: run.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
        #expect(reportError(run)?.description.contains("is not an lspsim manifest") == true)
    }
}
