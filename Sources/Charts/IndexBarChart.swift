/// Horizontal bars of an index per input (sensitivity indices, elementary effects), several
/// series side by side within each row, each bar with its interval as a whisker.
public struct IndexBarChart: Chart {
    /// One index: a value per row, with optional interval ends.
    public struct Series: Sendable {
        public var name: String
        public var colour: String?
        public var values: [Double]
        /// Interval ends per row (nil where there is none).
        public var lower: [Double?], upper: [Double?]
        public init(name: String, colour: String? = nil, values: [Double], lower: [Double?]? = nil, upper: [Double?]? = nil) {
            self.name = name
            self.colour = colour
            self.values = values
            self.lower = lower ?? Array(repeating: nil, count: values.count)
            self.upper = upper ?? Array(repeating: nil, count: values.count)
        }
    }

    public var title: String
    public var subtitle: String?
    /// Row labels, top to bottom.
    public var labels: [String]
    public var series: [Series]
    public var xTitle: AxisTitle
    public var xFormat: TickFormat = .number
    /// A fixed x domain (made nice); nil: from 0 (or the smallest value) to the largest interval end.
    public var xDomain: (Double, Double)?
    public var width = 1000.0

    public init(title: String, subtitle: String? = nil, labels: [String], series: [Series], xTitle: AxisTitle) {
        self.title = title
        self.subtitle = subtitle
        self.labels = labels
        self.series = series
        self.xTitle = xTitle
    }

    /// The legend: one entry per series, none for a single series (the title names it).
    var legend: Legend {
        Legend(series.count > 1 ? series.indices.map { LegendEntry(series[$0].name, .bar(colour: colour($0))) } : [])
    }

    var barHeight: Double { series.count > 1 ? 11 : 14 }
    var rowHeight: Double { Double(series.count) * barHeight + 12 }
    func colour(_ index: Int) -> String { series[index].colour ?? Palette.colour(index) }

    public var height: Double {
        let frame = ChartFrame(width: width, title: title, subtitle: subtitle)
        return frame.headerHeight + legend.height(width: width - 2 * ChartFrame.inset) + 10 + Double(labels.count) * rowHeight + 52
    }

    public func element() -> Element {
        let frame = ChartFrame(width: width, title: title, subtitle: subtitle)
        let legendTop = frame.headerHeight - 4
        let plotTop = legendTop + legend.height(width: width - 2 * ChartFrame.inset) + 10
        let height = self.height
        let labelWidth = min(width * 0.34, labels.map { ChartStyle.textWidth($0, size: ChartStyle.labelSize) }.max() ?? 40)
        let plot = Rect(x: ChartFrame.inset + labelWidth + 14, y: plotTop, width: width - ChartFrame.inset - labelWidth - 14 - 24,
                        height: height - 52 - plotTop)
        let values = series.flatMap { s in s.values + s.lower.compactMap { $0 } + s.upper.compactMap { $0 } }.filter(\.isFinite)
        let domain = xDomain ?? (min(0, values.min() ?? 0), max(values.max() ?? 1, 1e-12))
        let scale = LinearScale(domain: domain, range: (plot.left, plot.right)).nice(count: 6)
        let axis = Axis(edge: .bottom, scale: scale, tickCount: 6, format: xFormat, title: xTitle)
        let zero = scale.map(max(min(0, scale.domain.upper), scale.domain.lower))

        var rows: [Element] = []
        for (r, label) in labels.enumerated() {
            let top = plot.top + Double(r) * rowHeight + 6
            var parts = [SVG.text(ChartStyle.truncate(label, toWidth: labelWidth, size: ChartStyle.labelSize), x: ChartFrame.inset,
                                  y: top + Double(series.count) * barHeight / 2 + 4, size: ChartStyle.labelSize)]
            for (s, item) in series.enumerated() where r < item.values.count {
                let y = top + Double(s) * barHeight
                let value = item.values[r]
                guard value.isFinite else { continue }
                let x = scale.map(value)
                parts.append(SVG.rect(Rect(x: zero, y: y + 1, width: x - zero, height: barHeight - 2), fill: colour(s))
                    .with("class", "index-bar").with("data-series", item.name).with("data-value", String(value)))
                if let lower = item.lower[r], let upper = item.upper[r], lower.isFinite, upper.isFinite {
                    let cy = y + barHeight / 2, lo = scale.map(lower), hi = scale.map(upper)
                    parts.append(SVG.line(x1: lo, y1: cy, x2: hi, y2: cy, stroke: Palette.ink, width: 1.25).with("class", "whisker"))
                    parts.append(SVG.line(x1: lo, y1: cy - 3.5, x2: lo, y2: cy + 3.5, stroke: Palette.ink, width: 1.25))
                    parts.append(SVG.line(x1: hi, y1: cy - 3.5, x2: hi, y2: cy + 3.5, stroke: Palette.ink, width: 1.25))
                }
            }
            rows.append(Element("g", ["class": "index-row", "data-label": label], parts.map(Node.element)))
        }
        let body: [Element] = [
            axis.element(plot: plot, grid: true),
            SVG.line(x1: zero, y1: plot.top, x2: zero, y2: plot.bottom, stroke: Palette.axis),
            SVG.group("rows", rows),
            legend.element(x: ChartFrame.inset, y: legendTop, width: width - 2 * ChartFrame.inset),
        ]
        return frame.root(height: height, kind: "index-bar-chart", body: body)
    }
}
