/// Sub-ranges of inputs within their full ranges: one row per input, a grey track for the full
/// range and a coloured bar for the sub-range (a box found by scenario discovery), with the
/// values written at both ends of each.
public struct RangeChart: Chart {
    public struct Row: Sendable {
        public var label: String
        /// The full range of the input.
        public var full: (lower: Double, upper: Double)
        /// The sub-range within it.
        public var part: (lower: Double, upper: Double)
        public var format: TickFormat
        /// Whether the sub-range restricts the input (drawn) or not (the track alone, labelled).
        public var restricted: Bool
        public init(label: String, full: (Double, Double), part: (Double, Double), format: TickFormat = .number, restricted: Bool = true) {
            self.label = label
            self.full = (full.0, full.1)
            self.part = (part.0, part.1)
            self.format = format
            self.restricted = restricted
        }
    }

    public var title: String
    public var subtitle: String?
    public var rows: [Row]
    public var colour = Palette.bluishGreen
    public var partLabel = "Box"
    public var fullLabel = "Range explored"
    /// Written across the track of a row whose sub-range is not restricted.
    public var unrestrictedLabel = "not restricted"
    public var width = 1000.0
    static let rowHeight = 34.0

    public init(title: String, subtitle: String? = nil, rows: [Row]) {
        self.title = title
        self.subtitle = subtitle
        self.rows = rows
    }

    var legend: Legend {
        Legend([LegendEntry(fullLabel, .bar(colour: Palette.track)), LegendEntry(partLabel, .bar(colour: colour))])
    }

    public var height: Double {
        let frame = ChartFrame(width: width, title: title, subtitle: subtitle)
        return frame.headerHeight + legend.height(width: width - 2 * ChartFrame.inset) + 10 + Double(rows.count) * Self.rowHeight + 12
    }

    public func element() -> Element {
        let frame = ChartFrame(width: width, title: title, subtitle: subtitle)
        let legendTop = frame.headerHeight - 4
        let top = legendTop + legend.height(width: width - 2 * ChartFrame.inset) + 10
        let labelWidth = min(width * 0.34, rows.map { ChartStyle.textWidth($0.label, size: ChartStyle.labelSize) }.max() ?? 40)
        let valueWidth = rows.flatMap { [$0.format.value($0.full.lower), $0.format.value($0.full.upper)] }
            .map { ChartStyle.textWidth($0, size: ChartStyle.tickSize) }.max() ?? 30
        let left = ChartFrame.inset + labelWidth + valueWidth + 24, right = width - valueWidth - 20
        var out: [Element] = []
        for (r, row) in rows.enumerated() {
            let y = top + Double(r) * Self.rowHeight
            let scale = LinearScale(domain: (row.full.lower, row.full.upper), range: (left, right))
            let a = scale.map(row.part.lower), b = scale.map(row.part.upper)
            var parts: [Element] = [
                SVG.text(ChartStyle.truncate(row.label, toWidth: labelWidth, size: ChartStyle.labelSize), x: ChartFrame.inset, y: y + 22,
                         size: ChartStyle.labelSize),
                SVG.text(row.format.value(row.full.lower), x: left - 8, y: y + 22, anchor: "end", fill: Palette.muted),
                SVG.text(row.format.value(row.full.upper), x: right + 8, y: y + 22, fill: Palette.muted),
                SVG.rect(Rect(x: left, y: y + 12, width: right - left, height: 14), fill: Palette.track).with("class", "track"),
            ]
            if row.restricted {
                parts += [
                    SVG.rect(Rect(x: a, y: y + 12, width: max(1, b - a), height: 14), fill: colour).with("class", "part"),
                    SVG.text(row.format.value(row.part.lower), x: a, y: y + 9, size: 10, anchor: "middle", fill: Palette.ink),
                    SVG.text(row.format.value(row.part.upper), x: b, y: y + 9, size: 10, anchor: "middle", fill: Palette.ink),
                ]
            } else {
                parts.append(SVG.text(unrestrictedLabel, x: (left + right) / 2, y: y + 23, size: 10.5, anchor: "middle", fill: Palette.muted))
            }
            out.append(Element("g", ["class": "range-row", "data-label": row.label], parts.map(Node.element)))
        }
        let body = [SVG.group("rows", out), legend.element(x: ChartFrame.inset, y: legendTop, width: width - 2 * ChartFrame.inset)]
        return frame.root(height: height, kind: "range-chart", body: body)
    }
}
