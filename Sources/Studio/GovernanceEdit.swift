import Foundation
import PartnershipModel
import ScenarioFile
import Yams

/// A change to a scenario's governance block, as the page sends it: only the options changed,
/// each as the text typed into its control (levels as a list of names).
public struct GovernanceChange: Sendable, Equatable {
    /// The options the page can change, in the order of the form (and of SCENARIO.md).
    public static let keys = ["levels", "decision_rule", "lead_partner", "pooled_fraction", "commissioning",
                              "performance_management", "review_every", "leadership", "scrutiny"]

    /// Values by key; `levels` is held in `levels`.
    public var values: [String: String] = [:]
    public var levels: [String]?

    public init(values: [String: String] = [:], levels: [String]? = nil) {
        self.values = values
        self.levels = levels
    }

    public var isEmpty: Bool { values.isEmpty && levels == nil }

    /// Reads `{"levels": [...], "pooled_fraction": "0.05", ...}`; numbers may be JSON numbers or
    /// strings. Keys that are not governance options are problems of their own.
    public init(json object: [String: JSONValue]?) throws(FieldErrors) {
        guard let object else { return }
        var problems: [FieldError] = []
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            guard GovernanceChange.keys.contains(key) else {
                problems.append(FieldError(path: "governance.\(key)", message: "is not an option the studio changes; options: \(GovernanceChange.keys.joined(separator: ", "))"))
                continue
            }
            switch (key, value) {
            case let ("levels", .array(items)):
                let names = items.compactMap { item -> String? in if case let .string(name) = item { return name } else { return nil } }
                guard names.count == items.count else {
                    problems.append(FieldError(path: "governance.levels", message: "must be a list of level names"))
                    continue
                }
                levels = names
            case ("levels", _):
                problems.append(FieldError(path: "governance.levels", message: "must be a list of level names"))
            case let (_, .string(text)): values[key] = text
            case let (_, .number(number)): values[key] = "\(number)"
            case ("lead_partner", .null): values[key] = ""
            default: problems.append(FieldError(path: "governance.\(key)", message: "must be a number or text"))
            }
        }
        if !problems.isEmpty { throw FieldErrors(problems) }
    }
}

/// A JSON value of a request.
public enum JSONValue: Sendable, Equatable, Decodable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }
}

/// One problem of an input, by field path (`governance.pooled_fraction`) with what is wrong.
public struct FieldError: Sendable, Equatable, Codable {
    public var path: String
    public var message: String
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
}

public struct FieldErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [FieldError]
    public init(_ errors: [FieldError]) { self.errors = errors }
    public var description: String { errors.map { "\($0.path): \($0.message)" }.joined(separator: "; ") }
}

/// Applies a governance change to a scenario's YAML and checks the result with the scenario
/// loader, so that the studio accepts exactly what `lspsim run` would.
public enum GovernanceEdit {
    /// The changed scenario: its YAML text (re-serialised; comments are not kept) and template.
    public struct Changed: Sendable {
        public let yaml: String
        public let template: ScenarioTemplate
    }

    /// Sets the changed options in the `governance` mapping of `text` (creating it if absent),
    /// re-serialises the document and loads it. Problems come back with their field paths.
    public static func apply(_ change: GovernanceChange, to text: String, file: String) throws(FieldErrors) -> Changed {
        let root: Node
        do {
            root = try ScenarioLoader.compose(yaml: text, file: file)
        } catch {
            throw FieldErrors(error.diagnostics.map { FieldError(path: $0.path, message: $0.message) })
        }
        guard var top = root.mapping else {
            throw FieldErrors([FieldError(path: "", message: "the scenario is not a mapping")])
        }
        var governance = top["governance"]?.mapping ?? Node.Mapping([])
        if let levels = change.levels {
            governance["levels"] = Node.sequence(Node.Sequence(levels.map { Node.scalar(Node.Scalar($0)) }, .implicit, .flow))
        }
        for key in GovernanceChange.keys where key != "levels" {
            guard let value = change.values[key] else { continue }
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            if key == "lead_partner" && trimmed.isEmpty {
                governance["lead_partner"] = nil
                continue
            }
            // A number goes in plain; anything else is quoted by the emitter as needed, so that no
            // text typed into a control can add structure to the document.
            let style: Node.Scalar.Style = Double(trimmed) != nil ? .plain : .any
            governance[key] = Node.scalar(Node.Scalar(trimmed, .implicit, style))
        }
        top["governance"] = Node.mapping(governance)
        let yaml: String
        do {
            yaml = try Yams.serialize(node: Node.mapping(top), width: -1, allowUnicode: true)
        } catch {
            throw FieldErrors([FieldError(path: "governance", message: "cannot be written as YAML: \(error)")])
        }
        do {
            return Changed(yaml: yaml, template: try ScenarioLoader.parse(yaml: yaml, file: file))
        } catch {
            throw FieldErrors(error.diagnostics.map { FieldError(path: $0.path, message: $0.message) })
        }
    }
}
