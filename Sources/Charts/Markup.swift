/// A tree of XML-compatible markup (SVG or XHTML-compatible HTML), rendered with every text and
/// attribute value escaped, so that charts and reports are well-formed whatever their labels hold.
///
/// Elements keep their attributes in the order given, so that output is stable and testable.
public struct Element: Sendable, Equatable {
    /// The tag name, e.g. `rect` or `div`.
    public var name: String
    /// Attributes in output order; values are escaped when rendered.
    public var attributes: [Attribute]
    /// Child nodes in order.
    public var children: [Node]

    /// An element with attributes as name-value pairs (in order) and children.
    public init(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], _ children: [Node] = []) {
        self.name = name
        self.attributes = attributes.map { Attribute(name: $0.key, value: $0.value) }
        self.children = children
    }

    /// An element holding only text.
    public init(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], text: String) {
        self.init(name, attributes, [.text(text)])
    }

    /// Adds (or replaces) an attribute.
    public func with(_ name: String, _ value: String) -> Element {
        var copy = self
        if let index = copy.attributes.firstIndex(where: { $0.name == name }) {
            copy.attributes[index].value = value
        } else {
            copy.attributes.append(Attribute(name: name, value: value))
        }
        return copy
    }

    /// The value of an attribute, if set.
    public func attribute(_ name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }

    /// Appends a child element.
    public mutating func append(_ element: Element) { children.append(.element(element)) }

    /// Appends child elements.
    public mutating func append(contentsOf elements: [Element]) { children += elements.map(Node.element) }

    /// Appends text.
    public mutating func append(text: String) { children.append(.text(text)) }

    /// The markup: `<name a="v">children</name>`, or `<name a="v"/>` without children
    /// (for HTML elements that must not self-close, give them an empty text child).
    public func render() -> String {
        var output = ""
        render(into: &output)
        return output
    }

    func render(into output: inout String) {
        output += "<" + name
        for attribute in attributes {
            output += " " + attribute.name + "=\"" + Markup.escape(attribute.value) + "\""
        }
        if children.isEmpty {
            output += "/>"
            return
        }
        output += ">"
        for child in children {
            switch child {
            case let .element(element): element.render(into: &output)
            case let .text(text): output += Markup.escape(text)
            }
        }
        output += "</" + name + ">"
    }

    /// Every element in this tree (this one first, then depth first) named `name`.
    public func descendants(named name: String) -> [Element] {
        var found: [Element] = []
        if self.name == name { found.append(self) }
        for case let .element(child) in children { found += child.descendants(named: name) }
        return found
    }

    /// The concatenated text of this element and its descendants.
    public var textContent: String {
        children.map { child in
            switch child {
            case let .element(element): element.textContent
            case let .text(text): text
            }
        }.joined()
    }
}

/// One attribute of an element.
public struct Attribute: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A child of an element: another element or text.
public enum Node: Sendable, Equatable {
    case element(Element)
    case text(String)
}

/// Escaping and number formatting shared by charts and reports.
public enum Markup {
    /// Escapes `&`, `<`, `>`, `"` and `'` as character references, and replaces control characters
    /// that XML 1.0 forbids (all below U+0020 except tab, line feed and carriage return) with spaces.
    public static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            case "\t", "\n", "\r": output.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (scalar.value >= 0xFFFE && scalar.value <= 0xFFFF) {
                    output += " "
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output
    }

    /// A coordinate for SVG: at most two decimals, no trailing zeros, no `-0`
    /// (`12.5`, `3`, `-0.25`); non-finite values become `0`.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let hundredths = (value * 100).rounded()
        if hundredths == 0 { return "0" }
        let negative = hundredths < 0
        let magnitude = Int64(abs(hundredths))
        let whole = magnitude / 100, fraction = magnitude % 100
        var text = (negative ? "-" : "") + String(whole)
        if fraction != 0 {
            text += fraction % 10 == 0 ? "." + String(fraction / 10) : (fraction < 10 ? ".0" : ".") + String(fraction)
        }
        return text
    }
}
