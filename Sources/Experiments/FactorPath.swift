import ScenarioFile
import Yams

/// A field path into a scenario, as sweep factors address fields:
/// `governance.pooled_fraction`, `model.tier_attenuation`, `partners[id=police].openness`,
/// `partners[2].interests.NI20`, `indicators[id=NI117].responsiveness`.
public struct FactorPath: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Sendable, Hashable {
        /// A mapping key.
        case key(String)
        /// A list item by 0-based position.
        case index(Int)
        /// A list item whose `id` is the given text.
        case id(String)
    }

    public let components: [Component]
    public let description: String

    /// A path could not be parsed or addresses nothing in a scenario.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// Parses `text`; each dot-separated segment is a key optionally followed by `[N]` or `[id=ID]`.
    public init(_ text: String) throws(Problem) {
        var components: [Component] = []
        guard !text.isEmpty else { throw Problem(message: "an empty field path") }
        for segment in text.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(segment)
            guard let bracket = rest.firstIndex(of: "[") else {
                guard !rest.isEmpty else { throw Problem(message: "'\(text)' has an empty segment") }
                components.append(.key(String(rest)))
                continue
            }
            let key = rest[..<bracket]
            guard !key.isEmpty else { throw Problem(message: "'\(text)': a selector [..] must follow a key") }
            components.append(.key(String(key)))
            rest = rest[bracket...]
            while !rest.isEmpty {
                guard rest.first == "[", let close = rest.firstIndex(of: "]") else {
                    throw Problem(message: "'\(text)': expected [N] or [id=ID] after '\(key)'")
                }
                let inside = rest[rest.index(after: rest.startIndex)..<close]
                if inside.hasPrefix("id=") {
                    let id = inside.dropFirst(3)
                    guard !id.isEmpty else { throw Problem(message: "'\(text)': [id=] names no id") }
                    components.append(.id(String(id)))
                } else if let index = Int(inside), index >= 0 {
                    components.append(.index(index))
                } else {
                    throw Problem(message: "'\(text)': '[\(inside)]' is neither a 0-based position [N] nor [id=ID]")
                }
                rest = rest[rest.index(after: close)...]
            }
        }
        self.components = components
        description = text
    }

    /// This path in `root` with list items addressed by position (`partners[id=police]` becomes
    /// `partners[2]`), so that two spellings of one field compare equal; nil where a list or list
    /// item it names is not there. Mapping keys need not exist (setting creates them).
    public func resolved(in root: Node) -> [Component]? {
        var node: Node? = root
        var out: [Component] = []
        for component in components {
            switch component {
            case let .key(key):
                out.append(component)
                node = node?.mapping?[key]
            case let .index(index):
                guard let items = node?.sequence.map(Array.init), index < items.count else { return nil }
                out.append(component)
                node = items[index]
            case let .id(id):
                guard let items = node?.sequence.map(Array.init),
                      let found = items.firstIndex(where: { $0.mapping?["id"]?.string == id }) else { return nil }
                out.append(.index(found))
                node = items[found]
            }
        }
        return out
    }

    /// `root` with the field at this path set to `value`. Missing mapping keys (and blocks such as
    /// `model:`) are created; list items must exist.
    public func setting(_ value: Node, in root: Node) throws(Problem) -> Node {
        try set(value, at: components[...], in: root, walked: "")
    }

    private func set(_ value: Node, at components: ArraySlice<Component>, in node: Node?, walked: String) throws(Problem) -> Node {
        guard let component = components.first else { return value }
        let rest = components.dropFirst()
        switch component {
        case let .key(key):
            let here = walked.isEmpty ? key : "\(walked).\(key)"
            var pairs: [(Node, Node)] = []
            var tag = Tag.implicit, style = Node.Mapping.Style.block, mark: Mark? = nil
            if let node, !YAMLReader.isNull(node) {
                guard case let .mapping(mapping) = node else {
                    throw Problem(message: "'\(description)' addresses nothing: \(walked.isEmpty ? "the scenario" : walked) is not a mapping")
                }
                pairs = Array(mapping)
                tag = mapping.tag
                style = mapping.style
                mark = mapping.mark
            }
            if let position = pairs.firstIndex(where: { $0.0.string == key }) {
                pairs[position].1 = try set(value, at: rest, in: pairs[position].1, walked: here)
            } else {
                guard rest.isEmpty || rest.first.map({ if case .key = $0 { true } else { false } }) == true else {
                    throw Problem(message: "'\(description)' addresses nothing: the scenario has no '\(here)'")
                }
                pairs.append((Node(key), try set(value, at: rest, in: nil, walked: here)))
            }
            return .mapping(Node.Mapping(pairs, tag, style, mark))
        case .index, .id:
            guard let node, case let .sequence(sequence) = node else {
                throw Problem(message: "'\(description)' addresses nothing: \(walked) is not a list")
            }
            var items = Array(sequence)
            let position: Int
            let here: String
            switch component {
            case let .index(index):
                guard index < items.count else {
                    throw Problem(message: "'\(description)' addresses nothing: \(walked) has \(items.count) items (positions 0 to \(items.count - 1))")
                }
                position = index
                here = "\(walked)[\(index)]"
            case let .id(id):
                let ids = items.compactMap { $0.mapping?["id"]?.string }
                guard let found = items.firstIndex(where: { $0.mapping?["id"]?.string == id }) else {
                    throw Problem(message: "'\(description)' addresses nothing: no item of \(walked) has id '\(id)' (ids: \(ids.joined(separator: ", ")))")
                }
                position = found
                here = "\(walked)[id=\(id)]"
            case .key:
                fatalError("unreachable")
            }
            items[position] = try set(value, at: rest, in: items[position], walked: here)
            return .sequence(Node.Sequence(items, sequence.tag, sequence.style, sequence.mark))
        }
    }
}
