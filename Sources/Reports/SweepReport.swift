import Charts
import Experiments
import Foundation
import PartnershipModel
import Results
import Stochastic

/// The report of a sweep folder.
enum SweepReport {
    /// Column indices of the measures the report shows, in the store's measure columns.
    static func column(_ measure: RunMeasure) -> Int { ResultStore.measureColumns.firstIndex(of: measure.name)! }
    static let share = column(.targetsMetShare)
    static let met = column(.targetsMet)
    static let total = column(.targetsTotal)
    static let trust = column(.meanTrustFinal)
    static let aligned = column(.alignedShareMean)
    /// The target-share threshold as the report writes it ("60%").
    static let threshold = Format.percent(TargetShareThreshold.default)

    /// A measure's readable label (from `RunMeasure`), or its name for an unknown one.
    static func measureLabel(_ measure: String) -> String { RunMeasure.named(measure)?.label ?? measure }
    /// Factors with more values than this are treated as sampled (not compared option by option).
    static let maximumOptions = 8

    static func html(_ sweep: SweepFolder) -> String {
        let record = sweep.record, data = sweep.data
        let counts = sweep.runCounts
        var body: [Element] = []

        let varied = sweep.variedFactors
        let optionFactors = varied.filter { $0.levels.count <= maximumOptions }
        let sampled = varied.filter { $0.levels.count > maximumOptions }
        // Only a grid crosses every value of a factor with the same values of the others; other
        // designs (random, Latin hypercube, Sobol, Saltelli, Morris) sample the factors together.
        let sampledDesign = record.design != DesignKind.grid.rawValue || (optionFactors.isEmpty && !sampled.isEmpty)

        // Header.
        let design = record.design + (record.samples.map { ", \($0) samples" } ?? "")
        var facts: [(String, String)] = [
            ("Sweep file", record.file),
            ("Design", design),
            ("Design points", "\(data.pointValues.count)"),
            ("Replications per point", "\(record.replications)"),
            ("Runs", counts.failed == 0 ? NumberFormat.fixed(Double(counts.ok), decimals: 0)
                : "\(NumberFormat.fixed(Double(counts.ok), decimals: 0)) ok, \(NumberFormat.fixed(Double(counts.failed), decimals: 0)) failed"),
            ("Seed", "\(record.seed)"),
            ("Generator", record.generator),
            ("lspsim version", record.programVersion),
            ("GSL version", record.gslVersion),
            ("Created", record.createdAt.replacingOccurrences(of: "T", with: " ")),
        ]
        if let shard = record.shard { facts.append(("Shard", shard)) }
        let scenarios = Array(Set(sweep.pointScenarios)).sorted()
        facts.insert(("Base scenario" + (scenarios.count == 1 ? "" : "s"), scenarios.joined(separator: ", ")), at: 1)
        body.append(HTML.element("header", ["class": "report"], elements: [
            HTML.text("p", ["class": "kicker"], "lspsim \u{00B7} sweep report"),
            HTML.text("h1", record.name),
            HTML.paragraph(sampledDesign
                ? "\(data.pointValues.count) design points \u{00D7} \(Format.count(record.replications, "replication")), the factors sampled together over their ranges (\(record.design) design): which factors matter, and where the targets are met. Figures are model results under the scenarios' stated assumptions, not forecasts."
                : "\(data.pointValues.count) design points \u{00D7} \(Format.count(record.replications, "replication")). Replication r sees the same random draws at every design point (common random numbers), so options are compared in matched pairs: the differences below are far more precise than independent runs would give. Figures are model results under the scenarios' stated assumptions, not forecasts.", class: "lead"),
            HTML.facts(facts),
        ]))
        if counts.ok == 0 {
            body.append(HTML.notice("No run of this sweep succeeded (\(counts.failed) failed), so there is nothing to chart; `lspsim export` lists their errors."))
            body.append(footer(sweep))
            return HTML.document(title: "\(record.name): lspsim report", body: body)
        }
        if counts.failed > 0 {
            body.append(HTML.notice("\(counts.failed) of \(counts.ok + counts.failed) runs failed and are left out of every figure below; `lspsim export` lists their errors."))
        }
        for note in sweep.fileNotes { body.append(HTML.notice(note.capitalisedFirst + ".")) }
        if let robust = robustnessSection(data) { body.append(robust) }

        // Comparisons first: they feed the findings.
        var comparisons: [FactorComparison] = []
        var skipped: [String] = []
        for factor in optionFactors where !sampledDesign {
            do {
                let shares = try Analysis.compare(data, factor: factor.index, baseline: factor.levels[0], metric: share)
                let trusts = try Analysis.compare(data, factor: factor.index, baseline: factor.levels[0], metric: trust)
                comparisons.append((factor, shares, trusts))
            } catch {
                skipped.append(error.description)
            }
        }

        if sampledDesign {
            // A sampled design (random, Latin hypercube, Sobol, Saltelli, Morris): every point has its
            // own values, so the report leads with sensitivity and discovery, then how the share of
            // targets met moves across each factor's range.
            body.append(sampledTiles(sweep))
            body.append(sampledFindings(sweep, factors: varied))
            if !sweep.sensitivity.isEmpty { body.append(sensitivitySection(sweep.sensitivity)) }
            if let discovery = sweep.discovery { body.append(discoverySection(discovery)) }
            body.append(mainEffectsSection(sweep, factors: varied))
        } else {
            body.append(tiles(sweep))
            body.append(findings(sweep, comparisons: comparisons, skipped: skipped))
            body.append(optionsSection(sweep, factors: optionFactors, sampled: sampled))
            if !comparisons.isEmpty { body.append(comparisonDetails(comparisons)) }
            if !sweep.sensitivity.isEmpty { body.append(sensitivitySection(sweep.sensitivity)) }
            if let discovery = sweep.discovery { body.append(discoverySection(discovery)) }
            if !sampled.isEmpty { body.append(mainEffectsSection(sweep, factors: sampled)) }
        }
        if let series = sweep.series {
            body.append(trajectorySection(sweep, series: series, factors: optionFactors.filter { $0.levels.count <= 6 }))
        }
        var method = "Share of targets met: the share of a run's LAA targets whose value at the last quarter meets the target. P(\u{2265} \(threshold)): the share of runs meeting at least \(threshold) of their targets, with a 95% Wilson interval."
        if !sampledDesign {
            method += " Differences are paired: every run under an option is matched with the baseline option's run of the same replication and the same values of every other factor, and the interval is the 95% Student-t confidence interval of the mean of those paired differences (`lspsim compare`). Better / worse: the share of matched pairs in which the option did better or worse than its baseline."
        }
        if !sweep.sensitivity.isEmpty {
            method += " Sensitivity indices come from `lspsim sensitivity`: each design point's mean over its replications is the output, and the intervals are 95% bootstrap intervals."
        }
        if sweep.discovery != nil {
            method += " The box comes from `lspsim discover` (PRIM): density is the share of the box's runs meeting the condition, coverage the share of all runs meeting it that lie in the box, mass the share of all runs in the box."
        }
        body.append(HTML.section("How to read this report", id: "method", [HTML.paragraph(method)]))
        body.append(footer(sweep))
        return HTML.document(title: "\(record.name): lspsim report", body: body)
    }

    // MARK: Header figures

    static func tiles(_ sweep: SweepFolder) -> Element {
        let data = sweep.data
        let ok = data.runs.compactMap(\.measures)
        let shares = ok.map { $0[share] }
        let overall = SampleSummary(shares)
        let perPoint = ranked(data)
        let best = perPoint.first, worst = perPoint.last
        var tiles = [HTML.tile(label: "Runs", value: NumberFormat.fixed(Double(ok.count), decimals: 0),
                               note: "\(data.pointValues.count) design points \u{00D7} \(Format.count(sweep.record.replications, "replication"))")]
        tiles.append(HTML.tile(label: "Share of LAA targets met, all runs", value: Format.percent(overall.mean, decimals: 1),
                               note: "mean over every design point"))
        if let best, let worst, perPoint.count > 1 {
            tiles.append(HTML.tile(label: "Best design point: targets met", value: Format.percent(best.estimates[0]!.mean, decimals: 1),
                                   note: "point \(best.key[0]): \(pointDescription(sweep, point: Int(best.key[0]) ?? 0))"))
            tiles.append(HTML.tile(label: "Worst design point: targets met", value: Format.percent(worst.estimates[0]!.mean, decimals: 1),
                                   note: "point \(worst.key[0]): \(pointDescription(sweep, point: Int(worst.key[0]) ?? 0))"))
        }
        return HTML.element("div", ["class": "tiles"], elements: tiles)
    }

    /// Findings in words: each factor's largest paired difference, and the best and worst points.
    typealias FactorComparison = (factor: (index: Int, name: String, levels: [String]), share: [Analysis.Comparison], trust: [Analysis.Comparison])

    static func findings(_ sweep: SweepFolder, comparisons: [FactorComparison], skipped: [String]) -> Element {
        var items: [Element] = []
        for (factor, shares, _) in comparisons {
            guard let strongest = shares.max(by: { abs($0.difference.mean) < abs($1.difference.mean) }) else { continue }
            let d = strongest.difference
            let option = optionLabel(factor.name, strongest.option), base = optionLabel(factor.name, factor.levels[0])
            let clear = (d.lower ?? 0) > 0 || (d.upper ?? 0) < 0
            // Percentage points with one decimal (two below one point).
            let decimals = abs(d.mean) * 100 < 1 ? 2 : 1
            func pp(_ x: Double?) -> String {
                guard let x, x.isFinite else { return "\u{2013}" }
                let text = NumberFormat.fixed(x * 100, decimals: decimals)
                return x > 0 && text.contains(where: { $0 != "0" && $0 != "." }) ? "+" + text : text
            }
            let size = NumberFormat.fixed(abs(d.mean) * 100, decimals: decimals)
            let direction = d.mean >= 0 ? "more" : "fewer"
            var runs: [(String, Bool)] = [("\(FactorLabel.readable(factor.name).capitalisedFirst): ", true)]
            if shares.allSatisfy({ $0.shareBetter == 0 && $0.shareWorse == 0 }) {
                runs.append(("no difference at all: every run under each option equals its matched baseline run (under these settings the factor has no effect)", false))
                items.append(HTML.element("li", [.element(HTML.paragraph(runs: runs + [(".", false)]))]))
                continue
            }
            if clear {
                runs.append(("\(option) meets \(size) percentage points \(direction) of the LAA targets than \(base)", false))
            } else {
                runs.append(("no clear difference: the largest, \(option) against \(base), is \(pp(d.mean)) percentage points", false))
            }
            runs.append((" (95% CI \(pp(d.lower)) to \(pp(d.upper)); better in \(Format.percent(strongest.shareBetter)) of matched runs, worse in \(Format.percent(strongest.shareWorse))).", false))
            items.append(HTML.element("li", [.element(HTML.paragraph(runs: runs))]))
        }
        var content: [Element] = []
        if !items.isEmpty { content.append(HTML.element("ul", ["class": "findings"], elements: items)) }
        if !comparisons.isEmpty {
            content.append(HTML.figure(sharePlot(comparisons), wide: true))
            content.append(HTML.paragraph("Each option of a factor is compared with the factor's first value in matched pairs: the same replication and the same values of the other factors. A square is the mean paired difference and the whisker its 95% confidence interval; an interval clear of the zero line is a difference the runs establish.", class: "small"))
        }
        for reason in skipped {
            content.append(HTML.notice("Not compared: \(reason)."))
        }

        // Best and worst design points.
        let ranked = ranked(sweep.data)
        if ranked.count > 1 {
            let shown = ranked.count <= 8 ? ranked : Array(ranked.prefix(4)) + Array(ranked.suffix(3))
            let rows: [[String]] = shown.enumerated().map { n, group in
                let point = Int(group.key[0]) ?? 0
                let e = group.estimates[0]!, t = group.estimates[1]
                let rank = ranked.firstIndex { $0.key == group.key }! + 1
                return ["\(rank)", "\(point)", pointDescription(sweep, point: point),
                        Format.percent(e.mean, decimals: 1),
                        ciRange(e),
                        group.meetProbability.map { Format.percent($0.estimate) } ?? "\u{2013}",
                        t.map { NumberFormat.fixed($0.mean, decimals: 2) } ?? "\u{2013}"]
            }
            content.append(HTML.table(
                header: ["Rank", "Point", "Design point", "Targets met", "95% CI", "P(\u{2265} \(threshold))", "Trust at end"],
                rows: rows, numeric: [0, 1, 3, 4, 5, 6],
                caption: ranked.count <= 8 ? "Design points by share of LAA targets met" : "The four best and three worst of \(ranked.count) design points by share of LAA targets met"))
        }
        return HTML.section("Main findings", id: "findings", content)
    }

    /// Design points by mean share of targets met, best first (ties by point id), with their
    /// estimates of the share and of mean trust at the end.
    static func ranked(_ data: SweepData) -> [Analysis.GroupSummary] {
        Analysis.summarize(data, by: [], measures: [share, trust])
            .filter { $0.estimates[0] != nil }
            .sorted { a, b in
                let x = a.estimates[0]!.mean, y = b.estimates[0]!.mean
                return x != y ? x > y : (Int(a.key[0]) ?? 0) < (Int(b.key[0]) ?? 0)
            }
    }

    // MARK: Sampled designs

    static func sampledTiles(_ sweep: SweepFolder) -> Element {
        let ok = sweep.data.runs.compactMap(\.measures)
        let shares = ok.map { $0[share] }
        let wilson = Analysis.wilson(successes: shares.filter { TargetShareThreshold.isMet($0) }.count, trials: shares.count)
        var tiles = [
            HTML.tile(label: "Runs", value: NumberFormat.fixed(Double(ok.count), decimals: 0),
                      note: "\(sweep.data.pointValues.count) design points \u{00D7} \(Format.count(sweep.record.replications, "replication"))"),
            HTML.tile(label: "Share of LAA targets met (mean)", value: Format.percent(SampleSummary(shares).mean, decimals: 1),
                      note: "over every run of the sweep"),
            HTML.tile(label: "Runs meeting at least \(threshold) of targets", value: Format.percent(wilson.estimate),
                      note: "95% interval \(Format.range(Format.percent(wilson.lower), Format.percent(wilson.upper)))"),
        ]
        if let box = sweep.discovery {
            tiles.append(HTML.tile(label: "In the discovered box", value: Format.percent(box.box.density),
                                   note: "meet \(box.condition.text), against \(Format.percent(box.baseDensity)) overall"))
        } else {
            tiles.append(HTML.tile(label: "Factors sampled", value: "\(sweep.variedFactors.count)",
                                   note: "\(sweep.record.design) design"))
        }
        return HTML.element("div", ["class": "tiles"], elements: tiles)
    }

    /// Findings of a sampled design: the factor that matters most for each measure, and the box.
    static func sampledFindings(_ sweep: SweepFolder, factors: [(index: Int, name: String, levels: [String])]) -> Element {
        var items: [Element] = []
        for file in sweep.sensitivity {
            let scenarios = Set(file.results.map(\.scenario)).count
            for result in file.results where result.error == nil {
                let measure = measureLabel(result.measure).capitalisedFirst + (scenarios > 1 ? " on \(result.scenario)" : "")
                var ranking: [(String, String)] = []
                if let indices = result.indices {
                    ranking = indices.sorted { $0.totalOrder > $1.totalOrder }.prefix(3).map { index in
                        let interval = index.totalOrderLow.flatMap { low in index.totalOrderHigh.map { " [\(Format.number(low, digits: 2)), \(Format.number($0, digits: 2))]" } } ?? ""
                        return (FactorLabel.readable(index.factor), "total-order index \(Format.number(index.totalOrder, digits: 2))\(interval)")
                    }
                } else if let effects = result.effects {
                    ranking = effects.sorted { $0.muStar > $1.muStar }.prefix(3).map { ($0.factor, "mu* \(Format.number($0.muStar, digits: 2))") }
                        .map { (FactorLabel.readable($0.0), $0.1) }
                }
                guard let first = ranking.first else { continue }
                let rest = ranking.dropFirst().map { "\($0.0) (\($0.1))" }.joined(separator: " and ")
                items.append(HTML.element("li", [.element(HTML.paragraph(runs: [
                    ("\(measure): ", true),
                    ("\(first.0) matters most (\(first.1))" + (rest.isEmpty ? "." : ", then \(rest)."), false),
                ]))]))
            }
        }
        if let summary = sweep.discovery?.summary {
            items.append(HTML.element("li", [.element(HTML.paragraph(runs: [("Scenario discovery: ", true), (summary, false)]))]))
        }
        var content: [Element] = []
        if items.isEmpty {
            content.append(HTML.paragraph("This sweep samples \(factors.count) factor\(factors.count == 1 ? "" : "s") at \(sweep.data.pointValues.count) points (a \(sweep.record.design) design), so its options cannot be compared one by one. `lspsim sensitivity` measures which factors matter and `lspsim discover` finds the ranges where a condition holds; run them into this folder's sweep and the report shows their results. Below: how the share of targets met changes across each factor's range."))
        } else {
            content.append(HTML.element("ul", ["class": "findings"], elements: items))
        }
        return HTML.section("Main findings", id: "findings", content)
    }

    /// How the share of targets met moves across each numeric factor's range: the mean (with its
    /// 95% confidence interval) of the runs at each value (up to eight values) or in each of eight
    /// equal slices of the range.
    static func mainEffectsSection(_ sweep: SweepFolder, factors: [(index: Int, name: String, levels: [String])]) -> Element {
        let data = sweep.data
        var figures: [Element] = []
        let bins = 8
        for factor in factors {
            let numbers = data.pointNumbers.map { $0[factor.index] }
            guard numbers.allSatisfy({ $0 != nil }) else { continue }
            let values = numbers.map { $0! }
            guard let low = values.min(), let high = values.max(), high > low else { continue }
            // A factor with a few values (a Morris grid) by value, else by eighths of its range.
            let levels = Array(Set(values)).sorted()
            let byLevel = levels.count <= bins
            let centres = byLevel ? levels : (0..<bins).map { low + (Double($0) + 0.5) * (high - low) / Double(bins) }
            var groups = [[Double]](repeating: [], count: centres.count)
            for run in data.runs {
                guard let m = run.measures else { continue }
                let x = values[run.point - 1]
                let slot = byLevel ? levels.firstIndex(of: x)! : min(bins - 1, Int((x - low) / (high - low) * Double(bins)))
                groups[slot].append(m[share])
            }
            var x: [Double] = [], mean: [Double] = [], lower: [Double] = [], upper: [Double] = []
            for (b, group) in groups.enumerated() where group.count >= 2 {
                let e = Estimate(group)
                x.append(centres[b])
                mean.append(e.mean)
                lower.append(e.lower ?? e.mean)
                upper.append(e.upper ?? e.mean)
            }
            guard x.count >= 2 else { continue }
            let last = factor.name.split(separator: ".").last.map(String.init) ?? factor.name
            let percent = (last.hasSuffix("fraction") || last.hasSuffix("share")) && low >= 0 && high <= 1
            var chart = LineChart(
                title: "Share of targets met across \(FactorLabel.readable(factor.name))",
                subtitle: byLevel ? "Mean of the runs at each value sampled, over every value of the other factors"
                    : "Mean of the runs in each eighth of the range sampled, over every value of the other factors",
                xTitle: AxisTitle(FactorLabel.readable(factor.name).capitalisedFirst, unit: percent ? "%" : nil),
                yTitle: AxisTitle("Share of targets met", unit: "%"),
                series: [.init(name: "", colour: Palette.blue, x: x, median: mean, lower: lower, upper: upper)])
            chart.medianLabel = "Mean"
            chart.bandLabel = "95% confidence interval of the mean"
            chart.xFormat = percent ? .percent : .number
            chart.yFormat = .percent
            figures.append(HTML.figure(chart))
        }
        return HTML.section("Targets met across each factor's range", id: "main-effects", [
            HTML.paragraph("One factor at a time, averaged over the others: a rising line means higher values of the factor go with more targets met. With factors sampled together these are marginal effects; the sensitivity indices, where present, separate the factors' own effects from their interactions."),
            HTML.grid(figures),
        ])
    }

    // MARK: Options

    static func optionsSection(_ sweep: SweepFolder, factors: [(index: Int, name: String, levels: [String])],
                               sampled: [(index: Int, name: String, levels: [String])]) -> Element {
        let data = sweep.data
        var content: [Element] = [HTML.paragraph("For each factor, how many LAA targets the runs meet under each of its values, over every combination of the other factors. The table beside each chart gives the mean share of targets met with its 95% confidence interval and the chance of meeting at least \(threshold) of the targets.")]
        let totals = Set(data.runs.compactMap { $0.measures?[total] })
        let byCount = totals.count == 1
        let k = Int(totals.first ?? 0)

        func distribution(_ title: String, groups: [(name: String, points: Set<Int>)]) -> GroupedBarChart {
            var values: [[Double]] = []
            for group in groups {
                let runs = data.runs.filter { group.points.contains($0.point) }.compactMap(\.measures)
                var counts = [Double](repeating: 0, count: byCount ? k + 1 : 11)
                for m in runs {
                    let bin = byCount ? Int(m[met]) : Int((m[share] * 10).rounded())
                    if bin >= 0 && bin < counts.count { counts[bin] += 1 }
                }
                values.append(counts.map { runs.isEmpty ? 0 : $0 / Double(runs.count) })
            }
            return GroupedBarChart(
                title: title,
                subtitle: byCount ? "Share of runs meeting each number of the \(k) LAA targets" : "Share of runs by share of targets met (nearest 10%)",
                categories: byCount ? (0...k).map(String.init) : (0...10).map { "\($0 * 10)%" },
                groups: groups.enumerated().map { .init(name: $1.name, colour: Palette.colour($0), values: values[$0]) },
                xTitle: byCount ? AxisTitle("LAA targets met", unit: "of \(k)") : AxisTitle("Share of LAA targets met", unit: "%"),
                yTitle: AxisTitle("Share of runs", unit: "%"), yFormat: .percent)
        }

        func summaryTable(by factor: Int?, labels: [String]) -> Element {
            let groups = Analysis.summarize(data, by: factor.map { [$0] } ?? [], measures: [share])
            let rows: [[String]] = groups.enumerated().map { n, group in
                let e = group.estimates[0]
                return [labels.indices.contains(n) ? labels[n] : group.key.joined(separator: ", "),
                        "\(group.runs - group.failed)",
                        e.map { Format.percent($0.mean, decimals: 1) } ?? "\u{2013}",
                        e.map(ciRange) ?? "\u{2013}",
                        group.meetProbability.map { "\(Format.percent($0.estimate)) [\(Format.percent($0.lower)), \(Format.percent($0.upper))]" } ?? "\u{2013}"]
            }
            return HTML.element("div", ["class": "table-cell"], elements: [
                HTML.table(header: ["Option", "Runs", "Targets met", "95% CI", "P(\u{2265} \(threshold)) [95% CI]"], rows: rows, numeric: [1, 2, 3, 4]),
            ])
        }

        let points = data.pointValues.count
        if points <= 6 {
            let labels = (1...points).map { "Point \($0)" + (points > 1 ? ": " + pointDescription(sweep, point: $0) : "") }
            let chart = distribution(points == 1 ? "LAA targets met" : "LAA targets met by design point",
                                     groups: labels.enumerated().map { ($1, [$0 + 1]) })
            content.append(HTML.grid([HTML.figure(chart), summaryTable(by: nil, labels: labels)]))
        } else {
            for factor in factors {
                let labels = factor.levels.map { optionLabel(factor.name, $0) }
                let groups = factor.levels.enumerated().map { n, level in
                    (labels[n], Set(data.pointValues.indices.filter { data.pointValues[$0][factor.index] == level }.map { $0 + 1 }))
                }
                let chart = distribution("LAA targets met by \(FactorLabel.readable(factor.name))", groups: groups)
                content.append(HTML.keep([HTML.text("h3", "\(FactorLabel.readable(factor.name).capitalisedFirst) (\(factor.name))"),
                                          HTML.grid([HTML.figure(chart), summaryTable(by: factor.index, labels: labels)])]))
            }
        }
        if !sampled.isEmpty {
            content.append(HTML.notice("\(sampled.map(\.name).joined(separator: ", ")) \(sampled.count == 1 ? "takes" : "take") more than \(maximumOptions) values each, too many to compare option by option; see how the share of targets met changes across \(sampled.count == 1 ? "its range" : "their ranges") below."))
        }
        return HTML.section("LAA targets met, option by option", id: "options", content)
    }

    // MARK: Comparisons

    static func colour(_ c: Analysis.Comparison) -> String {
        if let lower = c.difference.lower, lower > 0 { return Palette.bluishGreen }
        if let upper = c.difference.upper, upper < 0 { return Palette.vermillion }
        return Palette.reference
    }

    /// A forest plot of one measure's paired differences, a section per factor.
    static func intervalPlot(_ comparisons: [FactorComparison], title: String, subtitle: String, axis: AxisTitle, format: TickFormat,
                             pick: (FactorComparison) -> [Analysis.Comparison], note: (Analysis.Comparison) -> String) -> IntervalPlot {
        var plot = IntervalPlot(
            title: title, subtitle: subtitle,
            sections: comparisons.map { entry in
                .init(title: "\(FactorLabel.readable(entry.factor.name).capitalisedFirst): against \(optionLabel(entry.factor.name, entry.factor.levels[0]))",
                      rows: pick(entry).map { c in
                          .init(label: optionLabel(entry.factor.name, c.option), estimate: c.difference.mean,
                                lower: c.difference.lower ?? c.difference.mean, upper: c.difference.upper ?? c.difference.mean,
                                colour: colour(c), note: note(c))
                      })
            },
            xTitle: axis, xFormat: format)
        plot.legend = [LegendEntry("Higher than baseline (95% CI above 0)", .interval(colour: Palette.bluishGreen)),
                       LegendEntry("Lower (95% CI below 0)", .interval(colour: Palette.vermillion)),
                       LegendEntry("No clear difference (95% CI includes 0)", .interval(colour: Palette.reference))]
        return plot
    }

    /// The paired differences in the share of targets met, in percentage points.
    static func sharePlot(_ comparisons: [FactorComparison]) -> IntervalPlot {
        intervalPlot(comparisons, title: "Difference in the share of LAA targets met, against each factor's baseline",
                     subtitle: "Mean paired difference with its 95% confidence interval, in percentage points",
                     axis: AxisTitle("Difference in share of targets met", unit: "percentage points"), format: .hundredths,
                     pick: { $0.share }) { c in
            // One decimal, or two where the interval is narrower than a point.
            let half = ((c.difference.upper ?? c.difference.mean) - (c.difference.lower ?? c.difference.mean)) / 2 * 100
            let decimals = half >= 0.5 ? 1 : 2
            func pp(_ x: Double?) -> String {
                guard let x, x.isFinite else { return "\u{2013}" }
                let text = NumberFormat.fixed(x * 100, decimals: decimals)
                return x > 0 && text.contains(where: { $0 != "0" && $0 != "." }) ? "+" + text : text
            }
            return "\(pp(c.difference.mean)) [\(pp(c.difference.lower)), \(pp(c.difference.upper))]"
        }
    }

    /// The trust plot and the table of every comparison.
    static func comparisonDetails(_ comparisons: [FactorComparison]) -> Element {
        var content: [Element] = [HTML.paragraph("The same matched pairs, for the partners' mean trust at the end of the run, and every comparison's figures: the mean under the option and under its baseline, the mean paired difference with its 95% confidence interval, the standardised effect size d_z (mean difference over the standard deviation of the differences), and the shares of pairs in which the option did better and worse.")]
        let trustPlot = intervalPlot(comparisons, title: "Difference in mean trust at the end, against each factor's baseline",
                                     subtitle: "Mean paired difference in trust (on a 0\u{2013}1 scale) with its 95% confidence interval",
                                     axis: AxisTitle("Difference in mean trust at the end", unit: "0\u{2013}1 scale"), format: .number,
                                     pick: { $0.trust }) { c in
            "\(signed(c.difference.mean)) [\(signed(c.difference.lower ?? .nan)), \(signed(c.difference.upper ?? .nan))]"
        }
        content.append(HTML.figure(trustPlot, wide: true))
        var rows: [[String]] = []
        for entry in comparisons {
            for c in entry.share {
                rows.append([entry.factor.name, optionLabel(entry.factor.name, c.option), optionLabel(entry.factor.name, entry.factor.levels[0]),
                             Format.percent(c.optionMean, decimals: 1), Format.percent(c.baselineMean, decimals: 1),
                             Format.points(c.difference.mean, digits: 3),
                             Format.interval(Format.points(c.difference.lower ?? .nan, digits: 3), Format.points(c.difference.upper ?? .nan, digits: 3)),
                             c.effectSize.map { Format.number($0, digits: 2) } ?? "\u{2013}",
                             Format.percent(c.shareBetter), Format.percent(c.shareWorse), "\(c.pairs)"])
            }
        }
        content.append(HTML.table(
            header: ["Factor", "Option", "Baseline", "Met", "Baseline met", "Difference (pp)", "95% CI (pp)", "d_z", "Better", "Worse", "Pairs"],
            rows: rows, numeric: Set(3...10), caption: "Share of LAA targets met: paired comparisons (pp: percentage points)"))
        return HTML.section("Trust, and the comparisons in figures", id: "comparisons", content)
    }

    /// The 95% confidence interval of a mean share as a percentage range; a dash for a single run.
    static func ciRange(_ e: Estimate) -> String {
        guard let lower = e.lower, let upper = e.upper else { return "\u{2013}" }
        return Format.range(Format.percent(lower, decimals: 1), Format.percent(upper, decimals: 1))
    }

    static func signed(_ value: Double) -> String {
        let text = Format.number(value, digits: 2)
        return value > 0 && text != "0" ? "+" + text : text
    }

    // MARK: Trajectories

    static func trajectorySection(_ sweep: SweepFolder, series: SweepSeries, factors: [(index: Int, name: String, levels: [String])]) -> Element {
        let data = sweep.data
        var content: [Element] = [HTML.paragraph("The sweep kept each run's series. Lines: median over the runs with that value of the factor (over every combination of the other factors); bands: 5th to 95th percentile.")]
        guard !factors.isEmpty else {
            content.append(HTML.notice("No factor has between 2 and 6 values, so trajectories are not compared by option."))
            return HTML.section("Trajectories by option", id: "trajectories", content)
        }
        let quarters = series.maximumQuarter
        if !series.quarterRecords.isEmpty {
            var figures: [Element] = []
            for factor in factors {
                let labels = factor.levels.map { optionLabel(factor.name, $0) }
                for (field, title, unit, format) in [(0, "Aligned share of spend", "%", TickFormat.percent), (1, "Mean trust", "0\u{2013}1", .number)] {
                    let values = series.quarterValues(data, factor: factor.index, levels: factor.levels, field: field)
                    var chart = LineChart(
                        title: "\(title) by \(FactorLabel.readable(factor.name))", subtitle: nil, xTitle: "Quarter", yTitle: AxisTitle(title, unit: unit),
                        series: values.enumerated().map { n, perQuarter in
                            let band = Band(perQuarter)
                            return .init(name: labels[n], colour: Palette.colour(n), x: (1...max(1, perQuarter.count)).map(Double.init),
                                         median: band.median, lower: band.lower, upper: band.upper)
                        })
                    chart.yFormat = format
                    chart.yDomain = (0, 1)
                    figures.append(HTML.figure(chart))
                }
            }
            content.append(HTML.grid(figures))
        }
        if !series.indicators.isEmpty {
            let chosen = sweep.options.trajectoryFactor.flatMap { name in factors.first { $0.name == name } } ?? factors[0]
            if let wanted = sweep.options.trajectoryFactor, wanted != chosen.name {
                content.append(HTML.notice("--by \(wanted): not a factor with 2 to 6 values; indicators are shown by \(chosen.name) instead."))
            }
            // The base scenarios' indicators: names, units, and baselines and targets where every
            // scenario that has the indicator agrees on them (else no reference lines).
            var infos: [ScenarioInfo] = []
            for file in Array(Set(sweep.pointScenarios)).sorted() {
                let (loaded, note) = ScenarioInfo.load(candidates: sweep.scenarioCandidates(file), named: file)
                if let loaded { infos.append(loaded) }
                if let note { content.append(HTML.notice(note.capitalisedFirst + ".")) }
            }
            func indicatorInfo(_ id: String) -> (info: IndicatorInfo, agreed: Bool)? {
                let found = infos.compactMap { $0.indicators.first { $0.id == id } }
                guard let first = found.first else { return nil }
                return (first, found.allSatisfy { $0.baseline == first.baseline && $0.target == first.target && $0.higherIsBetter == first.higherIsBetter })
            }
            var ids = series.indicatorIDs
            if !infos.isEmpty {
                let laa = ids.filter { id in infos.contains { $0.indicators.contains { $0.id == id && $0.laaTarget } } }
                if !laa.isEmpty { ids = laa }
            }
            let labels = chosen.levels.map { optionLabel(chosen.name, $0) }
            var figures: [Element] = []
            for id in ids {
                let found = indicatorInfo(id)
                let indicator = found?.info
                let values = series.indicatorValues(data, factor: chosen.index, levels: chosen.levels, id: id)
                var references: [LineChart.Reference] = []
                if let indicator, found?.agreed == true {
                    references = [
                        .init(name: "Baseline", points: [Point(0, indicator.baseline), Point(Double(quarters), indicator.baseline)]),
                        .init(name: "Target trajectory", points: [Point(0, indicator.baseline), Point(Double(quarters), indicator.target)],
                              colour: Palette.black, dash: "6 4", markEnd: true),
                    ]
                }
                let chart = LineChart(
                    title: indicator.map { "\(id): \($0.name)" } ?? id,
                    subtitle: indicator.map { found?.agreed == true
                        ? "Target \(Format.number($0.target, digits: 4)) by quarter \(quarters), from \(Format.number($0.baseline, digits: 4)) (\($0.higherIsBetter ? "higher" : "lower") is better)"
                        : "The base scenarios give this indicator different baselines or targets" },
                    xTitle: "Quarter", yTitle: AxisTitle(id, unit: indicator?.unit),
                    series: values.enumerated().map { n, perQuarter in
                        let band = Band(perQuarter)
                        return .init(name: labels[n], colour: Palette.colour(n), x: (0..<perQuarter.count).map(Double.init),
                                     median: band.median, lower: band.lower, upper: band.upper)
                    },
                    references: references)
                figures.append(HTML.figure(chart))
            }
            content.append(HTML.text("h3", "LAA indicators by \(FactorLabel.readable(chosen.name)) (\(chosen.name))"))
            content.append(HTML.grid(figures))
        }
        return HTML.section("Trajectories by option", id: "trajectories", content)
    }

    // MARK: Sensitivity and discovery

    static func sensitivitySection(_ files: [SensitivityFile]) -> Element {
        var content: [Element] = []
        for file in files {
            let samples = file.design?.samples.map(String.init) ?? "?"
            let runs = file.design?.runs.map { NumberFormat.fixed(Double($0), decimals: 0) } ?? "?"
            if file.method == "sobol" {
                content.append(HTML.paragraph("Sobol indices (\(file.file)): the share of the variance of each measure due to each factor alone (first order, S1) and with all its interactions (total order, ST), from Saltelli's design with N = \(samples) base samples (\(runs) runs); whiskers: 95% bootstrap intervals. Factors are ranked by total order."))
            } else {
                content.append(HTML.paragraph("Morris elementary effects (\(file.file)): mu* is the mean absolute change of the measure when a factor moves across its full range, sigma the spread of those changes (large: the effect depends on the other factors), from \(samples) trajectories (\(runs) runs); whiskers: 95% bootstrap intervals of mu*. Factors are ranked by mu*."))
            }
            let scenarios = Set(file.results.map(\.scenario)).count
            var figures: [Element] = []
            for result in file.results {
                let measure = measureLabel(result.measure) + (scenarios > 1 ? " on \(result.scenario)" : "")
                if let error = result.error {
                    content.append(HTML.notice("\(measure.capitalisedFirst): no \(file.method == "sobol" ? "indices" : "effects"): \(error)."))
                    continue
                }
                if let indices = result.indices, !indices.isEmpty {
                    let order = indices.indices.sorted { indices[$0].totalOrder > indices[$1].totalOrder }
                    var chart = IndexBarChart(
                        title: "Sobol indices: \(measure)",
                        subtitle: result.sumFirstOrder.map { "Sum of first-order indices \(Format.number($0, digits: 2)): about \(Format.percent(max(0, 1 - $0))) of the variance comes from interactions" },
                        labels: order.map { FactorLabel.readable(indices[$0].factor) },
                        series: [
                            .init(name: "First order (S1)", colour: Palette.blue, values: order.map { indices[$0].firstOrder },
                                  lower: order.map { indices[$0].firstOrderLow }, upper: order.map { indices[$0].firstOrderHigh }),
                            .init(name: "Total order (ST)", colour: Palette.orange, values: order.map { indices[$0].totalOrder },
                                  lower: order.map { indices[$0].totalOrderLow }, upper: order.map { indices[$0].totalOrderHigh }),
                        ],
                        xTitle: AxisTitle("Share of the variance", unit: "index, 0\u{2013}1"))
                    chart.width = 560
                    figures.append(HTML.figure(chart))
                } else if let effects = result.effects, !effects.isEmpty {
                    let order = effects.indices.sorted { effects[$0].muStar > effects[$1].muStar }
                    var chart = IndexBarChart(
                        title: "Morris effects: \(measure)", subtitle: "Change of the measure per full range of each factor",
                        labels: order.map { FactorLabel.readable(effects[$0].factor) },
                        series: [
                            .init(name: "mu* (mean absolute effect)", colour: Palette.blue, values: order.map { effects[$0].muStar },
                                  lower: order.map { effects[$0].muStarLow }, upper: order.map { effects[$0].muStarHigh }),
                            .init(name: "sigma (spread of effects)", colour: Palette.skyBlue, values: order.map { effects[$0].sigma }),
                        ],
                        xTitle: AxisTitle("Effect on \(measureLabel(result.measure))", unit: RunMeasure.named(result.measure)?.unit))
                    chart.width = 560
                    figures.append(HTML.figure(chart))
                }
            }
            content.append(HTML.grid(figures))
        }
        return HTML.section("Sensitivity: which factors matter", id: "sensitivity", content)
    }

    static func discoverySection(_ box: DiscoveryBoxFile) -> Element {
        var content: [Element] = [
            HTML.paragraph("Scenario discovery (PRIM, discover-box.json) looks for the ranges of the factors under which the condition \u{201C}\(box.condition.text)\u{201D} mostly holds."),
        ]
        if let summary = box.summary { content.append(HTML.paragraph(runs: [(summary, true)])) }
        content.append(HTML.element("div", ["class": "tiles"], elements: [
            HTML.tile(label: "Runs meeting the condition, in the box", value: Format.percent(box.box.density),
                      note: "density; \(Format.percent(box.baseDensity)) of all \(box.runs.used) runs"),
            HTML.tile(label: "Coverage", value: Format.percent(box.box.coverage),
                      note: "of the \(box.runs.meetingCondition) runs meeting it lie in the box"),
            HTML.tile(label: "Mass", value: Format.percent(box.box.mass), note: "of all runs lie in the box (\(box.box.runs))"),
        ]))
        let ranges = box.limits.filter { $0.kind == "range" && $0.dataMin != nil && $0.dataMax != nil }
        if !ranges.isEmpty {
            var chart = RangeChart(
                title: "The box: ranges of the factors where \(box.condition.text) mostly holds",
                subtitle: "Grey: the range the sweep explored; green: the values of the runs inside the box, for the factors the box restricts",
                rows: ranges.map { limit in
                    let restricted = limit.restricted
                    let lower = restricted ? (limit.observedMin ?? limit.dataMin!) : limit.dataMin!
                    let upper = restricted ? (limit.observedMax ?? limit.dataMax!) : limit.dataMax!
                    return .init(label: limit.name ?? FactorLabel.readable(limit.factor), full: (limit.dataMin!, limit.dataMax!), part: (lower, upper),
                                 format: limit.percentage == true ? .percent : .number, restricted: restricted)
                })
            chart.partLabel = "Box"
            content.append(HTML.figure(chart, wide: true))
        }
        let categorical = box.limits.filter { $0.kind == "categories" }
        if !categorical.isEmpty {
            content.append(HTML.table(
                header: ["Factor", "In the box", "All values"],
                rows: categorical.map { [$0.factor, $0.restricted ? ($0.categories ?? []).joined(separator: "; ") : "any", ($0.allCategories ?? []).joined(separator: "; ")] },
                caption: "Factors with categories"))
        }
        return HTML.section("Scenario discovery: where the condition holds", id: "discovery", content)
    }

    // MARK: Labels

    /// A factor value for a reader: fractions and shares as percentages ("5%"), else as stored.
    static func optionLabel(_ factor: String, _ value: String) -> String {
        let last = factor.split(separator: ".").last.map(String.init) ?? factor
        guard let number = Double(value), number.isFinite else { return value }
        if last.hasSuffix("fraction") || last.hasSuffix("share"), number >= 0, number <= 1 {
            return NumberFormat.significant(number * 100, digits: 3) + "%"
        }
        // Sampled values (0.6005072759018124) to four significant digits; grid values stay as written.
        return value.count > 6 ? NumberFormat.significant(number, digits: 4) : value
    }

    /// A design point's values, readable: "levels [strategic], decision rule consensus, pooled fraction 2%".
    static func pointDescription(_ sweep: SweepFolder, point: Int) -> String {
        guard point >= 1, point <= sweep.data.pointValues.count else { return "" }
        let varied = sweep.variedFactors
        guard !varied.isEmpty else { return sweep.pointScenarios[point - 1] }
        return varied.map { "\(FactorLabel.readable($0.name)) \(optionLabel($0.name, sweep.data.pointValues[point - 1][$0.index]))" }.joined(separator: ", ")
    }

    static func footer(_ sweep: SweepFolder) -> Element {
        var files = ["results.sqlite"]
        files += sweep.sensitivity.map(\.file)
        if sweep.discovery != nil { files.append("discover-box.json") }
        return HTML.element("footer", elements: [HTML.paragraph("Written by lspsim report from \(sweep.directory.lastPathComponent)/ (\(files.joined(separator: ", "))). The sweep is reproducible: `lspsim sweep \(sweep.record.file)` with the same lspsim and GSL versions gives the same runs.")])
    }
}
