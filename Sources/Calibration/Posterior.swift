import ABC
import Experiments
import Foundation
import ScenarioFile
import Stochastic
import Yams

/// A weighted posterior sample over named parameters (field paths): what `posterior.csv` holds.
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

    public init(paths: [String], population: ABCPopulation) {
        self.init(paths: paths, values: population.particles, weights: population.weights, distances: population.distances)
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

    /// Reads `posterior.csv` from the folder `directory`.
    public static func load(directory: String) throws(CalibrationError) -> Posterior {
        let file = URL(fileURLWithPath: directory).appendingPathComponent(fileName).path
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw CalibrationError(file: file, message: "no posterior: the file is missing or unreadable (run `lspsim calibrate` first)")
        }
        let lines = text.split(separator: "\n").map(String.init)
        guard let header = lines.first?.split(separator: ",").map(String.init), header.count > 3,
              header[0] == "particle", header[1] == "weight", header[2] == "distance" else {
            throw CalibrationError(file: file, message: "the header must be particle,weight,distance,PATH...", line: 1)
        }
        var values: [[Double]] = [], weights: [Double] = [], distances: [Double] = []
        for (index, line) in lines.enumerated().dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) }
            guard fields.count == header.count, fields.allSatisfy({ $0 != nil }), fields[1]! >= 0 else {
                throw CalibrationError(file: file, message: "expected \(header.count) numbers with a weight >= 0", line: index + 1)
            }
            weights.append(fields[1]!)
            distances.append(fields[2]!)
            values.append(fields[3...].map { $0! })
        }
        guard weights.reduce(0, +) > 0 else { throw CalibrationError(file: file, message: "has no particle with a positive weight") }
        return Posterior(paths: Array(header[3...]), values: values, weights: weights, distances: distances)
    }

    /// Column `i`'s values.
    public func column(_ i: Int) -> [Double] { values.map { $0[i] } }
}

/// The posterior's summary per parameter: mean, sd, median and 90% credible interval (weighted
/// 5% and 95% quantiles), beside the prior's mean and sd; and the weighted correlations.
public struct PosteriorSummary: Sendable {
    public struct Row: Sendable {
        public let path: String
        public let mean: Double, sd: Double, median: Double, lower: Double, upper: Double
        public let prior: Distribution
    }

    public let rows: [Row]
    /// Weighted Pearson correlations between parameters (row-major, p x p).
    public let correlations: [[Double]]

    public init(posterior: Posterior, priors: [Distribution]) {
        let w = posterior.weights
        rows = posterior.paths.indices.map { i in
            let x = posterior.column(i)
            return Row(path: posterior.paths[i], mean: WeightedSummary.mean(x, w), sd: WeightedSummary.standardDeviation(x, w),
                       median: WeightedSummary.quantile(x, w, 0.5), lower: WeightedSummary.quantile(x, w, 0.05),
                       upper: WeightedSummary.quantile(x, w, 0.95), prior: priors[i])
        }
        correlations = posterior.paths.indices.map { i in
            posterior.paths.indices.map { j in i == j ? 1 : WeightedSummary.correlation(posterior.column(i), posterior.column(j), w) }
        }
    }

    /// A plain-text table (and the correlation matrix where there are several parameters).
    public var text: String {
        func f(_ x: Double) -> String { String(format: "%.4g", x) }
        let width = max(9, rows.map(\.path.count).max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        func left(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
        var text = pad("parameter", width) + left("mean", 11) + left("sd", 11) + left("median", 11) + left("5%", 11) + left("95%", 11)
            + "   prior (sd)\n"
        for row in rows {
            text += pad(row.path, width) + [row.mean, row.sd, row.median, row.lower, row.upper].map { left(f($0), 11) }.joined()
            text += "   \(row.prior.text) (\(f(row.prior.variance.squareRoot())))\n"
        }
        if rows.count > 1 {
            text += "\nposterior correlations:\n"
            for (i, row) in rows.enumerated() {
                text += pad(row.path, width) + correlations[i].map { left(String(format: "%+.2f", $0), 7) }.joined() + "\n"
            }
        }
        return text
    }
}

/// `lspsim run --posterior DIR`: a scenario whose calibrated fields are drawn, jointly, from a
/// calibration's posterior.
public enum PosteriorScenario {
    /// Loads the scenario at `scenarioPath` and binds each column of DIR/posterior.csv to the field at
    /// its path; each replication then picks one particle by weight (one uniform from its input
    /// stream, drawn before the scenario's other uncertain inputs) and uses its values.
    public static func load(scenarioPath: String, posteriorDirectory: String) throws(ScenarioFileError) -> ScenarioTemplate {
        do {
            let posterior = try Posterior.load(directory: posteriorDirectory)
            guard let text = try? String(contentsOfFile: scenarioPath, encoding: .utf8) else {
                throw ScenarioFileError(diagnostics: [Diagnostic(file: scenarioPath, line: nil, column: nil, path: "", message: "no such file")])
            }
            let root = try ScenarioLoader.compose(yaml: text, file: scenarioPath)
            var paths: [FactorPath] = []
            for path in posterior.paths {
                do { paths.append(try FactorPath(path)) } catch { throw CalibrationError(file: posteriorDirectory, message: error.message) }
            }
            // Placeholders (the loader needs a distribution there; its draws are never used).
            let nodes = posterior.paths.indices.map { i in
                Node.mapping(Node.Mapping([(Node("dist"), Node("normal")),
                                           (Node("mean"), Node("\(WeightedSummary.mean(posterior.column(i), posterior.weights))")),
                                           (Node("sd"), Node("1"))]))
            }
            let binding = try ParameterBinding.bind(root: root, paths: paths, nodes: nodes, file: scenarioPath)
            return binding.template.resampling(WeightedRows(fields: binding.fields, values: posterior.values, weights: posterior.weights))
        } catch let error as ScenarioFileError {
            throw error
        } catch let error as CalibrationError {
            throw ScenarioFileError(diagnostics: error.diagnostics)
        } catch {
            throw ScenarioFileError(diagnostics: [Diagnostic(file: scenarioPath, line: nil, column: nil, path: "", message: "\(error)")])
        }
    }
}
