/// Bars for categories along the x axis, one bar per group side by side within each category
/// (a histogram per option when the categories are counts: "runs meeting 0, 1, 2, ... targets").
public struct GroupedBarChart: Chart {
    /// One group: a value per category.
    public struct Group: Sendable {
        public var name: String
        public var colour: String?
        /// One value per category (same order as `categories`).
        public var values: [Double]
        public init(name: String, colour: String? = nil, values: [Double]) {
            self.name = name
            self.colour = colour
            self.values = values
        }
    }

    public var title: String
    public var subtitle: String?
    /// Category labels along the x axis, left to right.
    public var categories: [String]
    public var groups: [Group]
    public var xTitle: AxisTitle
    public var yTitle: AxisTitle
    public var yFormat: TickFormat = .number
    public var width = 560.0, height = 320.0

    public init(title: String, subtitle: String? = nil, categories: [String], groups: [Group], xTitle: AxisTitle, yTitle: AxisTitle,
                yFormat: TickFormat = .number) {
        self.title = title
        self.subtitle = subtitle
        self.categories = categories
        self.groups = groups
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.yFormat = yFormat
    }

    func colour(_ index: Int) -> String { groups[index].colour ?? Palette.colour(index) }

    public func element() -> Element {
        let frame = ChartFrame(width: width, title: title, subtitle: subtitle)
        let legend = Legend(groups.count > 1 || !(groups.first?.name.isEmpty ?? true)
                            ? groups.indices.map { LegendEntry(groups[$0].name, .bar(colour: colour($0))) } : [])
        let legendTop = frame.headerHeight - 4
        let legendHeight = legend.height(width: width - 2 * ChartFrame.inset)
        let plotTop = legendTop + legendHeight + 10, plotBottom = height - 46
        let maximum = groups.flatMap(\.values).filter(\.isFinite).max() ?? 1
        var yScale = LinearScale(domain: (0, maximum > 0 ? maximum : 1), range: (plotBottom, plotTop)).nice(count: 5)
        let probe = Axis(edge: .left, scale: yScale, format: yFormat, title: yTitle)
        let plot = Rect(x: 12 + probe.outerSize, y: plotTop, width: width - 18 - 12 - probe.outerSize, height: plotBottom - plotTop)
        yScale.range = (plot.bottom, plot.top)
        let yAxis = Axis(edge: .left, scale: yScale, format: yFormat, title: yTitle)
        let bands = BandScale(count: categories.count, range: (plot.left, plot.right), padding: groups.count > 1 ? 0.25 : 0.2)
        let barWidth = bands.bandwidth / Double(max(1, groups.count))

        var bars: [Element] = []
        for (g, group) in groups.enumerated() {
            var items: [Element] = []
            for (c, value) in group.values.enumerated() where c < categories.count && value.isFinite {
                let x = bands.start(c) + barWidth * Double(g)
                let top = yScale.map(value)
                let bar = SVG.rect(Rect(x: x, y: top, width: max(0.5, barWidth - (groups.count > 1 ? 0.6 : 0)), height: plot.bottom - top),
                                   fill: colour(g))
                items.append(bar.with("data-category", categories[c]).with("data-value", String(value)))
            }
            bars.append(Element("g", ["class": "bars", "data-series": group.name], items.map(Node.element)))
        }

        // Category labels: every k-th where they would collide.
        var marks: [Element] = []
        let widest = categories.map { ChartStyle.textWidth($0, size: ChartStyle.tickSize) }.max() ?? 0
        let every = max(1, Int((widest + 6) / max(1, bands.step)) + 1)
        for (c, label) in categories.enumerated() where c % every == 0 {
            let x = bands.centre(c)
            marks.append(SVG.line(x1: x, y1: plot.bottom, x2: x, y2: plot.bottom + 4, stroke: Palette.axis))
            marks.append(SVG.text(label, x: x, y: plot.bottom + 17, anchor: "middle", fill: Palette.muted))
        }
        marks.append(SVG.line(x1: plot.left, y1: plot.bottom, x2: plot.right, y2: plot.bottom, stroke: Palette.axis))
        marks.append(SVG.text(xTitle.text, x: (plot.left + plot.right) / 2, y: plot.bottom + 36, size: ChartStyle.labelSize,
                              anchor: "middle", extra: ["class": "axis-title"]))
        let body: [Element] = [
            yAxis.element(plot: plot, grid: true),
            Element("g", ["class": "axis x-axis"], marks.map(Node.element)),
            SVG.group("series", bars),
            legend.element(x: ChartFrame.inset, y: legendTop, width: width - 2 * ChartFrame.inset),
        ]
        return frame.root(height: height, kind: "bar-chart", body: body)
    }
}
