import Foundation
import PartnershipModel
import Stochastic
import Yams

/// Reads scenario files (SCENARIO.md) into `ScenarioTemplate`s, reporting every problem of a file
/// together, each with file, line, column, field path, what is wrong and what would be valid.
public enum ScenarioLoader {
    /// Reads and checks the scenario file at `path`.
    public static func load(path: String) throws(ScenarioFileError) -> ScenarioTemplate {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path)
                ? "cannot be read as UTF-8 text" : "no such file"
            throw ScenarioFileError(diagnostics: [Diagnostic(file: path, line: nil, column: nil, path: "", message: reason)])
        }
        return try parse(yaml: text, file: path)
    }

    /// Checks a scenario given as YAML text; `file` names it in messages.
    public static func parse(yaml: String, file: String) throws(ScenarioFileError) -> ScenarioTemplate {
        let (root, duplicates) = try composeKeepingGoing(yaml: yaml, file: file)
        return try load(root: root, file: file, duplicates: duplicates)
    }

    /// Parses YAML text into a node tree (with line and column marks), or reports why it is not YAML
    /// (a duplicate key included).
    public static func compose(yaml: String, file: String) throws(ScenarioFileError) -> Node {
        let (root, duplicates) = try composeKeepingGoing(yaml: yaml, file: file)
        guard duplicates.isEmpty else {
            throw ScenarioFileError(diagnostics: duplicates.map { $0.diagnostic(file: file, path: "") })
        }
        return root
    }

    /// A key repeated in a block mapping: its first and its repeated position.
    struct DuplicateKey {
        let key: String
        let first: Mark
        let repeated: Int

        func diagnostic(file: String, path: String) -> Diagnostic {
            Diagnostic(file: file, line: repeated, column: first.column, path: path,
                       message: "duplicate key '\(key)' (first given at line \(first.line)); each key may appear once in a mapping")
        }
    }

    /// Composes YAML text; where Yams stops at a key repeated in a block mapping, the repeated entry
    /// is blanked out (keeping line numbers) and composing goes on, so that the rest of the file is
    /// still checked and every error reported together.
    static func composeKeepingGoing(yaml: String, file: String) throws(ScenarioFileError) -> (Node, [DuplicateKey]) {
        var text = yaml
        var duplicates: [DuplicateKey] = []
        while true {
            do {
                guard let node = try Yams.compose(yaml: text) else {
                    throw ScenarioFileError(diagnostics: [Diagnostic(file: file, line: nil, column: nil, path: "", message: "the file is empty; a scenario needs name, area, indicators and partners")])
                }
                return (node, duplicates)
            } catch let error as ScenarioFileError {
                throw error
            } catch let YamlError.duplicatedKeysInMapping(keys, context) {
                guard duplicates.count < 100, let key = keys.first,
                      let (blanked, line) = blankRepeatedKey(key, after: context.mark, in: text) else {
                    throw ScenarioFileError(diagnostics: [diagnostic(for: .duplicatedKeysInMapping(duplicates: keys, context: context), file: file)])
                }
                duplicates.append(DuplicateKey(key: key, first: context.mark, repeated: line))
                text = blanked
            } catch let error as YamlError {
                throw ScenarioFileError(diagnostics: [diagnostic(for: error, file: file)])
            } catch {
                throw ScenarioFileError(diagnostics: [Diagnostic(file: file, line: nil, column: nil, path: "", message: "not valid YAML: \(error)")])
            }
        }
    }

    /// Finds the block-mapping entry repeating `key` below its first occurrence at `first`, and
    /// blanks it (and its nested lines) out. Returns nil where it cannot be found (flow style).
    static func blankRepeatedKey(_ key: String, after first: Mark, in text: String) -> (String, Int)? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let indent = first.column - 1
        func indentation(_ line: String) -> Int? {
            let trimmed = line.drop { $0 == " " }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { return nil }
            return line.count - trimmed.count
        }
        let spellings = [key + ":", "'\(key)':", "\"\(key)\":"]
        var index = first.line
        while index < lines.count {
            guard let level = indentation(lines[index]) else { index += 1; continue }
            if level < indent { return nil }
            let rest = lines[index].dropFirst(indent)
            if level == indent, spellings.contains(where: { rest.hasPrefix($0) }) {
                lines[index] = ""
                var nested = index + 1
                while nested < lines.count, indentation(lines[nested]).map({ $0 > indent }) ?? true {
                    lines[nested] = ""
                    nested += 1
                }
                return (lines.joined(separator: "\n"), index + 1)
            }
            index += 1
        }
        return nil
    }

    /// Checks a scenario given as a YAML node tree (as composed from a file, perhaps edited).
    public static func load(root: Node, file: String) throws(ScenarioFileError) -> ScenarioTemplate {
        try load(root: root, file: file, duplicates: [])
    }

    static func load(root: Node, file: String, duplicates: [DuplicateKey]) throws(ScenarioFileError) -> ScenarioTemplate {
        var builder = Builder(file: file)
        let scenario = builder.scenario(root)
        var diagnostics = builder.reader.diagnostics
        for duplicate in duplicates {
            let path = builder.reader.keyPositions.first { $0.value.line == duplicate.first.line && $0.value.column == duplicate.first.column }?.key
            diagnostics.append(duplicate.diagnostic(file: file, path: path ?? ""))
        }
        if let scenario {
            // Rules over the whole scenario; a path (or its parent or child) already reported is
            // skipped, since a value that could not be read stands there as a placeholder.
            let reported = diagnostics.map(\.path)
            // A list-wide rule depends only on some fields of the items; others do not hide it.
            let listDependencies = ["partners": [".interests", ".tier", ".kind", ".id"], "indicators": [".laa_target", ".id"]]
            func related(_ path: String) -> Bool {
                reported.contains { other in
                    if other == path || path.hasPrefix(other + ".") || path.hasPrefix(other + "[") { return true }
                    guard other.hasPrefix(path + ".") || other.hasPrefix(path + "[") else { return false }
                    guard let fields = listDependencies[path] else { return true }
                    return fields.contains { other.contains($0) }
                }
            }
            let uncertainPaths = Set(builder.uncertain.map(\.path))
            for issue in scenario.validationIssues(isUncertain: uncertainPaths.contains) where !related(issue.path) {
                let mark = builder.reader.positions[issue.path]
                    ?? builder.reader.position(of: issue.locatedAt ?? issue.path)
                diagnostics.append(Diagnostic(file: file, line: mark?.line, column: mark?.column, path: issue.path, message: issue.message))
            }
            if diagnostics.isEmpty {
                do {
                    return try ScenarioTemplate(file: file, scenario: scenario, uncertain: builder.uncertain)
                } catch {
                    diagnostics = error.issues.map { Diagnostic(file: file, line: nil, column: nil, path: $0.path, message: $0.message) }
                }
            }
        }
        throw ScenarioFileError(diagnostics: diagnostics.sorted { ($0.line ?? 0, $0.column ?? 0) < ($1.line ?? 0, $1.column ?? 0) })
    }

    static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let detail = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
            return Diagnostic(file: file, line: mark.line, column: mark.column, path: "", message: "not valid YAML: \(problem)\(detail)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return Diagnostic(file: file, line: context.mark.line, column: context.mark.column, path: "", message: "duplicate key \(keys) in a mapping; each key may appear once")
        case let .reader(problem, _, _, _):
            return Diagnostic(file: file, line: nil, column: nil, path: "", message: "cannot be read: \(problem)")
        default:
            return Diagnostic(file: file, line: nil, column: nil, path: "", message: "not valid YAML: \(error)")
        }
    }
}

/// Builds a `Scenario` from the YAML tree, field by field.
private struct Builder {
    var reader: YAMLReader
    var uncertain: [UncertainParameter] = []

    init(file: String) { reader = YAMLReader(file: file) }

    static let topKeys = ["name", "description", "area", "indicators", "partners", "governance", "model"]
    static let areaKeys = ["tier", "quarters"]
    static let indicatorKeys = ["id", "name", "unit", "baseline", "target", "higher_is_better", "trend", "responsiveness", "noise_sd", "laa_target"]
    static let partnerKeys = ["id", "name", "kind", "tier", "budget", "discretionary", "named_partner", "openness", "trust", "interests", "capability"]
    static let governanceKeys = ["levels", "decision_rule", "lead_partner", "pooled_fraction", "performance_management", "review_every", "leadership", "scrutiny", "central_burden", "commissioning"]
    static let modelKeys = ["version"] + Scenario.modelFields.map(\.key) + ["delivery_lag"]

    mutating func scenario(_ root: Node) -> Scenario? {
        reader.remember("", root)
        guard let top = reader.mapping(root, "", allowed: Self.topKeys) else { return nil }
        let mark = root.mark
        let name = reader.require(top, "name", "", at: mark, what: "the scenario's name").flatMap { reader.string($0, "name") }
        let description = reader.optional(top, "description").flatMap { reader.string($0, "description") }
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty {
            reader.report("name", "must not be empty; give the scenario a name", at: top["name"]?.value.mark)
        }

        var tier: AreaTier?
        var quarters = 12
        if let areaNode = reader.require(top, "area", "", at: mark, what: "a mapping with tier: single or two_tier"),
           let area = reader.mapping(areaNode, "area", allowed: Self.areaKeys) {
            tier = reader.require(area, "tier", "area", at: areaNode.mark, what: "single or two_tier")
                .flatMap { reader.choice($0, "area.tier", AreaTier.self) }
            if let node = reader.optional(area, "quarters") {
                quarters = reader.integer(node, "area.quarters", atLeast: 1) ?? quarters
            }
        }

        var indicators: [Indicator] = []
        if let node = reader.require(top, "indicators", "", at: mark, what: "a list of at least one indicator"),
           let items = reader.sequence(node, "indicators", of: "indicators") {
            for (k, item) in items.enumerated() {
                if let indicator = indicator(item, k) { indicators.append(indicator) }
            }
            if items.isEmpty { reader.report("indicators", "must list at least one indicator", at: node.mark) }
        }

        var partners: [Partner] = []
        if let node = reader.require(top, "partners", "", at: mark, what: "a list of at least one partner"),
           let items = reader.sequence(node, "partners", of: "partners") {
            for (i, item) in items.enumerated() {
                if let partner = partner(item, i) { partners.append(partner) }
            }
            if items.isEmpty { reader.report("partners", "must list at least one partner", at: node.mark) }
        }

        var governance = Governance()
        if let node = reader.optional(top, "governance") { governance = self.governance(node) }
        var model = ModelConstants()
        if let node = reader.optional(top, "model") { model = self.model(node) }

        // Without the area's tier, the tier rules would only add noise to the errors already found.
        guard let tier else { return nil }
        return Scenario(name: name ?? "", description: description, tier: tier, quarters: quarters,
                        indicators: indicators, partners: partners, governance: governance, model: model)
    }

    // MARK: Blocks

    mutating func indicator(_ node: Node, _ k: Int) -> Indicator? {
        let base = "indicators[\(k)]"
        guard let fields = reader.mapping(node, base, allowed: Self.indicatorKeys) else { return nil }
        let id = reader.require(fields, "id", base, at: node.mark, what: "a unique id such as NI117").flatMap { reader.string($0, "\(base).id") }
        let name = reader.require(fields, "name", base, at: node.mark, what: "the indicator's name").flatMap { reader.string($0, "\(base).name") }
        let unit = reader.optional(fields, "unit").flatMap { reader.string($0, "\(base).unit") }
        let higher = reader.require(fields, "higher_is_better", base, at: node.mark, what: "true or false").flatMap { reader.bool($0, "\(base).higher_is_better") }
        let laa = reader.optional(fields, "laa_target").flatMap { reader.bool($0, "\(base).laa_target") } ?? true
        var values: [Double?] = []
        let required: Set<String> = ["baseline", "target", "responsiveness"]
        for (index, field) in Scenario.indicatorFields.enumerated() {
            let path = "\(base).\(field.key)"
            let node = required.contains(field.key)
                ? reader.require(fields, field.key, base, at: node.mark, what: field.range.text)
                : reader.optional(fields, field.key)
            if let node {
                values.append(numeric(node, path, .indicator(index: k, field: index), field.range))
            } else {
                values.append(required.contains(field.key) ? nil : 0)
            }
        }
        // Unreadable values stand as placeholders; their errors are already reported.
        var indicator = Indicator(id: id ?? "", name: name ?? "", unit: unit, baseline: 0, target: 0,
                                  higherIsBetter: higher ?? true, responsiveness: 0, laaTarget: laa)
        for (index, field) in Scenario.indicatorFields.enumerated() { indicator[keyPath: field.keyPath] = values[index] ?? 0 }
        return indicator
    }

    mutating func partner(_ node: Node, _ i: Int) -> Partner? {
        let base = "partners[\(i)]"
        guard let fields = reader.mapping(node, base, allowed: Self.partnerKeys) else { return nil }
        let id = reader.require(fields, "id", base, at: node.mark, what: "a unique id such as police").flatMap { reader.string($0, "\(base).id") }
        let name = reader.require(fields, "name", base, at: node.mark, what: "the organisation's name").flatMap { reader.string($0, "\(base).name") }
        let kind = reader.require(fields, "kind", base, at: node.mark, what: PartnerKind.allCases.map(\.rawValue).joined(separator: ", "))
            .flatMap { reader.choice($0, "\(base).kind", PartnerKind.self) }
        let tier = reader.require(fields, "tier", base, at: node.mark, what: "area, county or district:NAME").flatMap { partnerTier($0, "\(base).tier") }
        let named = reader.optional(fields, "named_partner").flatMap { reader.bool($0, "\(base).named_partner") } ?? false
        var values: [Double?] = []
        for (index, field) in Scenario.partnerFields.enumerated() {
            let path = "\(base).\(field.key)"
            guard let valueNode = reader.require(fields, field.key, base, at: node.mark, what: field.range.text) else {
                values.append(nil)
                continue
            }
            values.append(numeric(valueNode, path, .partner(index: i, field: index), field.range))
        }
        var interests: [(id: String, weight: Double)]?
        if let mapNode = reader.require(fields, "interests", base, at: node.mark, what: "weights >= 0 by indicator id, e.g. {NI117: 2, NI8: 1}") {
            interests = weights(mapNode, "\(base).interests") { .interest(partner: i, entry: $0) }
        }
        var capability: [(id: String, weight: Double)]? = []
        if let mapNode = reader.optional(fields, "capability") {
            capability = weights(mapNode, "\(base).capability") { .capability(partner: i, entry: $0) }
        }
        // Unreadable values stand as placeholders; their errors are already reported.
        var partner = Partner(id: id ?? "", name: name ?? "", kind: kind ?? .other, tier: tier ?? .area,
                              budget: 0, discretionary: 0, namedPartner: named, openness: 0, trust: 0,
                              interests: interests ?? [],
                              capability: (capability ?? []).map { (id: $0.id, value: $0.weight) })
        for (index, field) in Scenario.partnerFields.enumerated() { partner[keyPath: field.keyPath] = values[index] ?? 0 }
        return partner
    }

    mutating func governance(_ node: Node) -> Governance {
        var governance = Governance()
        guard let fields = reader.mapping(node, "governance", allowed: Self.governanceKeys) else { return governance }
        if let levelsNode = reader.optional(fields, "levels"),
           let items = reader.sequence(levelsNode, "governance.levels", of: "levels (strategic, executive, thematic)") {
            var levels = Set<GovernanceLevel>()
            for (index, item) in items.enumerated() {
                guard let level = reader.choice(item, "governance.levels[\(index)]", GovernanceLevel.self) else { continue }
                if !levels.insert(level).inserted {
                    reader.report("governance.levels[\(index)]", "repeats '\(level.rawValue)'; each level may appear once", at: item.mark)
                }
            }
            governance.levels = levels
        }
        if let rule = reader.optional(fields, "decision_rule").flatMap({ reader.choice($0, "governance.decision_rule", DecisionRule.self) }) {
            governance.decisionRule = rule
        }
        governance.leadPartner = reader.optional(fields, "lead_partner").flatMap { reader.string($0, "governance.lead_partner", expected: "a partner id") }
        if let reviewNode = reader.optional(fields, "review_every") {
            governance.reviewEvery = reader.integer(reviewNode, "governance.review_every", atLeast: 1) ?? governance.reviewEvery
        }
        for (index, field) in Scenario.governanceFields.enumerated() {
            guard let valueNode = reader.optional(fields, field.key) else { continue }
            if let value = numeric(valueNode, "governance.\(field.key)", .governance(field: index), field.range) {
                governance[keyPath: field.keyPath] = value
            }
        }
        return governance
    }

    mutating func model(_ node: Node) -> ModelConstants {
        guard let fields = reader.mapping(node, "model", allowed: Self.modelKeys) else { return ModelConstants() }
        // The version comes first: it sets the defaults of the constants that differ by version.
        var version = ModelVersion.current
        if let versionNode = reader.optional(fields, "version"),
           let number = reader.integer(versionNode, "model.version", atLeast: 1) {
            if let chosen = ModelVersion(rawValue: number) {
                version = chosen
            } else {
                let valid = ModelVersion.allCases.map(\.description).joined(separator: " or ")
                reader.report("model.version", "must be \(valid) (the dynamics of SPEC.md; 2 is the default), got \(number)", at: versionNode.mark)
            }
        }
        var model = ModelConstants(version: version)
        for (index, field) in Scenario.modelFields.enumerated() {
            guard let valueNode = reader.optional(fields, field.key) else { continue }
            if let value = numeric(valueNode, "model.\(field.key)", .model(field: index), field.range) {
                model[keyPath: field.keyPath] = value
            }
        }
        if let lagNode = reader.optional(fields, "delivery_lag") {
            model.deliveryLag = reader.integer(lagNode, "model.delivery_lag", atLeast: 0) ?? model.deliveryLag
        }
        return model
    }

    // MARK: Values

    mutating func partnerTier(_ node: Node, _ path: String) -> PartnerTier? {
        guard let text = reader.string(node, path, expected: "area, county or district:NAME") else { return nil }
        switch text {
        case "area": return .area
        case "county": return .county
        default:
            if text.hasPrefix("district:") {
                let name = String(text.dropFirst("district:".count)).trimmingCharacters(in: .whitespaces)
                if !name.isEmpty { return .district(name) }
            }
            reader.report(path, "must be area, county or district:NAME, got '\(text)'", at: node.mark)
            return nil
        }
    }

    /// A map of indicator id to number (or distribution), in file order.
    mutating func weights(_ node: Node, _ path: String, target: (Int) -> UncertainParameter.Target) -> [(id: String, weight: Double)]? {
        reader.remember(path, node)
        guard case let .mapping(mapping) = node else {
            reader.report(path, "must be a mapping of indicator id to number, e.g. {NI117: 2}, got \(YAMLReader.kind(of: node))", at: node.mark)
            return nil
        }
        var entries: [(id: String, weight: Double)] = []
        var ok = true
        for (key, value) in mapping {
            guard case let .scalar(scalar) = key else {
                reader.report(path, "has a key that is not an indicator id", at: key.mark)
                ok = false
                continue
            }
            let child = "\(path).\(scalar.string)"
            reader.remember(child, key)
            reader.rememberKey(child, key)
            if let number = numeric(value, child, target(entries.count), .nonNegative) {
                entries.append((scalar.string, number))
            } else {
                ok = false
            }
        }
        return ok ? entries : nil
    }


    func scalarText(_ node: Node) -> String { node.string ?? "" }

    static let distributionParameters: [String: [String]] = [
        "uniform": ["min", "max"], "normal": ["mean", "sd"], "beta": ["a", "b"],
        "gamma": ["shape", "scale"], "lognormal": ["mu", "sigma"],
    ]

    /// A number, or a distribution (recorded as uncertain; its mean stands in for the value).
    mutating func numeric(_ node: Node, _ path: String, _ target: UncertainParameter.Target, _ range: ValueRange) -> Double? {
        guard case let .mapping(mapping) = node else {
            guard let value = reader.number(node, path) else { return nil }
            if !range.contains(value) {
                reader.report(path, "must be \(range.text), got \(scalarText(node))", at: node.mark)
            }
            return value
        }
        let kinds = Self.distributionParameters.keys.sorted().joined(separator: ", ")
        guard let kindNode = mapping["dist"], let kind = kindNode.string, let names = Self.distributionParameters[kind] else {
            let given = mapping["dist"].map { "got dist: \(YAMLReader.shown($0))" } ?? "the mapping has no dist key"
            reader.report(path, "must be a number or a distribution {dist: KIND, ...} with KIND one of \(kinds); \(given)", at: node.mark)
            return nil
        }
        guard let fields = reader.mapping(node, path, allowed: ["dist"] + names) else { return nil }
        var parameters: [Double] = []
        for name in names {
            guard let valueNode = reader.require(fields, name, path, at: node.mark, what: "a parameter of the \(kind) distribution"),
                  let value = reader.number(valueNode, "\(path).\(name)") else { continue }
            parameters.append(value)
        }
        guard parameters.count == names.count else { return nil }
        let a = parameters[0], b = parameters[1]
        let distribution: Distribution
        var problem: String?
        switch kind {
        case "uniform":
            distribution = .uniform(min: a, max: b)
            if !(a < b) { problem = "a uniform distribution needs min < max, got min \(a), max \(b)" }
        case "normal":
            distribution = .normal(mean: a, sd: b)
            if !(b > 0) { problem = "a normal distribution needs sd > 0, got \(b)" }
        case "beta":
            distribution = .beta(a: a, b: b)
            if !(a > 0 && b > 0) { problem = "a beta distribution needs a > 0 and b > 0, got a \(a), b \(b)" }
        case "gamma":
            distribution = .gamma(shape: a, scale: b)
            if !(a > 0 && b > 0) { problem = "a gamma distribution needs shape > 0 and scale > 0, got shape \(a), scale \(b)" }
        default:
            distribution = .lognormal(mu: a, sigma: b)
            if !(b > 0) { problem = "a lognormal distribution needs sigma > 0, got \(b)" }
        }
        if let problem {
            reader.report(path, problem, at: node.mark)
            return nil
        }
        let mark = node.mark
        uncertain.append(UncertainParameter(path: path, distribution: distribution, line: mark?.line ?? 0,
                                            column: mark?.column ?? 0, target: target))
        return distribution.mean
    }
}
