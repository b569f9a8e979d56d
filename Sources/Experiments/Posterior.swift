import Foundation
import ScenarioFile
import Stochastic
import Yams

/// A weighted posterior sample over named parameters (field paths): what a calibration's
/// `posterior.csv` holds (`lspsim calibrate`, docs/CALIBRATION.md).
public struct Posterior: Sendable, Equatable {
    /// The parameters' field paths, one per column.
    public let paths: [String]
    /// One row of values per particle, its normalised weight and its distance.
    public let values: [[Double]]
    public let weights: [Double]
    public let distances: [Double]

    public init(paths: [String], values: [[Double]], weights: [Double], distances: [Double]) {
        self.paths = paths
        self.values = values
        self.weights = weights
        self.distances = distances
    }

    public static let fileName = "posterior.csv"

    /// The CSV text: `particle,weight,distance,PATH...`, one row per particle; numbers round-trip.
    public var csv: String {
        var text = "particle,weight,distance," + paths.joined(separator: ",") + "\n"
        for j in values.indices {
            text += "\(j + 1),\(weights[j]),\(distances[j]),"
            text += values[j].map { "\($0)" }.joined(separator: ",") + "\n"
        }
        return text
    }

    /// Parses the text of a `posterior.csv`; `file` names it in messages, with the line of each problem.
    public static func parse(_ text: String, file: String) throws(ScenarioFileError) -> Posterior {
        func problem(_ message: String, line: Int? = nil) -> ScenarioFileError {
            ScenarioFileError(diagnostics: [Diagnostic(file: file, line: line, column: nil, path: "", message: message)])
        }
        let lines = text.split(separator: "\n").map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init), header.count > 3,
              header[0] == "particle", header[1] == "weight", header[2] == "distance", !header[3...].contains("") else {
            throw problem("the header must be particle,weight,distance,PATH... (one column per calibrated field)", line: 1)
        }
        var values: [[Double]] = [], weights: [Double] = [], distances: [Double] = []
        for (index, line) in lines.enumerated().dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) }
            guard fields.count == header.count, fields.allSatisfy({ $0 != nil }), fields[1]! >= 0, fields[1]!.isFinite else {
                throw problem("expected \(header.count) numbers with a weight >= 0", line: index + 1)
            }
            weights.append(fields[1]!)
            distances.append(fields[2]!)
            values.append(fields[3...].map { $0! })
        }
        guard weights.reduce(0, +) > 0 else { throw problem("has no particle with a positive weight") }
        return Posterior(paths: Array(header[3...]), values: values, weights: weights, distances: distances)
    }

    /// Reads `posterior.csv` from the folder `directory`.
    public static func load(directory: String) throws(ScenarioFileError) -> Posterior {
        let file = URL(fileURLWithPath: directory).appendingPathComponent(fileName).path
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ScenarioFileError(diagnostics: [Diagnostic(file: file, line: nil, column: nil, path: "",
                                                             message: "no posterior: the file is missing or unreadable (run `lspsim calibrate` first)")])
        }
        return try parse(text, file: file)
    }

    /// Column `i`'s values.
    public func column(_ i: Int) -> [Double] { values.map { $0[i] } }

    /// The weighted mean of column `i`.
    public func mean(_ i: Int) -> Double {
        let total = weights.reduce(0, +)
        return zip(column(i), weights).reduce(0) { $0 + $1.0 * $1.1 } / total
    }

    /// The rows by weight, for drawing particles (see `ScenarioTemplate.resampling`).
    public func rows(fields: [Int]) -> WeightedRows { WeightedRows(fields: fields, values: values, weights: weights) }
}

/// A calibration's posterior as a source of scenario values: its folder, its `posterior.csv` read
/// and hashed, and its columns as field paths. `lspsim run --posterior DIR` and sweep files with
/// `posterior: DIR` draw the calibrated fields from it (docs/CALIBRATION.md).
public struct PosteriorSource: Sendable {
    /// The folder as given (resolved against the sweep file where a sweep names it).
    public let directory: String
    public let posterior: Posterior
    /// The column headers as field paths.
    public let paths: [FactorPath]
    /// The SHA-256 of posterior.csv's bytes: a sweep store or a run manifest records it.
    public let sha256: String

    /// DIR/posterior.csv.
    public var file: String { URL(fileURLWithPath: directory).appendingPathComponent(Posterior.fileName).path }

    /// Reads DIR/posterior.csv; every problem names the file (and line).
    public static func load(directory: String) throws(ScenarioFileError) -> PosteriorSource {
        let file = URL(fileURLWithPath: directory).appendingPathComponent(Posterior.fileName).path
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw ScenarioFileError(diagnostics: [Diagnostic(file: file, line: nil, column: nil, path: "",
                                                             message: "no posterior: the file is missing or unreadable (run `lspsim calibrate` first)")])
        }
        let posterior = try Posterior.parse(text, file: file)
        var paths: [FactorPath] = []
        for path in posterior.paths {
            do {
                paths.append(try FactorPath(path))
            } catch {
                throw ScenarioFileError(diagnostics: [Diagnostic(file: file, line: 1, column: nil, path: "", message: "column '\(path)': \(error.message)")])
            }
        }
        return PosteriorSource(directory: directory, posterior: posterior, paths: paths, sha256: FileHash.sha256(data))
    }

    /// A placeholder distribution for column `i`: the posterior mean (so that the scenario's
    /// placeholder value is a typical one) and a standard deviation that tells the columns apart.
    func placeholder(_ i: Int) -> Distribution { .normal(mean: posterior.mean(i), sd: 0.987_654_321 + Double(i)) }

    /// The scenario tree `root` with the posterior's fields made uncertain (placeholders), loaded as
    /// a scenario, and the position of each column's field in the template's `uncertain` list.
    ///
    /// One load: each column's placeholder is distinct, so the uncertain field that carries it is
    /// that column's field, in the loader's own spelling of its path. `scenario` names the scenario
    /// in messages (`file` is the name the template gets).
    public func bind(root: Node, file: String, scenario: String) throws(ScenarioFileError) -> (template: ScenarioTemplate, fields: [Int]) {
        try located(in: try load(placeholders(in: root, scenario: scenario), file: file, scenario: scenario), scenario: scenario)
    }

    func failure(_ message: String) -> ScenarioFileError {
        ScenarioFileError(diagnostics: [Diagnostic(file: file, line: nil, column: nil, path: "", message: message)])
    }

    /// The scenario tree `root` with each column's field holding its placeholder distribution.
    public func placeholders(in root: Node, scenario: String) throws(ScenarioFileError) -> Node {
        var tree = root
        for (i, path) in paths.enumerated() {
            guard case let .normal(mean, sd) = placeholder(i) else { continue }
            let node = Node.mapping(Node.Mapping([(Node("dist"), Node("normal")), (Node("mean"), Node("\(mean)")), (Node("sd"), Node("\(sd)"))]))
            do {
                tree = try path.setting(node, in: tree)
            } catch {
                throw failure("column '\(path)' addresses nothing in \(scenario): \(error.message)")
            }
        }
        return tree
    }

    /// Loads a tree holding the placeholders as a scenario, saying which posterior it is about on failure.
    func load(_ tree: Node, file: String, scenario: String) throws(ScenarioFileError) -> ScenarioTemplate {
        do {
            return try ScenarioLoader.load(root: tree, file: file)
        } catch {
            let reasons = error.diagnostics.map { $0.path.isEmpty ? $0.message : "\($0.path): \($0.message)" }
            throw failure("its fields cannot be drawn in \(scenario) (each column must address a numeric field that can be uncertain): "
                          + reasons.joined(separator: "; "))
        }
    }

    /// Where each column's placeholder landed among the uncertain fields of `template` (loaded from a
    /// tree with the placeholders).
    func located(in template: ScenarioTemplate, scenario: String) throws(ScenarioFileError) -> (template: ScenarioTemplate, fields: [Int]) {
        var fields: [Int] = []
        for (i, path) in paths.enumerated() {
            let found = template.uncertain.indices.filter { template.uncertain[$0].distribution == placeholder(i) }
            guard found.count == 1 else { throw failure("column '\(path)' does not address a numeric field of \(scenario) that can be uncertain") }
            if let other = fields.firstIndex(of: found[0]) {
                throw failure("columns '\(paths[other])' and '\(path)' address the same field of \(scenario)")
            }
            fields.append(found[0])
        }
        return (template, fields)
    }

    /// The scenario `root` whose calibrated fields each replication draws jointly from the
    /// posterior: one particle chosen by weight (one uniform from the replication's input stream,
    /// drawn before the scenario's other uncertain inputs), its values set in the fields.
    public func template(root: Node, file: String, scenario: String) throws(ScenarioFileError) -> ScenarioTemplate {
        let (template, fields) = try bind(root: root, file: file, scenario: scenario)
        return template.resampling(posterior.rows(fields: fields))
    }

    /// As `template(root:file:scenario:)` for a tree that already holds the placeholders
    /// (`placeholders(in:scenario:)`), as a sweep's design points do: one load, no edits.
    public func template(placeholderTree tree: Node, file: String, scenario: String) throws(ScenarioFileError) -> ScenarioTemplate {
        let (template, fields) = try located(in: try load(tree, file: file, scenario: scenario), scenario: scenario)
        return template.resampling(posterior.rows(fields: fields))
    }

    /// Where a field path overlaps one of the posterior's fields in the scenario `root` (the same
    /// field, or a block that holds it): the posterior's column, or nil. Paths are compared with list
    /// items by position, so `indicators[0].responsiveness` meets `indicators[id=NI117].responsiveness`.
    public func overlap(of path: FactorPath, in root: Node) -> String? {
        guard let location = path.resolved(in: root) else { return nil }
        for (column, own) in paths.enumerated() {
            guard let other = own.resolved(in: root) else { continue }
            let n = min(location.count, other.count)
            if Array(location.prefix(n)) == Array(other.prefix(n)) { return posterior.paths[column] }
        }
        return nil
    }
}

/// `lspsim run --posterior DIR`: a scenario file whose calibrated fields are drawn from a posterior.
public enum PosteriorScenario {
    /// Loads the scenario at `scenarioPath` with the fields of DIR/posterior.csv drawn jointly per
    /// replication (`PosteriorSource.template`); also returns the source (for the run's manifest).
    public static func load(scenarioPath: String, posteriorDirectory: String) throws(ScenarioFileError) -> (template: ScenarioTemplate, source: PosteriorSource) {
        let source = try PosteriorSource.load(directory: posteriorDirectory)
        guard let text = try? String(contentsOfFile: scenarioPath, encoding: .utf8) else {
            throw ScenarioFileError(diagnostics: [Diagnostic(file: scenarioPath, line: nil, column: nil, path: "", message: "no such file")])
        }
        let root = try ScenarioLoader.compose(yaml: text, file: scenarioPath)
        _ = try ScenarioLoader.load(root: root, file: scenarioPath)
        return (try source.template(root: root, file: scenarioPath, scenario: scenarioPath), source)
    }
}
