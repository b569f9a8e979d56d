/// The parts every chart shares: an `<svg>` root with a viewBox, an accessible `<title>` and
/// `<desc>`, a white background, and a visible title and subtitle at the top left.
struct ChartFrame {
    var width: Double
    var title: String
    var subtitle: String?
    /// Left edge of the header text.
    static let inset = 12.0

    var titleLines: [String] {
        Array(ChartStyle.wrap(title, toWidth: width - 2 * Self.inset, size: ChartStyle.titleSize, bold: true).prefix(2))
    }

    var subtitleLines: [String] {
        guard let subtitle, !subtitle.isEmpty else { return [] }
        return Array(ChartStyle.wrap(subtitle, toWidth: width - 2 * Self.inset, size: ChartStyle.subtitleSize).prefix(3))
    }

    /// The height of the title and subtitle block, including space below it.
    var headerHeight: Double {
        10 + Double(titleLines.count) * 19 + Double(subtitleLines.count) * 15 + 8
    }

    /// The root element of a chart of `height` holding `body`.
    func root(height: Double, kind: String, body: [Element]) -> Element {
        var header: [Element] = []
        var y = 10.0
        for line in titleLines {
            y += 19
            header.append(SVG.text(line, x: Self.inset, y: y - 4, size: ChartStyle.titleSize, weight: "bold", extra: ["class": "chart-title"]))
        }
        for line in subtitleLines {
            y += 15
            header.append(SVG.text(line, x: Self.inset, y: y - 3, size: ChartStyle.subtitleSize, fill: Palette.muted,
                                   extra: ["class": "chart-subtitle"]))
        }
        var children: [Node] = [.element(Element("title", text: title))]
        if let subtitle, !subtitle.isEmpty { children.append(.element(Element("desc", text: subtitle))) }
        children.append(.element(SVG.rect(Rect(x: 0, y: 0, width: width, height: height), fill: "#FFFFFF")))
        children.append(.element(SVG.group("header", header)))
        children += body.map(Node.element)
        return Element("svg", [
            "class": "chart \(kind)", "viewBox": "0 0 \(Markup.number(width)) \(Markup.number(height))",
            "width": Markup.number(width), "height": Markup.number(height), "role": "img",
            "font-family": ChartStyle.fontFamily, "font-size": Markup.number(ChartStyle.tickSize), "fill": Palette.ink,
        ], children)
    }
}

/// A chart that renders as SVG.
public protocol Chart: Sendable {
    /// The chart as an `<svg>` element.
    func element() -> Element
}

extension Chart {
    /// The chart as SVG markup (an `<svg>` element without an XML declaration, to embed in HTML
    /// or to save as a `.svg` file after adding `xmlns="http://www.w3.org/2000/svg"`).
    public func svg() -> String { element().render() }
}
