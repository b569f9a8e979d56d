/// The mark that stands for a series in a legend.
public enum Swatch: Sendable, Equatable {
    /// A line, dashed where `dash` is an SVG dash array.
    case line(colour: String, dash: String?)
    /// A shaded band.
    case band(colour: String)
    /// A line over its shaded band (a median with its interval).
    case lineOnBand(colour: String)
    /// A filled bar.
    case bar(colour: String)
    /// A point with an interval through it.
    case interval(colour: String)
    /// A point alone (an observation).
    case dot(colour: String)
}

/// One entry of a legend.
public struct LegendEntry: Sendable, Equatable {
    public var label: String
    public var swatch: Swatch
    public init(_ label: String, _ swatch: Swatch) {
        self.label = label
        self.swatch = swatch
    }
}

/// A legend laid out left to right, wrapping onto new rows within a width.
public struct Legend: Sendable {
    public var entries: [LegendEntry]
    public init(_ entries: [LegendEntry]) { self.entries = entries }

    static let swatchWidth = 24.0, rowHeight = 18.0, gap = 18.0

    /// The height the legend takes within `width` (0 without entries).
    public func height(width: Double) -> Double {
        Double(rows(width: width).count) * Self.rowHeight
    }

    /// Entries by row, each with its x offset.
    func rows(width: Double) -> [[(entry: LegendEntry, x: Double)]] {
        var rows: [[(LegendEntry, Double)]] = [], row: [(LegendEntry, Double)] = [], x = 0.0
        for entry in entries {
            let w = Self.swatchWidth + 6 + ChartStyle.textWidth(entry.label, size: ChartStyle.legendSize)
            if x > 0 && x + w > width {
                rows.append(row)
                row = []
                x = 0
            }
            row.append((entry, x))
            x += w + Self.gap
        }
        if !row.isEmpty { rows.append(row) }
        return rows
    }

    /// The legend with its top-left corner at (x, y), within `width`.
    public func element(x: Double, y: Double, width: Double) -> Element {
        var items: [Element] = []
        for (r, row) in rows(width: width).enumerated() {
            let cy = y + Double(r) * Self.rowHeight + Self.rowHeight / 2
            for (entry, offset) in row {
                let sx = x + offset
                var parts = swatch(entry.swatch, x: sx, cy: cy)
                parts.append(SVG.text(entry.label, x: sx + Self.swatchWidth + 6, y: cy + 4, size: ChartStyle.legendSize))
                items.append(Element("g", ["class": "legend-entry"], parts.map(Node.element)))
            }
        }
        return Element("g", ["class": "legend"], items.map(Node.element))
    }

    func swatch(_ swatch: Swatch, x: Double, cy: Double) -> [Element] {
        let w = Self.swatchWidth
        switch swatch {
        case let .line(colour, dash):
            return [SVG.line(x1: x, y1: cy, x2: x + w, y2: cy, stroke: colour, width: 2, dash: dash)]
        case let .band(colour):
            return [SVG.rect(Rect(x: x, y: cy - 6, width: w, height: 12), fill: colour, opacity: 0.25)]
        case let .lineOnBand(colour):
            return [SVG.rect(Rect(x: x, y: cy - 6, width: w, height: 12), fill: colour, opacity: 0.25),
                    SVG.line(x1: x, y1: cy, x2: x + w, y2: cy, stroke: colour, width: 2)]
        case let .bar(colour):
            return [SVG.rect(Rect(x: x + 4, y: cy - 6, width: w - 8, height: 12), fill: colour)]
        case let .interval(colour):
            return [SVG.line(x1: x + 2, y1: cy, x2: x + w - 2, y2: cy, stroke: colour, width: 1.5),
                    SVG.circle(cx: x + w / 2, cy: cy, r: 4, fill: colour)]
        case let .dot(colour):
            return [SVG.circle(cx: x + w / 2, cy: cy, r: 3.5, fill: colour, stroke: "#FFFFFF")]
        }
    }
}
