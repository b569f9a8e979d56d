import Charts
import Testing
import TestSupport

@Suite("Charts of known data")
struct ChartTests {
    /// A trajectory over quarters 0...4 with its band, a baseline and a target trajectory.
    func lineChart(band: Bool = true) -> LineChart {
        LineChart(
            title: "NI117 <NEET> & friends", subtitle: "Median and 5-95% of 100 runs",
            xTitle: AxisTitle("Quarter"), yTitle: AxisTitle("Value", unit: "% of cohort"),
            series: [.init(name: "", x: [0, 1, 2, 3, 4], median: [7, 6.8, 6.5, 6.2, 6.0],
                           lower: band ? [7, 6.5, 6.1, 5.7, 5.3] : nil, upper: band ? [7, 7.1, 6.9, 6.7, 6.6] : nil)],
            references: [
                .init(name: "Baseline", points: [Point(0, 7), Point(4, 7)]),
                .init(name: "Target trajectory", points: [Point(0, 7), Point(4, 5.8)], colour: Palette.vermillion, markEnd: true),
            ])
    }

    @Test("a line chart has its title, axis titles with unit, band, median, references and legend, escaped")
    func lineChartElements() throws {
        let svg = lineChart().svg()
        #expect(svg.contains("NI117 &lt;NEET&gt; &amp; friends"))
        let tree = try XMLTree.parse(svg)
        #expect(tree.name == "svg")
        #expect(tree.all("title").first?.allText == "NI117 <NEET> & friends")
        #expect(tree.withClass("chart-title").first?.allText == "NI117 <NEET> & friends")
        let axisTitles = tree.withClass("axis-title").map(\.allText)
        #expect(axisTitles == ["Quarter", "Value (% of cohort)"])

        let bands = tree.withClass("band")
        try #require(bands.count == 1)
        let bandCommands = pathCommands(bands[0].attributes["d"]!)
        #expect(bandCommands.map(\.command) == ["M"] + Array(repeating: "L", count: 9) + ["Z"])

        let medians = tree.withClass("median")
        try #require(medians.count == 1)
        let medianPoints = pathCommands(medians[0].attributes["d"]!)
        #expect(medianPoints.map(\.command) == ["M", "L", "L", "L", "L"])
        // The median lies inside the band at every quarter (y grows downwards: upper edge has the smaller y).
        for (q, point) in medianPoints.enumerated() {
            let upperY = bandCommands[q].values[1], lowerY = bandCommands[9 - q].values[1]
            #expect(upperY <= point.values[1] && point.values[1] <= lowerY, "quarter \(q)")
        }
        // x positions increase evenly with the quarter.
        let xs = medianPoints.map { $0.values[0] }
        #expect(abs((xs[4] - xs[0]) - 4 * (xs[1] - xs[0])) < 0.05)

        let references = tree.withClass("reference")
        #expect(references.map { $0.attributes["data-series"] } == ["Baseline", "Target trajectory"])
        #expect(references.allSatisfy { $0.attributes["stroke-dasharray"] != nil })
        // The baseline is horizontal; the target trajectory falls (a lower y value is higher up, so it rises on screen... no: it falls in value, so y grows).
        let baseline = pathCommands(references[0].attributes["d"]!)
        #expect(baseline[0].values[1] == baseline[1].values[1])
        let target = pathCommands(references[1].attributes["d"]!)
        #expect(target[1].values[1] > target[0].values[1])

        let legend = tree.withClass("legend-entry").map(\.allText)
        #expect(legend == ["Median", "5\u{2013}95% of runs", "Baseline", "Target trajectory"])
        // The y axis covers every value drawn: its tick labels span 5.3 ... 7.1 at least.
        let yTicks = tree.withClass("y-axis").flatMap { $0.all("text") }.compactMap { Double($0.allText.replacingOccurrences(of: "\u{2212}", with: "-")) }
        #expect(yTicks.min()! <= 5.3 && yTicks.max()! >= 7.1, "\(yTicks)")
    }

    @Test("a series without a band draws no band and has no band legend entry")
    func noBand() throws {
        let tree = try XMLTree.parse(lineChart(band: false).svg())
        #expect(tree.withClass("band").isEmpty)
        #expect(!tree.withClass("legend-entry").map(\.allText).contains("5\u{2013}95% of runs"))
    }

    @Test("grouped bars: one bar per category and group, heights proportional to values, from the axis")
    func bars() throws {
        let chart = GroupedBarChart(
            title: "Targets met", categories: ["0", "1", "2"],
            groups: [.init(name: "Strategic", values: [0.5, 0.25, 0.25]), .init(name: "With executive", values: [0.1, 0.4, 0.5])],
            xTitle: "Targets met (of 2)", yTitle: AxisTitle("Share of runs", unit: "%"), yFormat: .percent)
        let tree = try XMLTree.parse(chart.svg())
        let series = tree.withClass("bars")
        #expect(series.map { $0.attributes["data-series"] } == ["Strategic", "With executive"])
        let rects = series.map { $0.all("rect") }
        #expect(rects.map(\.count) == [3, 3])
        let heights = rects.map { $0.map { $0.number("height")! } }
        // 0.5 is twice 0.25, and 0.5 under both groups is the same height.
        #expect(abs(heights[0][0] - 2 * heights[0][1]) < 0.02)
        #expect(abs(heights[0][0] - heights[1][2]) < 0.02)
        let bottoms = rects.flatMap { $0.map { $0.number("y")! + $0.number("height")! } }
        #expect(Set(bottoms.map { ($0 * 10).rounded() }).count == 1, "bars stand on one axis: \(bottoms)")
        // Colours from the palette, distinct per group; legend names the groups.
        #expect(rects[0][0].attributes["fill"] == Palette.colour(0) && rects[1][0].attributes["fill"] == Palette.colour(1))
        #expect(tree.withClass("legend-entry").map(\.allText) == ["Strategic", "With executive"])
        #expect(tree.withClass("y-axis").flatMap { $0.all("text") }.map(\.allText).contains("50%"))
    }

    @Test("a forest plot: intervals around estimates, a zero line, sections, figures at the right")
    func forest() throws {
        var plot = IntervalPlot(
            title: "Paired differences",
            sections: [
                .init(title: "governance.pooled_fraction (against 0)", rows: [
                    .init(label: "0.02", estimate: 0.013, lower: 0.011, upper: 0.015),
                    .init(label: "0.10", estimate: 0.064, lower: 0.060, upper: 0.068),
                ]),
                .init(title: "governance.decision_rule (against consensus)", rows: [
                    .init(label: "lead_partner", estimate: -0.017, lower: -0.020, upper: 0.003, colour: Palette.reference),
                ]),
            ],
            xTitle: AxisTitle("Difference in share of targets met", unit: "percentage points"), xFormat: .hundredths)
        plot.legend = [LegendEntry("95% confidence interval", .interval(colour: Palette.blue))]
        let tree = try XMLTree.parse(plot.svg())
        #expect(tree.withClass("section-title").map(\.allText) == ["governance.pooled_fraction (against 0)", "governance.decision_rule (against consensus)"])
        let intervals = tree.withClass("interval")
        #expect(intervals.map { $0.attributes["data-label"] } == ["0.02", "0.10", "lead_partner"])
        let zero = try #require(tree.withClass("zero-line").first)
        let zeroX = zero.number("x1")!
        for interval in intervals {
            let whisker = interval.withClass("whisker")[0], estimate = interval.withClass("estimate")[0]
            let lo = whisker.number("x1")!, hi = whisker.number("x2")!
            let centre = estimate.number("x")! + estimate.number("width")! / 2
            #expect(lo <= centre && centre <= hi)
            let label = interval.attributes["data-label"]!
            // Positive intervals lie right of zero, the one spanning zero crosses it.
            if label == "lead_partner" { #expect(lo < zeroX && hi > zeroX) } else { #expect(lo > zeroX) }
        }
        #expect(intervals[0].allText.contains("1.3 [1.1, 1.5]"))
        #expect(intervals[2].allText.contains("\u{2212}1.7 [\u{2212}2, 0.3]"))
        #expect(tree.withClass("axis-title").first?.allText == "Difference in share of targets met (percentage points)")
    }

    @Test("index bars: a bar per input and index with its whisker, starting at zero")
    func indexBars() throws {
        let chart = IndexBarChart(
            title: "Sobol indices", labels: ["pooled_fraction", "leadership", "scrutiny"],
            series: [
                .init(name: "First order", values: [0.5, 0.2, 0.01], lower: [0.45, 0.15, -0.02], upper: [0.55, 0.25, 0.04]),
                .init(name: "Total", values: [0.6, 0.3, 0.02], lower: [0.55, 0.25, nil], upper: [0.65, 0.35, nil]),
            ],
            xTitle: "Index")
        let tree = try XMLTree.parse(chart.svg())
        let bars = tree.withClass("index-bar")
        #expect(bars.count == 6)
        #expect(tree.withClass("whisker").count == 5)
        let starts = Set(bars.map { $0.number("x")! })
        #expect(starts.count == 1, "every bar starts at zero: \(starts)")
        let widths = bars.map { $0.number("width")! }
        #expect(abs(widths[0] - 2.5 * widths[2]) < 0.05, "0.5 is 2.5 times 0.2: \(widths)")
        #expect(tree.withClass("index-row").map { $0.attributes["data-label"] } == ["pooled_fraction", "leadership", "scrutiny"])
    }

    @Test("a range chart puts each sub-range inside its track, at the right place")
    func ranges() throws {
        let chart = RangeChart(title: "Box", rows: [
            .init(label: "pooled_fraction", full: (0, 0.1), part: (0.05, 0.1)),
            .init(label: "leadership", full: (0, 1), part: (0, 0.25)),
        ])
        let tree = try XMLTree.parse(chart.svg())
        let rows = tree.withClass("range-row")
        #expect(rows.count == 2)
        for (row, fraction) in zip(rows, [(0.5, 1.0), (0.0, 0.25)]) {
            let track = row.withClass("track")[0], part = row.withClass("part")[0]
            let left = track.number("x")!, width = track.number("width")!
            #expect(abs(part.number("x")! - (left + fraction.0 * width)) < 0.02)
            #expect(abs(part.number("width")! - (fraction.1 - fraction.0) * width) < 0.02)
        }
    }
}
