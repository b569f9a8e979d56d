/// A point in data coordinates.
public struct Point: Sendable, Equatable {
    public var x: Double, y: Double
    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

/// Series over time as a median line in a shaded band (e.g. the 5-95% range of replications),
/// with reference lines (a baseline, a target trajectory) drawn dashed over them.
public struct LineChart: Chart {
    /// One series: its median line and, where given, its band.
    public struct Series: Sendable {
        public var name: String
        /// Colour; nil takes the palette's next colour.
        public var colour: String?
        public var x: [Double]
        public var median: [Double]
        /// The band's lower and upper edges at each x (nil: no band).
        public var lower: [Double]?, upper: [Double]?
        public init(name: String, colour: String? = nil, x: [Double], median: [Double], lower: [Double]? = nil, upper: [Double]? = nil) {
            self.name = name
            self.colour = colour
            self.x = x
            self.median = median
            self.lower = lower
            self.upper = upper
        }
    }

    /// A line that is not data: a baseline, a target trajectory.
    public struct Reference: Sendable {
        public var name: String
        public var points: [Point]
        public var colour: String
        /// SVG dash array (`"5 4"`); nil for a solid line.
        public var dash: String?
        /// Marks the last point with a small circle (e.g. the target at quarter T).
        public var markEnd: Bool
        public init(name: String, points: [Point], colour: String = Palette.reference, dash: String? = "5 4", markEnd: Bool = false) {
            self.name = name
            self.points = points
            self.colour = colour
            self.dash = dash
            self.markEnd = markEnd
        }
    }

    /// Points drawn over everything (observations), each set in one colour.
    public struct Marks: Sendable {
        public var name: String
        public var colour: String
        public var points: [Point]
        public init(name: String, colour: String, points: [Point]) {
            self.name = name
            self.colour = colour
            self.points = points
        }
    }

    public var title: String
    public var subtitle: String?
    public var xTitle: AxisTitle
    public var yTitle: AxisTitle
    public var xFormat: TickFormat = .number
    public var yFormat: TickFormat = .number
    public var series: [Series]
    public var references: [Reference]
    /// Points over the lines (e.g. observed values against a predictive band); empty by default.
    public var marks: [Marks] = []
    /// Legend labels: with one series, its line and band get one entry each under these names.
    public var medianLabel = "Median"
    public var bandLabel = "5\u{2013}95% of runs"
    /// A fixed y domain (made nice); nil: the data's extent including references, made nice.
    public var yDomain: (Double, Double)?
    public var width = 560.0, height = 330.0

    public init(title: String, subtitle: String? = nil, xTitle: AxisTitle, yTitle: AxisTitle,
                series: [Series], references: [Reference] = []) {
        self.title = title
        self.subtitle = subtitle
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.series = series
        self.references = references
    }

    func colour(_ index: Int) -> String { series[index].colour ?? Palette.colour(index) }

    /// The legend's entries: series (median and band), then references.
    public var legendEntries: [LegendEntry] {
        var entries: [LegendEntry] = []
        if series.count == 1 {
            entries.append(LegendEntry(series[0].name.isEmpty ? medianLabel : "\(series[0].name): \(medianLabel.lowercased())", .line(colour: colour(0), dash: nil)))
            if series[0].lower != nil { entries.append(LegendEntry(bandLabel, .band(colour: colour(0)))) }
        } else {
            for index in series.indices {
                entries.append(LegendEntry(series[index].name, series[index].lower != nil ? .lineOnBand(colour: colour(index)) : .line(colour: colour(index), dash: nil)))
            }
        }
        for reference in references { entries.append(LegendEntry(reference.name, .line(colour: reference.colour, dash: reference.dash))) }
        for set in marks where !set.points.isEmpty { entries.append(LegendEntry(set.name, .dot(colour: set.colour))) }
        return entries
    }

    public func element() -> Element {
        let frame = ChartFrame(width: width, title: title, subtitle: subtitle)
        let legend = Legend(legendEntries)
        let legendTop = frame.headerHeight - 4
        let legendHeight = legend.height(width: width - 2 * ChartFrame.inset)

        // Domains.
        var xs: [Double] = [], ys: [Double] = []
        for item in series {
            xs += item.x
            ys += item.median
            ys += item.lower ?? []
            ys += item.upper ?? []
        }
        for reference in references {
            xs += reference.points.map { $0.x }
            ys += reference.points.map { $0.y }
        }
        for set in marks {
            xs += set.points.map { $0.x }
            ys += set.points.map { $0.y }
        }
        ys = ys.filter { $0.isFinite }
        let xFinite = xs.filter { $0.isFinite }
        let xDomain = (xFinite.min() ?? 0, xFinite.max() ?? 1)
        let yData = yDomain ?? (ys.min() ?? 0, ys.max() ?? 1)

        let plotTop = legendTop + legendHeight + 10
        let plotBottom = height - 46
        var yScale = LinearScale(domain: yData, range: (plotBottom, plotTop)).nice(count: 5)
        let yAxisProbe = Axis(edge: .left, scale: yScale, format: yFormat, title: yTitle)
        let plotLeft = 12 + yAxisProbe.outerSize
        let plotRight = width - 18
        let plot = Rect(x: plotLeft, y: plotTop, width: plotRight - plotLeft, height: plotBottom - plotTop)
        yScale.range = (plot.bottom, plot.top)
        let xScale = LinearScale(domain: xDomain, range: (plot.left, plot.right))
        let tickCount = max(2, min(8, Int(plot.width / 60)))
        let xAxis = Axis(edge: .bottom, scale: xScale, tickCount: tickCount, format: xFormat, title: xTitle)
        let yAxis = Axis(edge: .left, scale: yScale, format: yFormat, title: yTitle)

        var bands: [Element] = [], lines: [Element] = [], refs: [Element] = []
        for (index, item) in series.enumerated() {
            let c = colour(index)
            let px: [Double] = item.x.map { xScale.map($0) }
            if let lower = item.lower, let upper = item.upper {
                let band = PathBuilder.band(x: px, upper: upper.map { yScale.map($0) }, lower: lower.map { yScale.map($0) })
                if !band.isEmpty {
                    bands.append(SVG.path(band, fill: c, fillOpacity: series.count > 1 ? 0.14 : 0.25)
                        .with("class", "band").with("data-series", item.name))
                }
            }
            let py: [Double] = item.median.map { yScale.map($0) }
            let points: [(x: Double, y: Double)] = zip(px, py).map { (x: $0.0, y: $0.1) }
            lines.append(SVG.path(PathBuilder.line(points), stroke: c, width: 2.25).with("class", "median").with("data-series", item.name))
        }
        for reference in references {
            let points: [(x: Double, y: Double)] = reference.points.map { (x: xScale.map($0.x), y: yScale.map($0.y)) }
            refs.append(SVG.path(PathBuilder.line(points), stroke: reference.colour, width: 1.6, dash: reference.dash)
                .with("class", "reference").with("data-series", reference.name))
            if reference.markEnd, let last = points.last {
                refs.append(SVG.circle(cx: last.x, cy: last.y, r: 3.5, fill: "#FFFFFF", stroke: reference.colour))
            }
        }
        var dots: [Element] = []
        for set in marks {
            for point in set.points where point.x.isFinite && point.y.isFinite {
                dots.append(SVG.circle(cx: xScale.map(point.x), cy: yScale.map(point.y), r: 3.5, fill: set.colour, stroke: "#FFFFFF")
                    .with("class", "mark").with("data-series", set.name))
            }
        }
        var body: [Element] = [
            xAxis.element(plot: plot, grid: false),
            yAxis.element(plot: plot, grid: true),
            SVG.group("bands", bands),
            SVG.group("references", refs),
            SVG.group("lines", lines),
            legend.element(x: ChartFrame.inset, y: legendTop, width: width - 2 * ChartFrame.inset),
        ]
        if !dots.isEmpty { body.insert(SVG.group("marks", dots), at: 5) }
        return frame.root(height: height, kind: "line-chart", body: body)
    }
}
