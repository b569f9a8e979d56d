/// A forest plot: one row per comparison with its point estimate and confidence interval as a
/// horizontal whisker, a vertical reference line at zero ("no difference"), rows grouped in
/// titled sections, and each row's figures written at the right.
public struct IntervalPlot: Chart {
    /// One estimate with its interval.
    public struct Row: Sendable {
        public var label: String
        public var estimate: Double
        public var lower: Double, upper: Double
        /// Colour of the point and whisker; nil: the palette's first colour.
        public var colour: String?
        /// Text written at the right of the row; nil: `estimate [lower, upper]` in the axis format.
        public var note: String?
        public init(label: String, estimate: Double, lower: Double, upper: Double, colour: String? = nil, note: String? = nil) {
            self.label = label
            self.estimate = estimate
            self.lower = lower
            self.upper = upper
            self.colour = colour
            self.note = note
        }
    }

    /// Rows under a heading (e.g. one factor's options against its baseline).
    public struct Section: Sendable {
        public var title: String?
        public var rows: [Row]
        public init(title: String?, rows: [Row]) {
            self.title = title
            self.rows = rows
        }
    }

    public var title: String
    public var subtitle: String?
    public var sections: [Section]
    public var xTitle: AxisTitle
    public var xFormat: TickFormat = .number
    /// Where the vertical reference line is drawn (no difference).
    public var reference = 0.0
    public var legend: [LegendEntry] = []
    public var width = 1000.0
    static let rowHeight = 24.0, sectionHeight = 26.0

    public init(title: String, subtitle: String? = nil, sections: [Section], xTitle: AxisTitle, xFormat: TickFormat = .number) {
        self.title = title
        self.subtitle = subtitle
        self.sections = sections
        self.xTitle = xTitle
        self.xFormat = xFormat
    }

    func note(_ row: Row) -> String {
        row.note ?? "\(xFormat.value(row.estimate)) [\(xFormat.value(row.lower)), \(xFormat.value(row.upper))]"
    }

    /// The chart's height: header, legend, rows and sections, axis.
    public var height: Double {
        let frame = ChartFrame(width: width, title: title, subtitle: subtitle)
        let rows = sections.reduce(0.0) { $0 + ($1.title == nil ? 0 : Self.sectionHeight) + Double($1.rows.count) * Self.rowHeight }
        return frame.headerHeight + Legend(legend).height(width: width - 2 * ChartFrame.inset) + 14 + rows + 56
    }

    public func element() -> Element {
        let frame = ChartFrame(width: width, title: title, subtitle: subtitle)
        let legend = Legend(self.legend)
        let legendTop = frame.headerHeight - 4
        let plotTop = legendTop + legend.height(width: width - 2 * ChartFrame.inset) + 14
        let height = self.height
        let plotBottom = height - 56
        let allRows = sections.flatMap(\.rows)
        let labelWidth = min(width * 0.34, (allRows.map { ChartStyle.textWidth($0.label, size: ChartStyle.labelSize) }
            + sections.compactMap { $0.title.map { ChartStyle.textWidth($0, size: ChartStyle.labelSize) } }).max() ?? 40)
        let noteWidth = (allRows.map { ChartStyle.textWidth(note($0), size: ChartStyle.tickSize) }.max() ?? 0)
        let values = allRows.flatMap { [$0.lower, $0.upper, $0.estimate] }.filter(\.isFinite) + [reference]
        let plot = Rect(x: ChartFrame.inset + labelWidth + 16, y: plotTop,
                        width: width - (ChartFrame.inset + labelWidth + 16) - noteWidth - 28, height: plotBottom - plotTop)
        let scale = LinearScale(domain: (values.min() ?? -1, values.max() ?? 1), range: (plot.left, plot.right)).nice(count: 6)
        let axis = Axis(edge: .bottom, scale: scale, tickCount: 6, format: xFormat, title: xTitle)

        var rowsOut: [Element] = [], labels: [Element] = []
        var y = plot.top
        for section in sections {
            if let title = section.title {
                labels.append(SVG.text(title, x: ChartFrame.inset, y: y + 18, size: ChartStyle.labelSize, weight: "bold",
                                       extra: ["class": "section-title"]))
                y += Self.sectionHeight
            }
            for row in section.rows {
                let cy = y + Self.rowHeight / 2
                let colour = row.colour ?? Palette.colour(0)
                labels.append(SVG.text(ChartStyle.truncate(row.label, toWidth: labelWidth, size: ChartStyle.labelSize),
                                       x: ChartFrame.inset + 12, y: cy + 4, size: ChartStyle.labelSize))
                let lo = scale.map(row.lower), hi = scale.map(row.upper), x = scale.map(row.estimate)
                var parts = [
                    SVG.line(x1: lo, y1: cy, x2: hi, y2: cy, stroke: colour, width: 2).with("class", "whisker"),
                    SVG.line(x1: lo, y1: cy - 5, x2: lo, y2: cy + 5, stroke: colour, width: 1.5),
                    SVG.line(x1: hi, y1: cy - 5, x2: hi, y2: cy + 5, stroke: colour, width: 1.5),
                ]
                parts.append(SVG.rect(Rect(x: x - 4.5, y: cy - 4.5, width: 9, height: 9), fill: colour).with("class", "estimate"))
                parts.append(SVG.text(note(row), x: plot.right + 14, y: cy + 4, fill: Palette.muted))
                rowsOut.append(Element("g", ["class": "interval", "data-label": row.label, "data-estimate": String(row.estimate),
                                             "data-lower": String(row.lower), "data-upper": String(row.upper)], parts.map(Node.element)))
                y += Self.rowHeight
            }
        }
        let zero = scale.map(reference)
        let body: [Element] = [
            axis.element(plot: plot, grid: true),
            SVG.line(x1: zero, y1: plot.top, x2: zero, y2: plot.bottom, stroke: Palette.ink, width: 1.25).with("class", "zero-line"),
            SVG.group("labels", labels),
            SVG.group("intervals", rowsOut),
            legend.element(x: ChartFrame.inset, y: legendTop, width: width - 2 * ChartFrame.inset),
        ]
        return frame.root(height: height, kind: "interval-plot", body: body)
    }
}
