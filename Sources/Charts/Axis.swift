/// A numeric axis along the bottom or the left of a plot area: its line, ticks with labels,
/// optional grid lines across the plot, and its title with unit.
public struct Axis: Sendable {
    /// Where the axis is drawn.
    public enum Edge: Sendable { case bottom, left }

    public var edge: Edge
    public var scale: LinearScale
    /// The tick values (inside the scale's domain).
    public var ticks: [Double]
    /// The distance between ticks, which sets the labels' decimals.
    public var step: Double
    public var format: TickFormat
    public var title: AxisTitle

    /// An axis with about `tickCount` ticks of `scale` (whose domain should already be nice).
    public init(edge: Edge, scale: LinearScale, tickCount: Int = 5, format: TickFormat = .number, title: AxisTitle) {
        self.edge = edge
        self.scale = scale
        self.ticks = scale.ticks(count: tickCount)
        self.step = scale.tickStep(count: tickCount)
        self.format = format
        self.title = title
    }

    /// The tick labels, in tick order.
    public var labels: [String] { ticks.map { format.label($0, step: step) } }

    /// The width the left axis's labels need (the widest label), in px.
    public var labelWidth: Double {
        labels.map { ChartStyle.textWidth($0, size: ChartStyle.tickSize) }.max() ?? 0
    }

    /// Space needed outside the plot area: below it for a bottom axis, left of it for a left axis.
    public var outerSize: Double {
        switch edge {
        case .bottom: title.text.isEmpty ? 24 : 44
        case .left: labelWidth + 10 + (title.text.isEmpty ? 0 : 24)
        }
    }

    /// The axis drawn beside `plot`, grid lines across it where `grid` is true.
    public func element(plot: Rect, grid: Bool = true) -> Element {
        var gridLines: [Element] = [], marks: [Element] = []
        let labels = self.labels
        switch edge {
        case .bottom:
            for (tick, label) in zip(ticks, labels) {
                let x = scale.map(tick)
                if grid { gridLines.append(SVG.line(x1: x, y1: plot.top, x2: x, y2: plot.bottom, stroke: Palette.grid)) }
                marks.append(SVG.line(x1: x, y1: plot.bottom, x2: x, y2: plot.bottom + 5, stroke: Palette.axis))
                marks.append(SVG.text(label, x: x, y: plot.bottom + 18, anchor: "middle", fill: Palette.muted))
            }
            marks.append(SVG.line(x1: plot.left, y1: plot.bottom, x2: plot.right, y2: plot.bottom, stroke: Palette.axis))
            if !title.text.isEmpty {
                marks.append(SVG.text(title.text, x: (plot.left + plot.right) / 2, y: plot.bottom + 36,
                                      size: ChartStyle.labelSize, anchor: "middle", extra: ["class": "axis-title"]))
            }
        case .left:
            for (tick, label) in zip(ticks, labels) {
                let y = scale.map(tick)
                if grid { gridLines.append(SVG.line(x1: plot.left, y1: y, x2: plot.right, y2: y, stroke: Palette.grid)) }
                marks.append(SVG.line(x1: plot.left - 5, y1: y, x2: plot.left, y2: y, stroke: Palette.axis))
                marks.append(SVG.text(label, x: plot.left - 8, y: y + 4, anchor: "end", fill: Palette.muted))
            }
            marks.append(SVG.line(x1: plot.left, y1: plot.top, x2: plot.left, y2: plot.bottom, stroke: Palette.axis))
            if !title.text.isEmpty {
                let x = plot.left - labelWidth - 18, y = (plot.top + plot.bottom) / 2
                let fitted = ChartStyle.truncate(title.text, toWidth: plot.height + 30, size: ChartStyle.labelSize)
                marks.append(SVG.text(fitted, x: x, y: y, size: ChartStyle.labelSize, anchor: "middle",
                                      extra: ["transform": "rotate(-90 \(Markup.number(x)) \(Markup.number(y)))", "class": "axis-title"]))
            }
        }
        return Element("g", ["class": edge == .bottom ? "axis x-axis" : "axis y-axis"],
                       [.element(SVG.group("grid", gridLines)), .element(SVG.group("ticks", marks))])
    }
}
