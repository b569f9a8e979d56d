import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML document, for checking that charts are well-formed and finding their parts.
public final class XMLTree {
    public let name: String
    public let attributes: [String: String]
    public var children: [XMLTree] = []
    /// Text and child elements in document order.
    public var content: [Content] = []
    public enum Content {
        case text(String)
        case element(XMLTree)
    }

    public init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    /// Parses `markup`; throws with the parser's message and position where it is not well-formed.
    public static func parse(_ markup: String) throws -> XMLTree {
        let delegate = Builder()
        let parser = XMLParser(data: Data(markup.utf8))
        parser.delegate = delegate
        guard parser.parse(), let root = delegate.root else {
            throw ParseError(message: "\(parser.parserError.map { "\($0)" } ?? "no root") at line \(parser.lineNumber), column \(parser.columnNumber)")
        }
        return root
    }

    public struct ParseError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// Every element (this one included) named `name`, depth first.
    public func all(_ name: String) -> [XMLTree] {
        (self.name == name ? [self] : []) + children.flatMap { $0.all(name) }
    }

    /// Every element whose `class` attribute holds `className`.
    public func withClass(_ className: String) -> [XMLTree] {
        let mine = (attributes["class"] ?? "").split(separator: " ").contains(Substring(className)) ? [self] : []
        return mine + children.flatMap { $0.withClass(className) }
    }

    /// The text of this element and its descendants, in document order.
    public var allText: String {
        content.map { part in
            switch part {
            case let .text(text): text
            case let .element(element): element.allText
            }
        }.joined()
    }

    /// A numeric attribute.
    public func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLTree?
        var stack: [XMLTree] = []

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
                    attributes attributeDict: [String: String] = [:]) {
            let node = XMLTree(name: elementName, attributes: attributeDict)
            if let parent = stack.last {
                parent.children.append(node)
                parent.content.append(.element(node))
            } else {
                root = node
            }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.content.append(.text(string))
        }
    }
}

/// The numbers of an SVG path's `d` attribute, by command: [("M", [x, y]), ("L", [x, y]), ("Z", [])].
public func pathCommands(_ d: String) -> [(command: Character, values: [Double])] {
    var result: [(Character, [Double])] = []
    var number = ""
    func flush() {
        if !number.isEmpty, let value = Double(number) { result[result.count - 1].1.append(value) }
        number = ""
    }
    for character in d {
        if character.isLetter {
            flush()
            result.append((character, []))
        } else if character == "," || character == " " {
            flush()
        } else if character == "-" && !number.isEmpty {
            flush()
            number = "-"
        } else {
            number.append(character)
        }
    }
    flush()
    return result
}
