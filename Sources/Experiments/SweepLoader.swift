import Foundation
import PartnershipModel
import ScenarioFile
import Sensitivity
import Stochastic
import Yams

/// A checked sweep with its base scenarios read and its design points generated.
public struct SweepPlan: @unchecked Sendable {
    public let spec: SweepSpec
    /// The sweep file's text (for its hash).
    public let text: String
    /// Each base scenario: its path, text and YAML tree.
    public let bases: [(path: String, text: String, root: Node)]
    /// Every design point, scenario-major; point ids are 1-based positions in this list.
    public let points: [DesignPoint]
    /// With a posterior drawn per replication: each base's tree with the posterior's placeholders,
    /// on which design points' values are set (no factor may set a field the posterior draws).
    var posteriorRoots: [Node]? = nil

    /// Total runs: points x replications.
    public var runCount: Int { points.count * spec.replications }

    /// The scenario tree of design point `index` (0-based): the base with every factor value set.
    public func scenarioTree(point index: Int) throws(FactorPath.Problem) -> Node {
        try scenarioTree(point: index, base: bases[points[index].scenario].root)
    }

    func scenarioTree(point index: Int, base: Node) throws(FactorPath.Problem) -> Node {
        let point = points[index]
        var root = base
        for (factor, value) in zip(spec.factors, point.values) where value.applies {
            root = try factor.path.setting(value.node, in: root)
        }
        return root
    }

    /// The scenario of design point `index` (0-based), checked like any scenario file.
    public func template(point index: Int) throws(ScenarioFileError) -> ScenarioTemplate {
        let base = bases[points[index].scenario].path
        let perReplication = spec.posterior?.use == .perReplication ? spec.posterior : nil
        let tree: Node
        do {
            tree = try scenarioTree(point: index, base: posteriorRoots.map { $0[points[index].scenario] } ?? bases[points[index].scenario].root)
        } catch {
            throw ScenarioFileError(diagnostics: [Diagnostic(file: base, line: nil, column: nil, path: "", message: error.message)])
        }
        let file = "\(base) at design point \(index + 1)"
        if let posterior = perReplication {
            guard posteriorRoots != nil else { return try posterior.source.template(root: tree, file: file, scenario: file) }
            return try posterior.source.template(placeholderTree: tree, file: file, scenario: file)
        }
        return try ScenarioLoader.load(root: tree, file: file)
    }

    /// A design point in words: `scenario=unitary.yaml, governance.pooled_fraction=0.05`.
    public func label(point index: Int) -> String {
        let point = points[index]
        var parts: [String] = []
        if spec.scenarios.count > 1 { parts.append("scenario=\(URL(fileURLWithPath: spec.scenarios[point.scenario]).lastPathComponent)") }
        for (factor, value) in zip(spec.factors, point.values) { parts.append("\(factor.name)=\(value.label)") }
        return parts.joined(separator: ", ")
    }
}

/// Reads and checks sweep files (docs/SWEEPS.md), with the same kind of errors as scenario files.
public enum SweepLoader {
    static let topKeys = ["name", "description", "scenarios", "posterior", "factors", "design", "replications", "seed", "generator", "outputs"] + RobustLoader.topKeys
    static let factorKeys = ["path", "values", "range", "levels"]
    static let rangeKeys = ["min", "max", "integer"]
    static let designKeys = ["type", "samples", "levels"]
    static let outputKeys = ["indicators", "quarters"]

    /// Reads the sweep file at `path`, its base scenarios, and generates its design.
    ///
    /// - Parameter replacingDesign: if given, the design to run instead of the file's own (as
    ///   `lspsim sensitivity` does): it receives the file's design block as read (nil if the file has
    ///   none) and returns the design to use. The file's block is still checked for unknown keys and
    ///   wrong types, but not for what only its own design type needs (`samples`, `levels`), and
    ///   factors' grid `levels` are then ignored rather than reported.
    public static func load(path: String, replacingDesign: ((DesignSpec?) -> DesignSpec)? = nil) throws(ScenarioFileError) -> SweepPlan {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read as UTF-8 text" : "no such file"
            throw ScenarioFileError(diagnostics: [Diagnostic(file: path, line: nil, column: nil, path: "", message: reason)])
        }
        let root = try ScenarioLoader.compose(yaml: text, file: path)
        var reader = YAMLReader(file: path)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()

        guard let top = reader.mapping(root, "", allowed: topKeys) else {
            throw ScenarioFileError(diagnostics: reader.diagnostics)
        }
        let name = reader.require(top, "name", "", at: root.mark, what: "the sweep's name").flatMap { reader.string($0, "name") }
        let description = reader.optional(top, "description").flatMap { reader.string($0, "description") }

        // Base scenarios.
        var scenarioPaths: [(String, Mark?)] = []
        if let node = reader.require(top, "scenarios", "", at: root.mark, what: "a list of scenario files, relative to this sweep file") {
            let items: [Node]
            if case .scalar = node { items = [node] } else { items = reader.sequence(node, "scenarios", of: "scenario files") ?? [] }
            if items.isEmpty { reader.report("scenarios", "must name at least one scenario file", at: node.mark) }
            for (index, item) in items.enumerated() {
                guard let relative = reader.string(item, "scenarios[\(index)]") else { continue }
                let resolved = relative.hasPrefix("/") ? relative : folder.appendingPathComponent(relative).path
                scenarioPaths.append((resolved, item.mark))
            }
        }

        // A calibration's posterior: its folder, relative to this file.
        var posteriorSource: (written: String, source: PosteriorSource, mark: Mark?)?
        var posteriorProblems: [Diagnostic] = []
        if let node = reader.optional(top, "posterior"), let written = reader.string(node, "posterior") {
            let resolved = written.hasPrefix("/") ? written : folder.appendingPathComponent(written).path
            do {
                posteriorSource = (written, try PosteriorSource.load(directory: resolved), node.mark)
            } catch {
                for d in error.diagnostics {
                    posteriorProblems.append(Diagnostic(file: path, line: node.mark?.line, column: node.mark?.column, path: "posterior",
                                                        message: "'\(written)' gives no usable posterior: \(written)/\(Posterior.fileName)\(d.line.map { ":\($0)" } ?? ""): \(d.message)"))
                }
            }
        }

        // Design.
        var design = DesignSpec(kind: .grid, samples: nil)
        var fileDesign: DesignSpec?
        let designNode = reader.optional(top, "design")
        if let node = designNode, let fields = reader.mapping(node, "design", allowed: designKeys) {
            if let kind = reader.optional(fields, "type").flatMap({ reader.choice($0, "design.type", DesignKind.self) }) {
                design.kind = kind
            }
            if let samples = reader.optional(fields, "samples") {
                design.samples = reader.integer(samples, "design.samples", atLeast: 1)
            }
            if let levels = reader.optional(fields, "levels") {
                design.levels = reader.integer(levels, "design.levels", atLeast: 2)
            }
            fileDesign = design
            if replacingDesign == nil {
                if design.kind != .grid && design.samples == nil && fields["samples"] == nil {
                    let what: String
                    switch design.kind {
                    case .saltelli: what = "the number of base samples N; the design has N x (factors + 2) points"
                    case .morris: what = "the number of trajectories r; the design has r x (factors + 1) points"
                    default: what = "the number of design points"
                    }
                    reader.report("design.samples", "is required for a \(design.kind.rawValue) design (\(what))", at: node.mark)
                }
                if design.kind == .grid && fields["samples"] != nil {
                    reader.report("design.samples", "does not apply to a grid, which runs every combination of the factors' values", at: fields["samples"]?.value.mark)
                }
                if design.kind != .morris && fields["levels"] != nil {
                    reader.report("design.levels", "applies to morris designs only (the number of grid levels p); for a grid, give each range its own levels", at: fields["levels"]?.value.mark)
                }
            }
        }
        if let replacingDesign { design = replacingDesign(fileDesign) }
        // What the sensitivity designs need of their samples and levels (from the file or a replacement).
        let designMark = replacingDesign == nil ? designNode?.mark : nil
        if design.kind == .saltelli, let samples = design.samples, samples < SaltelliDesign.minimumBaseSamples {
            reader.report("design.samples", "a saltelli design needs at least \(SaltelliDesign.minimumBaseSamples) base samples, got \(samples)", at: designMark)
        }
        if design.kind == .morris, let samples = design.samples, samples < MorrisDesign.minimumTrajectories {
            reader.report("design.samples", "a morris design needs at least \(MorrisDesign.minimumTrajectories) trajectories (sigma needs two effects per factor), got \(samples)", at: designMark)
        }
        if design.kind == .morris, let levels = design.levels, levels % 2 != 0 {
            reader.report("design.levels", "must be even (with p levels the step is p / (2(p - 1)), a whole number of grid intervals only for even p), got \(levels); 4 is usual", at: designMark)
        }

        // Factors.
        var factors: [Factor] = []
        var seenPaths = Set<String>()
        if let node = reader.optional(top, "factors"), let items = reader.sequence(node, "factors", of: "factors") {
            for (index, item) in items.enumerated() {
                let base = "factors[\(index)]"
                guard let fields = reader.mapping(item, base, allowed: factorKeys) else { continue }
                guard let pathNode = reader.require(fields, "path", base, at: item.mark, what: "the scenario field varied, e.g. governance.pooled_fraction"),
                      let pathText = reader.string(pathNode, "\(base).path") else { continue }
                let factorPath: FactorPath
                do {
                    factorPath = try FactorPath(pathText)
                } catch {
                    reader.report("\(base).path", error.message, at: pathNode.mark)
                    continue
                }
                if !seenPaths.insert(pathText).inserted {
                    reader.report("\(base).path", "'\(pathText)' is varied by an earlier factor already", at: pathNode.mark)
                }
                let values = reader.optional(fields, "values"), range = reader.optional(fields, "range")
                var domain: Factor.Domain?
                switch (values, range) {
                case (nil, nil), (.some, .some):
                    reader.report(base, "needs exactly one of values: [..] or range: {min: A, max: B}", at: item.mark)
                case let (values?, nil):
                    if design.kind.isSensitivity {
                        reader.report("\(base).values", "a \(design.kind.rawValue) design (sensitivity analysis) needs every factor as a range: {min: A, max: B}; a list of values has no distance between its values to vary over. Sweep list-valued options as separate sensitivity runs, or in a grid", at: values.mark)
                    }
                    if let list = reader.sequence(values, "\(base).values", of: "values") {
                        if list.isEmpty { reader.report("\(base).values", "must list at least one value", at: values.mark) }
                        domain = .values(list.map { FactorValue(node: $0) })
                    }
                    if fields["levels"] != nil {
                        reader.report("\(base).levels", "applies to a range only", at: fields["levels"]?.value.mark)
                    }
                case let (nil, range?):
                    guard let bounds = reader.mapping(range, "\(base).range", allowed: rangeKeys) else { break }
                    let low = reader.require(bounds, "min", "\(base).range", at: range.mark, what: "a number").flatMap { reader.number($0, "\(base).range.min") }
                    let high = reader.require(bounds, "max", "\(base).range", at: range.mark, what: "a number").flatMap { reader.number($0, "\(base).range.max") }
                    let integer = reader.optional(bounds, "integer").flatMap { reader.bool($0, "\(base).range.integer") } ?? false
                    var levels: Int?
                    if let levelsNode = reader.optional(fields, "levels") {
                        levels = reader.integer(levelsNode, "\(base).levels", atLeast: 2)
                        if design.kind != .grid && replacingDesign == nil {
                            reader.report("\(base).levels", "applies to grid designs only; a \(design.kind.rawValue) design samples the range", at: levelsNode.mark)
                        }
                    } else if design.kind == .grid && replacingDesign == nil {
                        reader.report("\(base).levels", "is required for a range in a grid design (how many evenly spaced values from min to max)", at: item.mark)
                    }
                    if let low, let high {
                        if !(low < high) { reader.report("\(base).range", "needs min < max, got min \(low), max \(high)", at: range.mark) }
                        if integer && (low.rounded() != low || high.rounded() != high) {
                            reader.report("\(base).range", "an integer range needs integer min and max", at: range.mark)
                        }
                        domain = .range(min: low, max: high, integer: integer, levels: levels)
                    }
                }
                if let domain { factors.append(Factor(name: pathText, path: factorPath, domain: domain)) }
            }
        }
        if design.kind == .sobol && factors.count > 40 {
            reader.report("factors", "a Sobol design takes at most 40 factors (GSL's limit), got \(factors.count)", at: top["factors"]?.value.mark)
        }
        if design.kind == .saltelli && factors.count > SaltelliDesign.maximumDimensions {
            reader.report("factors", "a saltelli design takes at most \(SaltelliDesign.maximumDimensions) factors (it draws GSL's Sobol sequence in twice as many dimensions, and GSL stops at 40), got \(factors.count); screen them first with a morris design", at: top["factors"]?.value.mark)
        }
        if design.kind != .grid && factors.isEmpty {
            reader.report("factors", "a \(design.kind.rawValue) design needs at least one factor", at: root.mark)
        }

        // Options, uncertainties and worlds (docs/ROBUST.md).
        let robust = RobustLoader.read(top, root: root, reader: &reader, folder: folder, hasFactors: !factors.isEmpty,
                                       hasPosterior: posteriorSource != nil || !posteriorProblems.isEmpty, design: &design)

        let replications = reader.optional(top, "replications").flatMap { reader.integer($0, "replications", atLeast: 1) } ?? 100
        var seed: UInt64 = 1
        if let node = reader.optional(top, "seed"), let value = reader.integer(node, "seed", atLeast: 0) { seed = UInt64(value) }
        let generator = reader.optional(top, "generator").flatMap { reader.choice($0, "generator", GeneratorKind.self) } ?? .standard
        var keepIndicators = false, keepQuarters = false
        if let node = reader.optional(top, "outputs"), let fields = reader.mapping(node, "outputs", allowed: outputKeys) {
            keepIndicators = reader.optional(fields, "indicators").flatMap { reader.bool($0, "outputs.indicators") } ?? false
            keepQuarters = reader.optional(fields, "quarters").flatMap { reader.bool($0, "outputs.quarters") } ?? false
        }

        // Base scenarios must be valid scenario files.
        var diagnostics = reader.diagnostics + posteriorProblems + (robust?.diagnostics ?? [])
        var bases: [(path: String, text: String, root: Node)] = []
        for (index, (scenarioPath, mark)) in scenarioPaths.enumerated() {
            guard let scenarioText = try? String(contentsOfFile: scenarioPath, encoding: .utf8) else {
                diagnostics.append(Diagnostic(file: path, line: mark?.line, column: mark?.column, path: "scenarios[\(index)]",
                                              message: "no such scenario file: \(scenarioPath)"))
                continue
            }
            do {
                let tree = try ScenarioLoader.compose(yaml: scenarioText, file: scenarioPath)
                _ = try ScenarioLoader.load(root: tree, file: scenarioPath)
                bases.append((scenarioPath, scenarioText, tree))
            } catch {
                diagnostics.append(contentsOf: error.diagnostics)
            }
        }
        guard diagnostics.isEmpty, let name else { throw ScenarioFileError(diagnostics: diagnostics) }

        var spec = SweepSpec(file: path, name: name, description: description, scenarios: bases.map(\.path),
                             factors: factors, design: design, replications: replications, seed: seed,
                             generator: generator, keepIndicators: keepIndicators, keepQuarters: keepQuarters)

        // The posterior's columns must address fields every base scenario can draw.
        if let (written, source, mark) = posteriorSource {
            spec.posterior = SweepPosterior(written: written, source: source, use: robust?.worldsFromPosterior == true ? .perWorld : .perReplication)
            for base in bases {
                do {
                    _ = try source.bind(root: base.root, file: base.path, scenario: URL(fileURLWithPath: base.path).lastPathComponent)
                } catch {
                    for d in error.diagnostics {
                        diagnostics.append(Diagnostic(file: path, line: mark?.line, column: mark?.column, path: "posterior",
                                                      message: "\(source.file): \(d.message)"))
                    }
                }
            }
        }

        // Every factor value (range: both ends) must make a valid scenario of every base, alone.
        let factorNodes = top["factors"].flatMap { $0.value.sequence.map(Array.init) } ?? []
        for (index, factor) in factors.enumerated() {
            let probes: [FactorValue]
            switch factor.domain {
            case let .values(values): probes = values
            case let .range(min, max, integer, _): probes = [FactorValue(number: min, integer: integer), FactorValue(number: max, integer: integer)]
            }
            let mark = index < factorNodes.count ? factorNodes[index].mark : nil
            if let clash = posteriorClash(spec.posterior, path: factor.path, bases: bases, file: path, mark: mark,
                                          label: "factors[\(index)].path", what: "varied by a factor") {
                diagnostics.append(clash)
                continue
            }
            for base in bases {
                for probe in probes {
                    let where_ = "factors[\(index)] (\(factor.name) = \(probe.label)) on \(URL(fileURLWithPath: base.path).lastPathComponent)"
                    do {
                        let tree = try factor.path.setting(probe.node, in: base.root)
                        _ = try ScenarioLoader.load(root: tree, file: base.path)
                    } catch let problem as FactorPath.Problem {
                        diagnostics.append(Diagnostic(file: path, line: mark?.line, column: mark?.column, path: "factors[\(index)].path", message: problem.message))
                        break
                    } catch let error as ScenarioFileError {
                        for diagnostic in error.diagnostics {
                            diagnostics.append(Diagnostic(file: path, line: mark?.line, column: mark?.column, path: "factors[\(index)]",
                                                          message: "\(where_) makes an invalid scenario: \(diagnostic.path.isEmpty ? "" : diagnostic.path + ": ")\(diagnostic.message)"))
                        }
                    } catch {
                        diagnostics.append(Diagnostic(file: path, line: mark?.line, column: mark?.column, path: "factors[\(index)]", message: "\(error)"))
                    }
                }
            }
        }
        guard diagnostics.isEmpty else { throw ScenarioFileError(diagnostics: diagnostics) }
        if let robust { try RobustLoader.finish(robust, spec: &spec, bases: bases, file: path) }

        do {
            let points = try DesignGenerator.points(spec)
            var plan = SweepPlan(spec: spec, text: text + (robust?.includedText ?? ""), bases: bases, points: points)
            if let posterior = spec.posterior, posterior.use == .perReplication {
                plan.posteriorRoots = try bases.map { base throws(ScenarioFileError) in
                    try posterior.source.placeholders(in: base.root, scenario: URL(fileURLWithPath: base.path).lastPathComponent)
                }
            }
            return plan
        } catch {
            throw ScenarioFileError(diagnostics: [Diagnostic(file: path, line: nil, column: nil, path: "design", message: "\(error)")])
        }
    }

    /// The error of a field path (a factor, an option's setting, an uncertainty) that sets a field
    /// the sweep's posterior draws, or a block holding one, in some base scenario; nil if none does.
    static func posteriorClash(_ posterior: SweepPosterior?, path: FactorPath, bases: [(path: String, text: String, root: Node)],
                               file: String, mark: Mark?, label: String, what: String) -> Diagnostic? {
        guard let posterior else { return nil }
        for base in bases {
            guard let column = posterior.source.overlap(of: path, in: base.root) else { continue }
            let same = column == path.description ? "" : " ('\(column)' in \(URL(fileURLWithPath: base.path).lastPathComponent))"
            return Diagnostic(file: file, line: mark?.line, column: mark?.column, path: label,
                              message: "'\(path)' sets a field that the posterior (\(posterior.written)/\(Posterior.fileName)) draws\(same); a calibrated field cannot also be \(what): remove it here, or calibrate without it")
        }
        return nil
    }
}
