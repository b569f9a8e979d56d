import Foundation
import ScenarioFile
import Stochastic
import Yams

/// A robust-decision sweep (docs/ROBUST.md): named governance options, each run in every one of
/// `worlds` sampled combinations of uncertain model constants, with the same replications and the
/// same random numbers.
///
/// It is expanded into ordinary design points, so that the runner, the store, `--resume`, shards
/// and Slurm work unchanged. The sweep's factors are, in order:
///
/// 1. `option`: the option's name (recorded only; not set in the scenario),
/// 2. `world`: the world's number, 1 to `worlds` (recorded only),
/// 3. one factor per field path any option sets: the option's value, or for an option that does not
///    set it the base scenario's own value (`(default)` where the scenario leaves it to the model),
/// 4. one factor per uncertainty: the world's value;
/// 5. with `worlds: {from: posterior}`, one factor per column of the sweep's posterior: the value of
///    the world's particle (each world is one particle, drawn by weight).
///
/// Points are numbered scenario by scenario, then option by option (in file order, `current`
/// first), then world by world. Replication r of every point uses the generator seeds of (S, r),
/// so every option meets the same luck in every world (common random numbers).
public struct RobustDesign: Sendable {
    /// A named governance package: field paths and the values it sets.
    public struct Option: Sendable {
        public let name: String
        public let settings: [(path: String, value: FactorValue)]
    }

    /// The options, `current` (the scenario as written) first.
    public let options: [Option]
    /// The uncertain inputs, as factors (ranges or lists of values).
    public let uncertainties: [Factor]
    /// The number of worlds sampled, and how (`latin_hypercube`, `sobol` or `random`).
    public let worlds: Int
    public let worldDesign: DesignKind
    /// The field paths set by at least one option, in order of first appearance.
    public let settingPaths: [String]
    /// Whether each world is also one particle of the sweep's posterior (`worlds: {from: posterior}`).
    public let worldsFromPosterior: Bool

    /// The names of the two recorded factors.
    public static let optionFactor = "option", worldFactor = "world"
    /// The name of the option that is the scenario as written.
    public static let current = "current"
    /// The recorded value of an option's field path where neither the option nor the scenario sets it.
    public static let defaultLabel = "(default)"

    /// The sampled worlds: one value per uncertainty for each world, then (with `from: posterior`)
    /// the values of the world's particle.
    public func worldValues(seed: UInt64, generator: GeneratorKind, posterior: Posterior? = nil) throws -> [[FactorValue]] {
        var rows: [[FactorValue]] = Array(repeating: [], count: worldsFromPosterior ? worlds : 1)
        if !uncertainties.isEmpty {
            let unit = try DesignGenerator.unitPoints(worldDesign, count: worlds, dimensions: uncertainties.count,
                                                      seed: seed, generator: generator)
            rows = unit.map { u in zip(uncertainties, u).map { DesignGenerator.value(of: $0, at: $1) } }
        }
        if worldsFromPosterior, let posterior {
            let particles = try Self.particles(count: worlds, posterior: posterior, seed: seed, generator: generator)
            for w in rows.indices { rows[w] += posterior.values[particles[w]].map { FactorValue(number: $0, integer: false) } }
        }
        return rows
    }

    /// The particle (0-based row of posterior.csv) of each of `count` worlds, drawn by weight with
    /// replacement, one uniform per world from the sweep's input stream of "replication 0" (the
    /// worlds' design uses its quarter stream), so the same file always gives the same worlds.
    public static func particles(count: Int, posterior: Posterior, seed: UInt64, generator kind: GeneratorKind) throws -> [Int] {
        let generator = try Generator(kind: kind)
        generator.reseed(inputsOf: seed, replication: 0)
        let choice = WeightedChoice(weights: posterior.weights)
        return (0..<count).map { _ in choice.index(for: generator.uniform()) }
    }

    /// Each base scenario's own value of each of `settingPaths`, for the options that do not set it.
    public let scenarioSettings: [[FactorValue]]

    /// Every (scenario, option, world) as an ordinary design point of `spec` (whose factors are this
    /// design's, see the type's documentation).
    func points(_ spec: SweepSpec) throws -> [DesignPoint] {
        let worldRows = try worldValues(seed: spec.seed, generator: spec.generator, posterior: spec.posterior?.source.posterior)
        var points: [DesignPoint] = []
        points.reserveCapacity(spec.scenarios.count * options.count * worldRows.count)
        for scenario in spec.scenarios.indices {
            for option in options {
                let name = FactorValue(record: Node(option.name), number: nil)
                let settings = settingPaths.enumerated().map { p, path in
                    option.settings.first { $0.path == path }?.value ?? scenarioSettings[scenario][p]
                }
                for (w, world) in worldRows.enumerated() {
                    let number = FactorValue(record: Node(String(w + 1)), number: Double(w + 1))
                    points.append(DesignPoint(scenario: scenario, values: [name, number] + settings + world))
                }
            }
        }
        return points
    }

    /// The base scenario's value at `path` (set again unchanged), or the `(default)` marker (not set)
    /// where the scenario leaves the field to the model.
    static func scenarioValue(_ path: FactorPath, in root: Node) -> FactorValue {
        var node: Node? = root
        for component in path.components {
            switch component {
            case let .key(key): node = node?.mapping?[key]
            case let .index(index): node = node?.sequence.flatMap { index < $0.count ? Array($0)[index] : nil }
            case let .id(id): node = node?.sequence?.first { $0.mapping?["id"]?.string == id }
            }
        }
        if let node, !YAMLReader.isNull(node) { return FactorValue(node: node) }
        return FactorValue(record: Node(defaultLabel), number: nil)
    }
}

extension FactorValue {
    /// A value recorded for analysis but not set in the scenario.
    init(record node: Node, number: Double?) {
        self.init(node: node)
        applies = false
    }
}

/// Reads `options:`, `uncertainties:` and `worlds:` of a sweep file (docs/ROBUST.md), reporting
/// problems like every other part of a sweep file: file, line, field path, what is valid.
public enum RobustLoader {
    static let topKeys = ["options", "uncertainties", "worlds"]
    static let optionKeys = ["name", "set"]
    static let uncertaintyKeys = ["path", "min", "max", "integer", "values", "include"]
    static let worldKeys = ["count", "design", "from"]
    static let includedKeys = ["description", "uncertainties"]
    /// The world designs: sampling designs over the uncertainties.
    static let worldDesigns: [DesignKind] = [.latinHypercube, .sobol, .random]

    /// What `read` found, to be checked against the base scenarios by `finish`.
    struct Parsed {
        typealias Setting = (path: String, pathValue: FactorPath, value: FactorValue, mark: Mark?)
        var options: [(name: String, settings: [Setting], mark: Mark?)] = []
        var uncertainties: [(factor: Factor, file: String, mark: Mark?, label: String)] = []
        var worlds = 1
        var worldDesign = DesignKind.latinHypercube
        /// `worlds: {from: posterior}`: each world is also one particle of the sweep's posterior.
        var worldsFromPosterior = false
        /// Problems found in included files (the sweep file's own are in its reader).
        var diagnostics: [Diagnostic] = []
        /// The texts of included files, appended to the sweep's text so that its hash covers them.
        var includedText = ""
    }

    /// Reads the robust keys of the sweep file's top mapping; nil when it has none of them.
    static func read(_ top: [String: (key: Node, value: Node)], root: Node, reader: inout YAMLReader, folder: URL,
                     hasFactors: Bool, hasPosterior: Bool, design: inout DesignSpec) -> Parsed? {
        guard topKeys.contains(where: { top[$0] != nil }) else { return nil }
        var parsed = Parsed()
        if hasFactors {
            reader.report("factors", "cannot be combined with options and uncertainties: write a fixed choice as an option's set, an unknown as an uncertainty", at: top["factors"]?.value.mark)
        }
        if let entry = top["design"] {
            reader.report("design", "does not apply to options and uncertainties, which are sampled by worlds: {count: N, design: \(worldDesigns.map(\.rawValue).joined(separator: "|"))}", at: entry.value.mark)
        }

        // Options: `current` first.
        var names: [String: Int] = [RobustDesign.current: -1]
        parsed.options.append((RobustDesign.current, [], root.mark))
        if let node = reader.optional(top, "options"), let items = reader.sequence(node, "options", of: "options ({name: ..., set: {path: value, ...}})") {
            for (index, item) in items.enumerated() {
                let base = "options[\(index)]"
                guard let fields = reader.mapping(item, base, allowed: optionKeys) else { continue }
                guard let name = reader.require(fields, "name", base, at: item.mark, what: "the option's name, e.g. \"Pool 5%\"")
                    .flatMap({ reader.string($0, "\(base).name") }) else { continue }
                if let earlier = names[name] {
                    let what = earlier < 0 ? "'current' is the scenario as written, always included as an option" : "options[\(earlier)] is named '\(name)' already"
                    reader.report("\(base).name", "must be unique: \(what)", at: fields["name"]?.value.mark)
                    continue
                }
                names[name] = index
                var settings: [Parsed.Setting] = []
                if let set = reader.require(fields, "set", base, at: item.mark, what: "the fields the option sets, e.g. {governance.pooled_fraction: 0.1}"),
                   case let .mapping(mapping) = set {
                    for (key, value) in mapping {
                        let text = key.string ?? ""
                        do {
                            settings.append((text, try FactorPath(text), FactorValue(node: value), key.mark))
                        } catch {
                            reader.report("\(base).set.\(text)", error.message, at: key.mark)
                        }
                    }
                    if mapping.count == 0 { reader.report("\(base).set", "sets nothing; the scenario as written is the option 'current' already", at: set.mark) }
                } else if let set = fields["set"]?.value, !YAMLReader.isNull(set) {
                    reader.report("\(base).set", "must be a mapping of field paths to values, e.g. {governance.pooled_fraction: 0.1}, got \(YAMLReader.kind(of: set))", at: set.mark)
                }
                parsed.options.append((name, settings, item.mark))
            }
        }

        // Uncertainties, from this file or included files.
        var seen = Set<String>()
        if let node = reader.optional(top, "uncertainties") {
            readUncertainties(node, path: "uncertainties", reader: &reader, folder: folder, into: &parsed, seen: &seen, depth: 0)
        }
        let settingPaths = Set(parsed.options.flatMap { $0.settings.map(\.path) })
        for item in parsed.uncertainties where settingPaths.contains(item.factor.name) {
            parsed.diagnostics.append(Diagnostic(file: item.file, line: item.mark?.line, column: item.mark?.column, path: item.label,
                                                 message: "'\(item.factor.name)' is set by an option, so it cannot also be uncertain"))
        }

        // Worlds.
        if let node = reader.optional(top, "worlds"), let fields = reader.mapping(node, "worlds", allowed: worldKeys) {
            if let count = reader.require(fields, "count", "worlds", at: node.mark, what: "the number of worlds sampled from the uncertainties") {
                parsed.worlds = reader.integer(count, "worlds.count", atLeast: 1) ?? 1
            }
            if let kind = reader.optional(fields, "design").flatMap({ reader.choice($0, "worlds.design", DesignKind.self) }) {
                if worldDesigns.contains(kind) {
                    parsed.worldDesign = kind
                } else {
                    reader.report("worlds.design", "must be one of \(worldDesigns.map(\.rawValue).joined(separator: ", ")) (a sample of the uncertainties), got \(kind.rawValue)", at: fields["design"]?.value.mark)
                }
            }
            if let from = reader.optional(fields, "from") {
                switch reader.string(from, "worlds.from") {
                case "posterior":
                    parsed.worldsFromPosterior = true
                    if !hasPosterior {
                        reader.report("worlds.from", "'posterior' needs posterior: DIR at the top of the sweep file (the folder of a calibration, relative to this file)", at: from.mark)
                    }
                case "uncertainties", nil:
                    break
                case let other?:
                    reader.report("worlds.from", "must be uncertainties (the default: worlds sampled from the uncertainties) or posterior (each world also one particle of the posterior, drawn by weight), got '\(other)'", at: from.mark)
                }
            }
            if parsed.uncertainties.isEmpty && !parsed.worldsFromPosterior {
                reader.report("worlds", "needs uncertainties: [{path: ..., min: .., max: ..}, ...] to sample worlds from, or from: posterior", at: node.mark)
            }
        } else if !parsed.uncertainties.isEmpty && top["worlds"] == nil {
            reader.report("worlds", "is required with uncertainties: {count: N, design: latin_hypercube} (how many worlds to sample)", at: top["uncertainties"]?.value.mark)
        }
        if parsed.worldDesign == .sobol && parsed.uncertainties.count > 40 {
            reader.report("uncertainties", "a Sobol design takes at most 40 uncertainties (GSL's limit), got \(parsed.uncertainties.count)", at: top["uncertainties"]?.value.mark)
        }
        design = parsed.uncertainties.isEmpty ? DesignSpec(kind: .grid, samples: nil) : DesignSpec(kind: parsed.worldDesign, samples: parsed.worlds)
        return parsed
    }

    /// Reads a list of uncertainties, or `{include: FILE}` (relative to the including file), whose
    /// file holds `uncertainties: [...]`; list items may also be `{include: FILE}`.
    private static func readUncertainties(_ node: Node, path: String, reader: inout YAMLReader, folder: URL,
                                          into parsed: inout Parsed, seen: inout Set<String>, depth: Int) {
        if case let .mapping(mapping) = node, mapping["include"] != nil {
            guard let fields = reader.mapping(node, path, allowed: ["include"]),
                  let name = fields["include"].flatMap({ reader.string($0.value, "\(path).include") }) else { return }
            include(name, from: path, at: node.mark, reader: &reader, folder: folder, into: &parsed, seen: &seen, depth: depth)
            return
        }
        guard let items = reader.sequence(node, path, of: "uncertainties ({path: ..., min: .., max: ..} or {path: ..., values: [..]}), or {include: FILE}") else { return }
        for (index, item) in items.enumerated() {
            let base = "\(path)[\(index)]"
            guard let fields = reader.mapping(item, base, allowed: uncertaintyKeys) else { continue }
            if let file = fields["include"] {
                if fields.count > 1 { reader.report(base, "an include takes no other keys", at: item.mark) }
                if let name = reader.string(file.value, "\(base).include") {
                    include(name, from: base, at: item.mark, reader: &reader, folder: folder, into: &parsed, seen: &seen, depth: depth)
                }
                continue
            }
            guard let pathNode = reader.require(fields, "path", base, at: item.mark, what: "the scenario field that is uncertain, e.g. model.tier_attenuation"),
                  let text = reader.string(pathNode, "\(base).path") else { continue }
            let factorPath: FactorPath
            do {
                factorPath = try FactorPath(text)
            } catch {
                reader.report("\(base).path", error.message, at: pathNode.mark)
                continue
            }
            if !seen.insert(text).inserted {
                reader.report("\(base).path", "'\(text)' is uncertain in an earlier entry already", at: pathNode.mark)
                continue
            }
            let values = reader.optional(fields, "values"), low = reader.optional(fields, "min"), high = reader.optional(fields, "max")
            var domain: Factor.Domain?
            switch (values, low ?? high) {
            case let (values?, nil):
                if fields["integer"] != nil { reader.report("\(base).integer", "applies to ranges (min, max) only", at: fields["integer"]?.value.mark) }
                if let list = reader.sequence(values, "\(base).values", of: "values") {
                    if list.isEmpty { reader.report("\(base).values", "must list at least one value", at: values.mark) }
                    domain = .values(list.map(FactorValue.init(node:)))
                }
            case (nil, .some):
                guard let low, let high else {
                    reader.report(base, "a range needs both min and max", at: item.mark)
                    continue
                }
                let integer = reader.optional(fields, "integer").flatMap { reader.bool($0, "\(base).integer") } ?? false
                guard let a = reader.number(low, "\(base).min"), let b = reader.number(high, "\(base).max") else { continue }
                if !(a < b) { reader.report(base, "needs min < max, got min \(a), max \(b)", at: item.mark) }
                if integer && (a.rounded() != a || b.rounded() != b) { reader.report(base, "an integer range needs integer min and max", at: item.mark) }
                domain = .range(min: a, max: b, integer: integer, levels: nil)
            default:
                reader.report(base, "needs exactly one of values: [..] or min: A, max: B", at: item.mark)
            }
            if let domain {
                parsed.uncertainties.append((Factor(name: text, path: factorPath, domain: domain), reader.file, item.mark, base))
            }
        }
    }

    private static func include(_ name: String, from path: String, at mark: Mark?, reader: inout YAMLReader, folder: URL,
                                into parsed: inout Parsed, seen: inout Set<String>, depth: Int) {
        let file = name.hasPrefix("/") ? name : folder.appendingPathComponent(name).path
        guard depth < 4 else {
            reader.report("\(path).include", "includes nest too deeply (at most 4 levels)", at: mark)
            return
        }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            reader.report("\(path).include", "no such file: \(file)", at: mark)
            return
        }
        parsed.includedText += "\n# included: \(name)\n" + text
        let root: Node
        do {
            root = try ScenarioLoader.compose(yaml: text, file: file)
        } catch {
            parsed.diagnostics += error.diagnostics
            return
        }
        var inner = YAMLReader(file: file)
        if let top = inner.mapping(root, "", allowed: includedKeys),
           let list = inner.require(top, "uncertainties", "", at: root.mark, what: "the list of uncertainties") {
            readUncertainties(list, path: "uncertainties", reader: &inner, folder: URL(fileURLWithPath: file).deletingLastPathComponent(),
                              into: &parsed, seen: &seen, depth: depth + 1)
        }
        parsed.diagnostics += inner.diagnostics
    }

    /// Checks every option's values and every uncertainty's bounds (or values) on every base
    /// scenario, like factors, then turns `spec` into the robust sweep's.
    static func finish(_ parsed: Parsed, spec: inout SweepSpec, bases: [(path: String, text: String, root: Node)], file: String) throws(ScenarioFileError) {
        var diagnostics: [Diagnostic] = []
        func check(_ settings: [(path: FactorPath, value: FactorValue)], what: String, file: String, mark: Mark?, path: String) {
            for base in bases {
                let scenario = URL(fileURLWithPath: base.path).lastPathComponent
                do {
                    var tree = base.root
                    for setting in settings { tree = try setting.path.setting(setting.value.node, in: tree) }
                    _ = try ScenarioLoader.load(root: tree, file: base.path)
                } catch let problem as FactorPath.Problem {
                    diagnostics.append(Diagnostic(file: file, line: mark?.line, column: mark?.column, path: path, message: problem.message))
                    return
                } catch let error as ScenarioFileError {
                    for d in error.diagnostics {
                        diagnostics.append(Diagnostic(file: file, line: mark?.line, column: mark?.column, path: path,
                                                      message: "\(what) on \(scenario) makes an invalid scenario: \(d.path.isEmpty ? "" : d.path + ": ")\(d.message)"))
                    }
                } catch {
                    diagnostics.append(Diagnostic(file: file, line: mark?.line, column: mark?.column, path: path, message: "\(error)"))
                }
            }
        }
        for (index, option) in parsed.options.enumerated() where index > 0 {
            let base = "options[\(index - 1)]"
            for setting in option.settings {
                check([(setting.pathValue, setting.value)], what: "\(base) (\(setting.path) = \(setting.value.label))", file: file,
                      mark: setting.mark, path: "\(base).set.\(setting.path)")
            }
            if option.settings.count > 1 && diagnostics.isEmpty {
                check(option.settings.map { ($0.pathValue, $0.value) }, what: "\(base) ('\(option.name)', all its settings together)",
                      file: file, mark: option.mark, path: "\(base).set")
            }
        }
        for item in parsed.uncertainties {
            let probes: [FactorValue]
            switch item.factor.domain {
            case let .values(values): probes = values
            case let .range(min, max, integer, _): probes = [FactorValue(number: min, integer: integer), FactorValue(number: max, integer: integer)]
            }
            for probe in probes {
                check([(item.factor.path, probe)], what: "\(item.label) (\(item.factor.name) = \(probe.label))", file: item.file,
                      mark: item.mark, path: item.label)
            }
        }
        guard diagnostics.isEmpty else { throw ScenarioFileError(diagnostics: diagnostics) }

        // A field the posterior draws cannot also be set by an option or be uncertain.
        for (index, option) in parsed.options.enumerated() where index > 0 {
            for setting in option.settings {
                if let clash = SweepLoader.posteriorClash(spec.posterior, path: setting.pathValue, bases: bases, file: file, mark: setting.mark,
                                                          label: "options[\(index - 1)].set.\(setting.path)", what: "set by an option") {
                    diagnostics.append(clash)
                }
            }
        }
        for item in parsed.uncertainties {
            if let clash = SweepLoader.posteriorClash(spec.posterior, path: item.factor.path, bases: bases, file: item.file, mark: item.mark,
                                                      label: item.label, what: "an uncertainty") {
                diagnostics.append(clash)
            }
        }
        guard diagnostics.isEmpty else { throw ScenarioFileError(diagnostics: diagnostics) }

        // The sweep's factors: option, world, each option path, each uncertainty.
        var settingPaths: [String] = [], pathOf: [String: FactorPath] = [:]
        for option in parsed.options {
            for setting in option.settings where pathOf[setting.path] == nil {
                settingPaths.append(setting.path)
                pathOf[setting.path] = setting.pathValue
            }
        }
        let options = parsed.options.map { option in
            RobustDesign.Option(name: option.name, settings: option.settings.map { ($0.path, $0.value) })
        }
        let worlds = parsed.uncertainties.isEmpty && !parsed.worldsFromPosterior ? 1 : parsed.worlds
        let record = { (name: String) in try! FactorPath(name) }
        var factors = [
            Factor(name: RobustDesign.optionFactor, path: record(RobustDesign.optionFactor),
                   domain: .values(options.map { FactorValue(record: Node($0.name), number: nil) })),
            Factor(name: RobustDesign.worldFactor, path: record(RobustDesign.worldFactor),
                   domain: .values((1...worlds).map { FactorValue(record: Node(String($0)), number: Double($0)) })),
        ]
        for path in settingPaths {
            let values = options.compactMap { option in option.settings.first { $0.path == path }?.value }
            factors.append(Factor(name: path, path: pathOf[path]!, domain: .values(values)))
        }
        factors += parsed.uncertainties.map(\.factor)
        if parsed.worldsFromPosterior, let source = spec.posterior?.source {
            for (column, path) in source.paths.enumerated() {
                let values = Set(source.posterior.column(column)).sorted().map { FactorValue(number: $0, integer: false) }
                factors.append(Factor(name: source.posterior.paths[column], path: path, domain: .values(values)))
            }
        }
        spec.factors = factors
        spec.robust = RobustDesign(options: options, uncertainties: parsed.uncertainties.map(\.factor), worlds: worlds,
                                   worldDesign: parsed.worldDesign, settingPaths: settingPaths, worldsFromPosterior: parsed.worldsFromPosterior,
                                   scenarioSettings: bases.map { base in settingPaths.map { RobustDesign.scenarioValue(pathOf[$0]!, in: base.root) } })
    }
}
