import Charts

/// Builders of the report's HTML, written so that it is also well-formed XML (XHTML-compatible):
/// every element closed, every value escaped, no named entities. Everything is inline: the
/// stylesheet, the charts (SVG); nothing refers outside the file.
enum HTML {
    /// Elements that HTML treats as void (they must not have an end tag).
    static let void: Set<String> = ["meta", "br", "hr", "img", "link", "col", "wbr"]

    /// An HTML element; a non-void element without children gets an empty text node so that it
    /// renders as `<div></div>` (HTML parsers ignore `/>` on non-void elements).
    static func element(_ name: String, _ children: [Node]) -> Element {
        element(name, [:], children)
    }

    static func element(_ name: String, _ attributes: KeyValuePairs<String, String>, _ children: [Node]) -> Element {
        Element(name, attributes, children.isEmpty && !void.contains(name) ? [.text("")] : children)
    }

    static func element(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], elements: [Element]) -> Element {
        element(name, attributes, elements.map(Node.element))
    }

    static func text(_ name: String, _ attributes: KeyValuePairs<String, String>, _ content: String) -> Element {
        Element(name, attributes, [.text(content)])
    }

    static func text(_ name: String, _ content: String) -> Element {
        Element(name, [:], [.text(content)])
    }

    static func paragraph(_ content: String, class className: String? = nil) -> Element {
        className.map { text("p", ["class": $0], content) } ?? text("p", content)
    }

    /// A paragraph of text runs, some bold: `[("Median", false), ...]`.
    static func paragraph(runs: [(String, Bool)], class className: String? = nil) -> Element {
        let nodes: [Node] = runs.map { $0.1 ? .element(text("strong", $0.0)) : .text($0.0) }
        return className.map { element("p", ["class": $0], nodes) } ?? element("p", nodes)
    }

    /// A table with a header row; `numeric` columns are right-aligned.
    static func table(header: [String], rows: [[String]], numeric: Set<Int> = [], class className: String = "data",
                      caption: String? = nil) -> Element {
        var children: [Element] = []
        if let caption { children.append(text("caption", caption)) }
        children.append(element("thead", elements: [element("tr", elements: header.enumerated().map { index, title in
            numeric.contains(index) ? text("th", ["class": "num"], title) : text("th", title)
        })]))
        children.append(element("tbody", elements: rows.map { row in
            element("tr", elements: row.enumerated().map { index, value in
                numeric.contains(index) ? text("td", ["class": "num"], value) : text("td", value)
            })
        }))
        return element("table", ["class": className], elements: children)
    }

    /// Label-value pairs as a definition list in columns (the report header's facts).
    static func facts(_ pairs: [(String, String)]) -> Element {
        element("dl", ["class": "facts"], elements: pairs.map { pair in
            element("div", elements: [text("dt", pair.0), text("dd", pair.1)])
        })
    }

    /// A headline figure: a large value, a label above and a note below.
    static func tile(label: String, value: String, note: String) -> Element {
        element("div", ["class": "tile"], elements: [
            text("div", ["class": "tile-label"], label),
            text("div", ["class": "tile-value"], value),
            text("div", ["class": "tile-note"], note),
        ])
    }

    /// A chart in a figure, scaled to the figure's width.
    static func figure(_ chart: any Chart, wide: Bool = false) -> Element {
        element("figure", ["class": wide ? "chart wide" : "chart"], elements: [chart.element()])
    }

    /// A section with a heading and content.
    /// The heading is kept on a page with what follows it (its first block, and the block after
    /// that where the first is a paragraph), so that a printed page never ends with a heading.
    static func section(_ title: String, id: String, _ content: [Element]) -> Element {
        let lead = content.first?.name == "p" ? 2 : 1
        let kept = keep([text("h2", title)] + content.prefix(lead))
        return element("section", ["id": id], elements: [kept] + content.dropFirst(lead))
    }

    /// Blocks that print on one page together (where they fit on one).
    static func keep(_ blocks: [Element]) -> Element {
        element("div", ["class": "keep"], elements: blocks)
    }

    /// A grid of figures, two per row on a page.
    static func grid(_ figures: [Element]) -> Element {
        element("div", ["class": "grid"], elements: figures)
    }

    /// A note shown in a box (a fallback, a skipped part).
    static func notice(_ content: String) -> Element {
        text("p", ["class": "notice"], content)
    }

    /// The whole document: doctype, head with the inline stylesheet, body.
    static func document(title: String, body: [Element]) -> String {
        let head = element("head", elements: [
            Element("meta", ["charset": "utf-8"]),
            Element("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"]),
            Element("meta", ["name": "generator", "content": "lspsim report"]),
            text("title", title),
            text("style", stylesheet),
        ])
        // A line break between the page's blocks keeps the file readable in a text editor.
        let blocks = body.flatMap { [Node.text("\n"), .element($0)] } + [.text("\n")]
        let html = element("html", ["lang": "en"], elements: [head, element("body", elements: [element("main", blocks)])])
        return "<!DOCTYPE html>\n" + html.render() + "\n"
    }

    /// The stylesheet: system fonts only, A4 print rules, charts scaled to their column.
    static let stylesheet = """
    :root { --ink: #1f1f1f; --muted: #5a5a5a; --rule: #d9d9d9; --accent: #0072B2; --soft: #f4f6f8; }
    * { box-sizing: border-box; }
    html { font-family: DejaVu Sans, Liberation Sans, Helvetica Neue, Arial, Helvetica, sans-serif; color: var(--ink); background: #fff; }
    body { margin: 0; font-size: 14px; line-height: 1.45; }
    main { max-width: 1160px; margin: 0 auto; padding: 28px 32px 40px; }
    header.report { border-bottom: 3px solid var(--accent); padding-bottom: 12px; margin-bottom: 18px; }
    .kicker { text-transform: uppercase; letter-spacing: 0.08em; font-size: 12px; color: var(--accent); font-weight: bold; margin: 0 0 4px; }
    h1 { font-size: 26px; line-height: 1.2; margin: 0 0 6px; }
    h2 { font-size: 19px; margin: 26px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
    h3 { font-size: 15px; margin: 16px 0 6px; }
    p { margin: 6px 0 10px; max-width: 60em; }
    p.lead { font-size: 15px; color: var(--muted); margin-top: 0; }
    p.notice { background: #fff6e5; border-left: 4px solid #E69F00; padding: 8px 12px; max-width: none; }
    p.small, .small { font-size: 12px; color: var(--muted); }
    dl.facts { display: grid; grid-template-columns: repeat(3, 1fr); gap: 4px 24px; margin: 10px 0 0; font-size: 12.5px; }
    dl.facts div { display: flex; gap: 8px; border-bottom: 1px dotted var(--rule); padding: 2px 0; min-width: 0; }
    dl.facts dt { color: var(--muted); white-space: nowrap; }
    dl.facts dd { margin: 0; font-weight: bold; overflow-wrap: anywhere; }
    .tiles { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; margin: 14px 0 6px; }
    .tile { background: var(--soft); border-top: 3px solid var(--accent); padding: 10px 12px; }
    .tile-label { font-size: 12px; color: var(--muted); }
    .tile-value { font-size: 26px; font-weight: bold; line-height: 1.2; margin: 2px 0; }
    .tile-note { font-size: 12px; color: var(--muted); }
    .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 10px 18px; }
    figure { margin: 8px 0; break-inside: avoid; page-break-inside: avoid; }
    figure svg { display: block; width: 100%; height: auto; }
    figure.wide { grid-column: 1 / -1; }
    table.data { border-collapse: collapse; font-size: 12.5px; margin: 8px 0 12px; width: 100%; break-inside: avoid; }
    table.data caption { text-align: left; font-weight: bold; padding: 4px 0; }
    table.data th { text-align: left; border-bottom: 2px solid var(--ink); padding: 4px 8px 4px 0; font-weight: bold; }
    table.data td { border-bottom: 1px solid var(--rule); padding: 3px 8px 3px 0; vertical-align: top; }
    .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    ul.findings { margin: 6px 0 12px; padding-left: 20px; }
    ul.findings li { margin: 3px 0; }
    footer { margin-top: 28px; padding-top: 8px; border-top: 1px solid var(--rule); font-size: 11.5px; color: var(--muted); }
    @page { size: A4; margin: 12mm; }
    @media print {
      body { font-size: 10.5pt; }
      main { max-width: none; padding: 0; }
      h2 { break-after: avoid; page-break-after: avoid; }
      section { break-before: auto; }
      .tiles { grid-template-columns: repeat(4, 1fr); gap: 8px; }
      .tile-value { font-size: 20px; }
      .grid { grid-template-columns: 1fr 1fr; gap: 4px 12px; }
      table.data { font-size: 9pt; }
      footer { break-inside: avoid; }
      .keep, .grid figure, .grid .table-cell { break-inside: avoid; page-break-inside: avoid; }
    }
    @media screen and (max-width: 760px) { .grid, .tiles, dl.facts { grid-template-columns: 1fr; } }
    """
}
