import Charts
import Experiments
import Foundation
import Reports
import Results
import Testing

@Suite("Reports of sweep folders", .serialized)
struct SweepReportTests {
    @Test("a grid sweep: header, targets met per option, paired differences equal to `compare`'s")
    func grid() throws {
        let (folder, store) = try makeSweepFolder(governanceGrid, replications: 6, name: "Governance <options> & more")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Reports.kind(of: folder) == .sweep)
        let html = try String(contentsOf: try Reports.write(directory: folder), encoding: .utf8)
        let tree = try checkSelfContained(html)
        #expect(html.contains("Governance &lt;options&gt; &amp; more"))
        #expect(tree.all("h1").first?.allText == "Governance <options> & more")
        let facts = Dictionary(uniqueKeysWithValues: tree.all("dl").flatMap { $0.all("div") }.map { ($0.all("dt")[0].allText, $0.all("dd")[0].allText) })
        #expect(facts["Design points"] == "36")
        #expect(facts["Replications per point"] == "6")
        #expect(facts["Seed"] == "5")
        #expect(facts["Design"] == "grid")
        #expect(facts["Runs"] == "216")

        // A distribution chart per factor, one group of bars per option.
        let bars = tree.withClass("bar-chart")
        #expect(bars.map { $0.withClass("bars").count } == [3, 3, 4])
        #expect(bars[2].withClass("legend-entry").map(\.allText) == ["0%", "2%", "5%", "10%"])
        for chart in bars {
            for group in chart.withClass("bars") {
                let shares = group.all("rect").compactMap { $0.number("data-value") }
                #expect(abs(shares.reduce(0, +) - 1) < 1e-9, "each option's distribution sums to 1")
            }
        }

        // The forest plot of the share of targets met: 2 + 2 + 3 options against their baselines,
        // with the same estimates and intervals as Analysis.compare.
        let plots = tree.withClass("interval-plot")
        try #require(plots.count == 2)
        let intervals = plots[0].withClass("interval")
        #expect(intervals.count == 7)
        let data = try store.loadData()
        let share = ResultStore.measureColumns.firstIndex(of: "targets_met_share")!
        var expected: [Analysis.Comparison] = []
        for factor in 1...3 {
            expected += try Analysis.compare(data, factor: factor, baseline: data.levels(of: factor)[0], metric: share)
        }
        for (interval, comparison) in zip(intervals, expected) {
            #expect(interval.number("data-estimate") == comparison.difference.mean)
            #expect(interval.number("data-lower") == comparison.difference.lower)
            #expect(interval.number("data-upper") == comparison.difference.upper)
        }
        #expect(plots[0].withClass("zero-line").count == 1)
        #expect(plots[0].withClass("section-title").map(\.allText) == [
            "Levels: against [strategic]", "Decision rule: against consensus", "Pooled fraction: against 0%"])
        // Findings name each factor; the ranking table lists the best and worst points.
        let bullets = tree.withClass("findings").first?.all("li").map(\.allText) ?? []
        #expect(bullets.count == 3)
        // Each bullet states its factor's largest paired difference, in percentage points.
        for (bullet, factor) in zip(bullets, 1...3) {
            let strongest = try Analysis.compare(data, factor: factor, baseline: data.levels(of: factor)[0], metric: share)
                .max { abs($0.difference.mean) < abs($1.difference.mean) }!
            let points = NumberFormat.fixed(abs(strongest.difference.mean) * 100, decimals: abs(strongest.difference.mean) * 100 < 1 ? 2 : 1)
            #expect(bullet.contains("\(points) percentage points") || bullet.contains("no clear difference"), "\(bullet)")
        }
        #expect(html.contains("The four best and three worst of 36 design points"))
        // No series were kept: no trajectory section; no sensitivity files: no sensitivity section.
        #expect(!html.contains("id=\"trajectories\""))
        #expect(!html.contains("id=\"sensitivity\""))
    }

    @Test("kept series give trajectories per option, with the scenario's baseline and target")
    func series() throws {
        let body = """
            factors:
              - path: governance.levels
                values: [[strategic], [strategic, executive, thematic]]
              - path: governance.pooled_fraction
                values: [0, 0.05]
            outputs:
              indicators: true
              quarters: true

            """
        let (folder, _) = try makeSweepFolder(body, replications: 5)
        defer { try? FileManager.default.removeItem(at: folder) }
        let tree = try checkSelfContained(try Reports.html(directory: folder, options: Reports.Options(trajectoryFactor: "governance.pooled_fraction")))
        // Four points: distribution per design point.
        let distribution = try #require(tree.withClass("bar-chart").first)
        #expect(distribution.withClass("bars").count == 4)
        let lines = tree.withClass("line-chart")
        let titles = lines.map { $0.all("title")[0].allText }
        #expect(titles.contains("Aligned share of spend by levels"))
        #expect(titles.contains("Mean trust by pooled fraction"))
        let ni117 = try #require(lines.first { $0.all("title")[0].allText.hasPrefix("NI117:") })
        #expect(ni117.withClass("median").map { $0.attributes["data-series"] } == ["0%", "5%"], "by --by's factor")
        #expect(ni117.withClass("band").count == 2)
        #expect(ni117.withClass("reference").compactMap { $0.attributes["data-series"] } == ["Baseline", "Target trajectory"])
        #expect(lines.filter { $0.all("title")[0].allText.hasPrefix("NI") }.count == 10, "the ten LAA indicators")
    }

    @Test("sensitivity and discovery files beside the store become index bars and the box; a damaged file is noted")
    func analysisFiles() throws {
        let (folder, _) = try makeSweepFolder("""
            factors:
              - path: governance.pooled_fraction
                range: {min: 0, max: 0.1}
              - path: governance.leadership
                range: {min: 0.2, max: 0.9}
            design:
              type: latin_hypercube
              samples: 12

            """, replications: 3)
        defer { try? FileManager.default.removeItem(at: folder) }
        let sobol = """
            {"format": "lspsim-sensitivity", "format_version": 1, "method": "sobol",
             "sweep": {"name": "s", "file": "s.yaml", "replications": 3},
             "design": {"type": "saltelli", "samples": 64, "runs": 768},
             "factors": [{"name": "governance.pooled_fraction", "min": 0, "max": 0.1, "integer": false},
                         {"name": "governance.leadership", "min": 0.2, "max": 0.9, "integer": false}],
             "measures": ["targets_met_share", "mean_trust_final"],
             "results": [
               {"scenario": "unitary.yaml", "measure": "targets_met_share", "points": 256, "points_excluded": 0, "error": null,
                "sum_first_order": 0.8,
                "indices": [{"factor": "governance.pooled_fraction", "first_order": 0.2, "first_order_low": 0.1, "first_order_high": 0.3,
                             "total_order": 0.25, "total_order_low": 0.2, "total_order_high": 0.3},
                            {"factor": "governance.leadership", "first_order": 0.6, "first_order_low": 0.5, "first_order_high": 0.7,
                             "total_order": 0.7, "total_order_low": null, "total_order_high": null}]},
               {"scenario": "unitary.yaml", "measure": "mean_trust_final", "points": 256, "points_excluded": 0,
                "error": "the output is constant"}]}
            """
        try sobol.write(to: folder.appendingPathComponent("sensitivity-sobol.json"), atomically: true, encoding: .utf8)
        try "{\"format\": \"something else\"}".write(to: folder.appendingPathComponent("sensitivity-morris.json"), atomically: true, encoding: .utf8)
        let box = """
            {"format": "lspsim-discover-box/1", "sweep": "s",
             "condition": {"measure": "targets_met_share", "operator": ">=", "value": 0.6, "text": "targets_met_share >= 0.6", "phrase": "meet at least 60% of their targets"},
             "runs": {"total": 36, "failed_excluded": 0, "used": 36, "meeting_condition": 12, "design_points": 12},
             "base_density": 0.3333, "chosen_step": 3, "pasting_steps": 0,
             "box": {"runs": 10, "runs_meeting": 8, "coverage": 0.6667, "density": 0.8, "mass": 0.2778, "restricted_factors": ["governance.leadership"]},
             "limits": [
               {"factor": "governance.pooled_fraction", "name": "pooled fraction", "restricted": false, "words": null, "kind": "range",
                "percentage": true, "lower": 0, "upper": 0.1, "observed_min": 0.01, "observed_max": 0.09, "data_min": 0.004, "data_max": 0.096},
               {"factor": "governance.leadership", "name": "leadership", "restricted": true, "words": "at least 0.6", "kind": "range",
                "percentage": false, "lower": 0.58, "upper": 0.9, "observed_min": 0.6, "observed_max": 0.88, "data_min": 0.22, "data_max": 0.88}],
             "summary": "Where leadership is at least 0.6, 80% of runs meet at least 60% of their targets (against 33% of all runs)."}
            """
        try box.write(to: folder.appendingPathComponent("discover-box.json"), atomically: true, encoding: .utf8)
        let html = try Reports.html(directory: folder)
        let tree = try checkSelfContained(html)

        // The sampled factors are not compared option by option: the findings come from the
        // sensitivity indices and the box, and each factor's range gets a main-effect chart.
        #expect(tree.withClass("interval-plot").isEmpty)
        let findings = tree.withClass("findings").first?.all("li").map(\.allText) ?? []
        #expect(findings.count == 2, "\(findings)")
        #expect(findings.first?.hasPrefix("Share of LAA targets met: leadership matters most (total-order index 0.7)") == true, "\(findings)")
        #expect(findings.last?.hasPrefix("Scenario discovery: Where leadership is at least 0.6") == true)
        let effects = tree.withClass("line-chart").filter { $0.all("title")[0].allText.hasPrefix("Share of targets met across") }
        #expect(effects.count == 2)
        for chart in effects {
            #expect(chart.withClass("band").count == 1)
            #expect(chart.withClass("legend-entry").map(\.allText) == ["Mean", "95% confidence interval of the mean"])
        }
        // Sobol: one chart (the other measure has an error, shown as a notice), factors ranked by total order.
        let index = tree.withClass("index-bar-chart").filter { $0.all("title")[0].allText.hasPrefix("Sobol") }
        try #require(index.count == 1)
        #expect(index[0].withClass("index-row").map { $0.attributes["data-label"] } == ["leadership", "pooled fraction"])
        #expect(index[0].withClass("index-bar").compactMap { $0.number("data-value") } == [0.6, 0.7, 0.2, 0.25])
        #expect(index[0].withClass("whisker").count == 3, "no whisker where the interval is null")
        #expect(html.contains("Mean trust at the end: no indices: the output is constant."))
        #expect(html.contains("The file sensitivity-morris.json could not be read"))
        // Discovery: the sentence, and the box inside each range.
        #expect(html.contains("Where leadership is at least 0.6, 80% of runs"))
        let ranges = try #require(tree.withClass("range-chart").first)
        let rows = ranges.withClass("range-row")
        #expect(rows.map { $0.attributes["data-label"] } == ["pooled fraction", "leadership"])
        #expect(rows[1].withClass("part")[0].attributes["fill"] == Palette.bluishGreen)
        #expect(rows[0].withClass("part").isEmpty, "an unrestricted factor shows its track only")
        #expect(rows[0].allText.contains("not restricted"))
    }
}
