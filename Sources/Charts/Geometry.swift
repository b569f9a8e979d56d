/// A rectangle in drawing coordinates (SVG user units; y grows downwards).
public struct Rect: Sendable, Equatable {
    public var x: Double, y: Double, width: Double, height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
    public var left: Double { x }
    public var right: Double { x + width }
    public var top: Double { y }
    public var bottom: Double { y + height }
}

/// The title of an axis and the unit of its values: shown as `Title (unit)`.
public struct AxisTitle: Sendable, Equatable, ExpressibleByStringLiteral {
    public var title: String
    /// The unit, e.g. `% of cohort`, `GBP m`, `percentage points`; nil for none.
    public var unit: String?
    public init(_ title: String, unit: String? = nil) {
        self.title = title
        self.unit = unit?.isEmpty == true ? nil : unit
    }
    public init(stringLiteral value: String) { self.init(value) }
    /// `Title (unit)`, or the title alone.
    public var text: String { unit.map { "\(title) (\($0))" } ?? title }
}

/// Evenly spaced bands for categories along an axis (the x positions of grouped bars).
///
/// The range is divided into `count` equal steps; each band is the step less `padding` (a
/// fraction of the step, split evenly on both sides), so that bands are centred on their step.
public struct BandScale: Sendable, Equatable {
    public var count: Int
    public var range: (lower: Double, upper: Double)
    /// Fraction of each step left empty between bands, in [0, 1).
    public var padding: Double

    public init(count: Int, range: (Double, Double), padding: Double = 0.2) {
        self.count = max(1, count)
        self.range = (range.0, range.1)
        self.padding = min(max(padding, 0), 0.95)
    }

    public static func == (a: BandScale, b: BandScale) -> Bool {
        a.count == b.count && a.range == b.range && a.padding == b.padding
    }

    /// The width of one step.
    public var step: Double { (range.upper - range.lower) / Double(count) }
    /// The width of one band.
    public var bandwidth: Double { step * (1 - padding) }
    /// The start of band `index`.
    public func start(_ index: Int) -> Double { range.lower + step * Double(index) + step * padding / 2 }
    /// The centre of band `index`.
    public func centre(_ index: Int) -> Double { range.lower + step * (Double(index) + 0.5) }
}

/// Builders of the SVG elements charts are made of.
public enum SVG {
    /// A `<text>` element at (x, y): `anchor` is start, middle or end; `size` in px.
    public static func text(_ content: String, x: Double, y: Double, size: Double = ChartStyle.tickSize,
                            anchor: String = "start", fill: String = Palette.ink, weight: String? = nil,
                            extra: KeyValuePairs<String, String> = [:]) -> Element {
        var element = Element("text", ["x": Markup.number(x), "y": Markup.number(y), "font-size": Markup.number(size)], text: content)
        if anchor != "start" { element = element.with("text-anchor", anchor) }
        if fill != Palette.ink { element = element.with("fill", fill) }
        if let weight { element = element.with("font-weight", weight) }
        for (name, value) in extra { element = element.with(name, value) }
        return element
    }

    /// A `<line>` from (x1, y1) to (x2, y2).
    public static func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1,
                            dash: String? = nil) -> Element {
        var element = Element("line", ["x1": Markup.number(x1), "y1": Markup.number(y1), "x2": Markup.number(x2),
                                       "y2": Markup.number(y2), "stroke": stroke, "stroke-width": Markup.number(width)])
        if let dash { element = element.with("stroke-dasharray", dash) }
        return element
    }

    /// A `<rect>`; negative sizes are normalised.
    public static func rect(_ rect: Rect, fill: String, opacity: Double? = nil, stroke: String? = nil) -> Element {
        var element = Element("rect", ["x": Markup.number(min(rect.x, rect.x + rect.width)),
                                       "y": Markup.number(min(rect.y, rect.y + rect.height)),
                                       "width": Markup.number(abs(rect.width)), "height": Markup.number(abs(rect.height)),
                                       "fill": fill])
        if let opacity { element = element.with("fill-opacity", Markup.number(opacity)) }
        if let stroke { element = element.with("stroke", stroke) }
        return element
    }

    /// A `<path>` with fill none and the given stroke, or filled where `fill` is given.
    public static func path(_ path: PathBuilder, stroke: String? = nil, width: Double = 1.5, fill: String = "none",
                            fillOpacity: Double? = nil, dash: String? = nil) -> Element {
        var element = Element("path", ["d": path.description, "fill": fill])
        if let fillOpacity { element = element.with("fill-opacity", Markup.number(fillOpacity)) }
        if let stroke {
            element = element.with("stroke", stroke).with("stroke-width", Markup.number(width))
                .with("stroke-linejoin", "round").with("stroke-linecap", "round")
        }
        if let dash { element = element.with("stroke-dasharray", dash) }
        return element
    }

    /// A `<circle>`.
    public static func circle(cx: Double, cy: Double, r: Double, fill: String, stroke: String? = nil) -> Element {
        var element = Element("circle", ["cx": Markup.number(cx), "cy": Markup.number(cy), "r": Markup.number(r), "fill": fill])
        if let stroke { element = element.with("stroke", stroke).with("stroke-width", "1") }
        return element
    }

    /// A `<g>` grouping `children`, with a `class` naming its part of the chart (for tests and CSS).
    public static func group(_ part: String, _ children: [Element]) -> Element {
        Element("g", ["class": part], children.map(Node.element))
    }
}
