import Foundation
import Yams

/// Walks a composed YAML tree, converting scalars to typed values and collecting every problem
/// with its line, column and field path, so that all of a file's errors are reported together.
public struct YAMLReader {
    public let file: String
    public private(set) var diagnostics: [Diagnostic] = []
    /// The position of every field path seen, for messages about paths found later.
    public private(set) var positions: [String: Mark] = [:]
    /// The position of each mapping key, by the field path it names.
    public private(set) var keyPositions: [String: Mark] = [:]

    public init(file: String) { self.file = file }

    public mutating func report(_ path: String, _ message: String, at mark: Mark?) {
        diagnostics.append(Diagnostic(file: file, line: mark?.line, column: mark?.column, path: path, message: message))
    }

    public mutating func remember(_ path: String, _ node: Node) {
        if let mark = node.mark { positions[path] = mark }
    }

    public mutating func rememberKey(_ path: String, _ key: Node) {
        if let mark = key.mark { keyPositions[path] = mark }
    }

    /// The best-known position of `path`: its own, else its nearest ancestor's.
    public func position(of path: String) -> Mark? {
        var current = path
        while true {
            if let mark = positions[current] { return mark }
            guard let cut = current.lastIndex(where: { $0 == "." || $0 == "[" }) else { return positions[""] }
            current = String(current[..<cut])
        }
    }

    // MARK: Structure

    /// Whether `node` is YAML's null (`~`, `null`, or nothing); a null value counts as absent.
    public static func isNull(_ node: Node?) -> Bool {
        guard let node else { return true }
        guard case let .scalar(scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// A mapping's entries as (key, key node, value), checking the keys against `allowed`.
    public mutating func mapping(_ node: Node, _ path: String, allowed: [String]) -> [String: (key: Node, value: Node)]? {
        remember(path, node)
        guard case let .mapping(mapping) = node else {
            report(path, "must be a mapping of keys to values (\(allowed.joined(separator: ", "))), got \(Self.kind(of: node))", at: node.mark)
            return nil
        }
        var entries: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard case let .scalar(scalar) = key else {
                report(path, "has a key that is not a plain name", at: key.mark)
                continue
            }
            let name = scalar.string
            let child = path.isEmpty ? name : "\(path).\(name)"
            guard allowed.contains(name) else {
                var message = "unknown key '\(name)'"
                if let guess = Self.closest(to: name, among: allowed) { message += " (did you mean '\(guess)'?)" }
                message += "; valid keys here: \(allowed.joined(separator: ", "))"
                report(child, message, at: key.mark)
                continue
            }
            remember(child, value)
            if let mark = key.mark { keyPositions[child] = mark }
            entries[name] = (key, value)
        }
        return entries
    }

    /// A sequence's items.
    public mutating func sequence(_ node: Node, _ path: String, of what: String) -> [Node]? {
        remember(path, node)
        guard case let .sequence(sequence) = node else {
            report(path, "must be a list of \(what), got \(Self.kind(of: node))", at: node.mark)
            return nil
        }
        return Array(sequence)
    }

    /// A required entry: reports it missing and returns nil.
    public mutating func require(_ entries: [String: (key: Node, value: Node)], _ key: String, _ path: String, at mark: Mark?, what: String) -> Node? {
        if let entry = entries[key], !Self.isNull(entry.value) { return entry.value }
        let child = path.isEmpty ? key : "\(path).\(key)"
        report(child, "is required (\(what))", at: entries[key]?.value.mark ?? mark)
        return nil
    }

    /// An optional entry: nil where absent or null.
    public func optional(_ entries: [String: (key: Node, value: Node)], _ key: String) -> Node? {
        guard let entry = entries[key], !Self.isNull(entry.value) else { return nil }
        return entry.value
    }

    // MARK: Scalars

    /// Any scalar as text (ids and names: `117` reads as "117").
    public mutating func string(_ node: Node, _ path: String, expected: String? = nil) -> String? {
        guard case let .scalar(scalar) = node else {
            let what = expected.map { "a text value (\($0))" } ?? "a text value"
            report(path, "must be \(what), got \(Self.kind(of: node))", at: node.mark)
            return nil
        }
        return scalar.string
    }

    /// `true` or `false`.
    public mutating func bool(_ node: Node, _ path: String) -> Bool? {
        if case let .scalar(scalar) = node, scalar.style == .plain || scalar.style == .any {
            if scalar.string == "true" { return true }
            if scalar.string == "false" { return false }
        }
        report(path, "must be true or false, got \(Self.shown(node))", at: node.mark)
        return nil
    }

    /// A finite YAML 1.2 number.
    public mutating func number(_ node: Node, _ path: String) -> Double? {
        guard case let .scalar(scalar) = node else {
            report(path, "must be a number, got \(Self.kind(of: node))", at: node.mark)
            return nil
        }
        guard scalar.style == .plain || scalar.style == .any, let value = Self.parseNumber(scalar.string) else {
            report(path, "must be a number, got \(Self.shown(node))", at: node.mark)
            return nil
        }
        guard value.isFinite else {
            report(path, "must be a finite number, got \(scalar.string)", at: node.mark)
            return nil
        }
        return value
    }

    /// An integer (written `12` or `12.0`) no smaller than `minimum`.
    public mutating func integer(_ node: Node, _ path: String, atLeast minimum: Int) -> Int? {
        if case .mapping = node {
            report(path, "must be an integer >= \(minimum); this field cannot be a distribution", at: node.mark)
            return nil
        }
        guard let value = number(node, path) else { return nil }
        guard value.rounded() == value else {
            report(path, "must be an integer >= \(minimum), got \(Self.shown(node))", at: node.mark)
            return nil
        }
        guard abs(value) <= 1e9 else {
            report(path, "must be an integer from \(minimum) to 1000000000, got \(Self.shown(node))", at: node.mark)
            return nil
        }
        guard Int(value) >= minimum else {
            report(path, "must be an integer >= \(minimum), got \(Int(value))", at: node.mark)
            return nil
        }
        return Int(value)
    }

    /// One of a fixed set of words.
    public mutating func choice<T: RawRepresentable & CaseIterable>(_ node: Node, _ path: String, _ type: T.Type) -> T? where T.RawValue == String {
        let valid = T.allCases.map(\.rawValue).joined(separator: ", ")
        guard case let .scalar(scalar) = node, let value = T(rawValue: scalar.string) else {
            report(path, "must be one of \(valid), got \(Self.shown(node))", at: node.mark)
            return nil
        }
        return value
    }

    // MARK: Helpers

    /// Parses YAML 1.2 core-schema numbers: decimal integers and floats, `0x`/`0o` integers,
    /// `.inf`, `-.inf` and `.nan` (the last three are rejected by the caller as not finite).
    public static func parseNumber(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        if text.hasPrefix("0x"), let value = Int64(text.dropFirst(2), radix: 16) { return Double(value) }
        if text.hasPrefix("0o"), let value = Int64(text.dropFirst(2), radix: 8) { return Double(value) }
        // [-+]? ( \.[0-9]+ | [0-9]+ ( \.[0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
        let bytes = Array(text.utf8)
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
        let whole = digits()
        var fraction = 0
        if index < bytes.count, bytes[index] == 0x2E {
            index += 1
            fraction = digits()
        }
        guard whole > 0 || fraction > 0 else { return nil }
        if index < bytes.count, bytes[index] == 0x65 || bytes[index] == 0x45 {
            index += 1
            if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
            guard digits() > 0 else { return nil }
        }
        guard index == bytes.count else { return nil }
        return strtod(text, nil)
    }

    public static func kind(of node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar: return "'\(node.string ?? "")'"
        case .alias: return "an alias"
        }
    }

    public static func shown(_ node: Node) -> String {
        guard case let .scalar(scalar) = node else { return kind(of: node) }
        switch scalar.style {
        case .singleQuoted, .doubleQuoted: return "the quoted text \"\(scalar.string)\""
        default: return "'\(scalar.string)'"
        }
    }

    /// The allowed key nearest to a misspelt one (edit distance at most 3), if any.
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let best = candidates.map { ($0, editDistance(word, $0)) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= min(3, max(1, word.count / 2)) else { return nil }
        return best.0
    }

    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
