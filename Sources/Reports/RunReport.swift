import Charts
import Experiments
import Foundation
import PartnershipModel
import RunOutput
import Stochastic

/// The report of an `lspsim run` folder.
enum RunReport {
    static func html(_ run: RunFolder) -> String {
        let manifest = run.manifest
        let title = manifest.scenarioName.nonEmpty ?? run.scenario?.name ?? manifest.scenarioFile
        let replications = run.summary[RunMeasure.targetsMet.name]?.count ?? manifest.replications
        let totals = run.summary[RunMeasure.targetsTotal.name] ?? []
        let targetsTotal = Int(totals.max() ?? 0)
        var body: [Element] = []

        // Header: what was run.
        var facts: [(String, String)] = [
            ("Scenario file", manifest.scenarioFile),
            ("Replications", "\(replications)"),
            ("Seed", "\(manifest.seed)"),
            ("Quarters simulated", "\(run.quarters)"),
            ("Generator", manifest.generator.nonEmpty ?? "not recorded"),
            ("lspsim version", manifest.version),
        ]
        if let gsl = manifest.gslVersion.nonEmpty { facts.append(("GSL version", gsl)) }
        if let finished = manifest.finishedAt.nonEmpty { facts.append(("Run finished", finished.replacingOccurrences(of: "T", with: " "))) }
        if let sha = manifest.scenarioSHA256.nonEmpty { facts.append(("Scenario SHA-256", String(sha.prefix(16)) + "\u{2026}")) }
        body.append(HTML.element("header", ["class": "report"], elements: [
            HTML.text("p", ["class": "kicker"], "lspsim \u{00B7} simulation report"),
            HTML.text("h1", title),
            HTML.paragraph("\(Format.count(replications, "replication")) of one governance set-up over \(run.quarters) quarters: what the partnership achieves against its Local Area Agreement targets, and how much that varies from run to run. Figures are model results under the scenario's stated assumptions, not a forecast.", class: "lead"),
            HTML.facts(facts),
        ]))
        if let note = run.scenarioNote { body.append(HTML.notice(note.capitalisedFirst + ".")) }

        // Headline figures.
        body.append(tiles(run, targetsTotal: targetsTotal))

        // Targets met: distribution, and per indicator.
        let shown = run.shownIndicators
        var targetFigures: [Element] = []
        if let met = run.summary[RunMeasure.targetsMet.name], targetsTotal > 0 {
            var counts = [Double](repeating: 0, count: targetsTotal + 1)
            for value in met where Int(value) >= 0 && Int(value) <= targetsTotal { counts[Int(value)] += 1 }
            let chart = GroupedBarChart(
                title: "How many LAA targets are met",
                subtitle: "Share of the \(met.count) runs meeting each number of the \(targetsTotal) targets by quarter \(run.quarters)",
                categories: (0...targetsTotal).map(String.init),
                groups: [.init(name: "", colour: Palette.blue, values: counts.map { $0 / Double(met.count) })],
                xTitle: AxisTitle("LAA targets met", unit: "of \(targetsTotal)"), yTitle: AxisTitle("Share of runs", unit: "%"),
                yFormat: .percent)
            targetFigures.append(HTML.figure(chart))
        }
        var rows: [[String]] = [], labels: [String] = [], shares: [Double] = [], lows: [Double?] = [], highs: [Double?] = []
        for (id, info) in shown {
            guard let series = run.indicatorValues[id], let final = series.last, !final.isEmpty else { continue }
            let q = Quantiles.quantiles(final, [0.05, 0.5, 0.95])
            var row = [id, info?.name ?? "", info?.unit ?? ""]
            if let info {
                let met = final.filter(info.meets).count
                let wilson = Analysis.wilson(successes: met, trials: final.count)
                labels.append(id)
                shares.append(wilson.estimate)
                lows.append(wilson.lower)
                highs.append(wilson.upper)
                row += [Format.number(info.baseline, digits: 4) + (info.uncertainBaseline ? "*" : ""),
                        Format.number(info.target, digits: 4) + (info.uncertainTarget ? "*" : ""),
                        info.higherIsBetter ? "higher" : "lower"]
                row += [Format.number(q[1], digits: 4), Format.interval(Format.number(q[0], digits: 4), Format.number(q[2], digits: 4)),
                        Format.percent(wilson.estimate)]
            } else {
                let base = Quantiles.quantile(series[0], 0.5)
                row += [Format.number(base, digits: 4), "\u{2013}", "\u{2013}", Format.number(q[1], digits: 4),
                        Format.interval(Format.number(q[0], digits: 4), Format.number(q[2], digits: 4)), "\u{2013}"]
            }
            rows.append(row)
        }
        if !labels.isEmpty {
            var chart = IndexBarChart(
                title: "Chance of meeting each target",
                subtitle: "Share of runs whose value at quarter \(run.quarters) meets the target; whiskers: 95% Wilson interval",
                labels: labels,
                series: [.init(name: "Share of runs meeting the target", colour: Palette.bluishGreen, values: shares, lower: lows, upper: highs)],
                xTitle: AxisTitle("Runs meeting the target", unit: "%"))
            chart.xFormat = .percent
            chart.xDomain = (0, 1)
            chart.width = 560
            targetFigures.append(HTML.figure(chart))
        }
        var targetSection: [Element] = []
        if let met = run.summary[RunMeasure.targetsMet.name], targetsTotal > 0 {
            let mean = SampleSummary(met).mean
            let q = Quantiles.quantiles(met, [0.05, 0.95])
            targetSection.append(HTML.paragraph(runs: [
                ("On average the partnership meets ", false), ("\(Format.number(mean)) of its \(targetsTotal) LAA targets", true),
                ("; in 90% of runs between \(Format.number(q[0])) and \(Format.number(q[1])). ", false),
                (bestAndWorst(labels: labels, shares: shares), false),
            ]))
        }
        targetSection.append(HTML.grid(targetFigures))
        targetSection.append(HTML.table(
            header: ["Indicator", "Name", "Unit", "Baseline", "Target", "Better", "Final median", "Final 90% range", "Met"],
            rows: rows, numeric: [3, 4, 6, 7, 8],
            caption: "LAA targets at quarter \(run.quarters) over \(replications) runs"))
        if shown.contains(where: { $0.info?.uncertainBaseline == true || $0.info?.uncertainTarget == true }) {
            targetSection.append(HTML.paragraph("* drawn from a distribution in each replication; the table shows its mean.", class: "small"))
        }
        body.append(HTML.section("LAA targets met", id: "targets", targetSection))

        // Trajectories.
        var trajectories: [Element] = []
        for (id, info) in shown {
            guard let series = run.indicatorValues[id] else { continue }
            trajectories.append(HTML.figure(indicatorChart(id: id, info: info, series: series, quarters: run.quarters)))
        }
        body.append(HTML.section("Indicators over the \(run.quarters) quarters", id: "trajectories", [
            HTML.paragraph("Each panel follows one indicator: the line is the median over the runs and the shaded band holds 90% of them (5th to 95th percentile). The grey dashed line is the baseline; the orange dashed line runs straight from the baseline to the target at quarter \(run.quarters), the pace that would just meet it."),
            HTML.grid(trajectories),
        ]))

        // Joint working.
        var joint: [Element] = []
        let quarterAxis = (1...max(1, run.quarters)).map(Double.init)
        if let aligned = run.quarterValues["aligned_share"] {
            let band = Band(aligned)
            var chart = LineChart(title: "Aligned share of spend",
                                  subtitle: "Share of partners' discretionary spend aligned with LAA priorities each quarter",
                                  xTitle: "Quarter", yTitle: AxisTitle("Aligned share", unit: "%"),
                                  series: [.init(name: "", colour: Palette.blue, x: quarterAxis, median: band.median, lower: band.lower, upper: band.upper)])
            chart.yFormat = .percent
            chart.yDomain = (0, 1)
            joint.append(HTML.figure(chart))
        }
        if let trust = run.quarterValues["mean_trust"] {
            let band = Band(trust)
            var chart = LineChart(title: "Mean trust between partners",
                                  subtitle: "Mean trust after each quarter's update, on a scale from 0 (none) to 1 (full)",
                                  xTitle: "Quarter", yTitle: AxisTitle("Mean trust", unit: "0\u{2013}1"),
                                  series: [.init(name: "", colour: Palette.reddishPurple, x: quarterAxis, median: band.median, lower: band.lower, upper: band.upper)])
            chart.yDomain = (0, 1)
            joint.append(HTML.figure(chart))
        }
        body.append(HTML.section("Joint working: aligned spend and trust", id: "joint-working", [
            HTML.paragraph("Lines: median over the runs; bands: 5th to 95th percentile."),
            HTML.grid(joint),
        ]))
        if let check = run.predictive {
            if let note = run.predictiveNote { body.append(HTML.notice(note.capitalisedFirst + ".")) }
            let sample = "the \(replications) replications of this run, each drawing one particle of the posterior in \(run.manifest.posterior?.directory ?? "") by weight"
            body.append(PredictiveSection.section(check, sample: sample) { id in run.scenario?.indicators.first { $0.id == id } })
        } else if let note = run.predictiveNote {
            body.append(HTML.notice(note.capitalisedFirst + "."))
        }
        body.append(footer(run))
        return HTML.document(title: "\(title): lspsim report", body: body)
    }

    static func tiles(_ run: RunFolder, targetsTotal: Int) -> Element {
        func summary(_ column: String) -> (mean: Double, low: Double, high: Double)? {
            guard let values = run.summary[column], !values.isEmpty else { return nil }
            let q = Quantiles.quantiles(values, [0.05, 0.95])
            return (SampleSummary(values).mean, q[0], q[1])
        }
        var tiles: [Element] = []
        if let met = summary(RunMeasure.targetsMet.name) {
            tiles.append(HTML.tile(label: "LAA targets met (mean)", value: "\(Format.number(met.mean, digits: 2)) of \(targetsTotal)",
                                   note: "90% of runs: \(Format.range(Format.number(met.low), Format.number(met.high)))"))
        }
        if let share = run.summary[RunMeasure.targetsMetShare.name], !share.isEmpty {
            let n = share.filter { TargetShareThreshold.isMet($0) }.count
            let wilson = Analysis.wilson(successes: n, trials: share.count)
            tiles.append(HTML.tile(label: "Runs meeting at least \(Format.percent(TargetShareThreshold.default)) of targets", value: Format.percent(wilson.estimate),
                                   note: "95% interval \(Format.range(Format.percent(wilson.lower), Format.percent(wilson.upper)))"))
        }
        if let aligned = summary(RunMeasure.alignedShareMean.name) {
            tiles.append(HTML.tile(label: "Aligned share of spend (mean)", value: Format.percent(aligned.mean),
                                   note: "90% of runs: \(Format.range(Format.percent(aligned.low), Format.percent(aligned.high)))"))
        }
        if let trust = summary(RunMeasure.meanTrustFinal.name) {
            tiles.append(HTML.tile(label: "Mean trust at the end (0\u{2013}1)", value: Format.number(trust.mean, digits: 2),
                                   note: "90% of runs: \(Format.range(Format.number(trust.low, digits: 2), Format.number(trust.high, digits: 2)))"))
        }
        // A run folder written before money moved existed has no such column: no tile.
        if let moved = summary(RunMeasure.moneyMovedShare.name) {
            tiles.append(HTML.tile(label: "Money moved by the partnership (share of budgets)", value: Format.percent(moved.mean, decimals: 2),
                                   note: "90% of runs: \(Format.range(Format.percent(moved.low, decimals: 2), Format.percent(moved.high, decimals: 2)))"))
        }
        return HTML.element("div", ["class": "tiles"], elements: tiles)
    }

    static func bestAndWorst(labels: [String], shares: [Double]) -> String {
        guard labels.count >= 2 else { return "" }
        let order = shares.indices.sorted { shares[$0] > shares[$1] }
        let best = order.first!, worst = order.last!
        return "\(labels[best]) is met most often (\(Format.percent(shares[best])) of runs), \(labels[worst]) least often (\(Format.percent(shares[worst])))."
    }

    /// One indicator's trajectory with its baseline and target trajectory.
    static func indicatorChart(id: String, info: IndicatorInfo?, series: [[Double]], quarters: Int) -> LineChart {
        let band = Band(series)
        let x = (0..<series.count).map(Double.init)
        var references: [LineChart.Reference] = []
        var subtitle: String
        if let info {
            references.append(.init(name: "Baseline", points: [Point(0, info.baseline), Point(Double(quarters), info.baseline)]))
            references.append(.init(name: "Target trajectory", points: [Point(0, info.baseline), Point(Double(quarters), info.target)],
                                    colour: Palette.orange, dash: "6 4", markEnd: true))
            let final = series.last ?? []
            let met = final.isEmpty ? 0 : Double(final.filter(info.meets).count) / Double(final.count)
            subtitle = "Target \(Format.number(info.target, digits: 4)) by quarter \(quarters), from \(Format.number(info.baseline, digits: 4)) (\(info.higherIsBetter ? "higher" : "lower") is better); met in \(Format.percent(met)) of runs"
        } else {
            let baseline = Band([series.first ?? []]).median.first ?? .nan
            references.append(.init(name: "Baseline (median at quarter 0)", points: [Point(0, baseline), Point(Double(quarters), baseline)]))
            subtitle = "Target not known: the scenario file could not be read"
        }
        let name = info?.name ?? ""
        return LineChart(
            title: name.isEmpty ? id : "\(id): \(name)", subtitle: subtitle,
            xTitle: "Quarter", yTitle: AxisTitle(id, unit: info?.unit),
            series: [.init(name: "", colour: Palette.blue, x: x, median: band.median, lower: band.lower, upper: band.upper)],
            references: references)
    }

    static func footer(_ run: RunFolder) -> Element {
        var text = "Written by lspsim report from \(run.directory.lastPathComponent)/ (summary.csv, indicators.csv, quarters.csv, manifest.json)"
        if let scenario = run.scenario { text += " and \(scenario.path)" }
        let rng = run.manifest.generator.nonEmpty.map { $0 == "mt19937" ? "" : " --rng \($0)" } ?? ""
        let posterior = run.manifest.posterior.map { " --posterior \($0.directory)" } ?? ""
        text += ". Replication r of seed \(run.manifest.seed) is always the same run: `lspsim run \(run.manifest.scenarioFile) --replications \(run.manifest.replications) --seed \(run.manifest.seed)\(rng)\(posterior)` reproduces these figures."
        return HTML.element("footer", elements: [HTML.paragraph(text)])
    }
}
