import Experiments
import Foundation
import PartnershipModel
import ScenarioFile
import Stochastic

/// A posterior predictive check: for every indicator and quarter, the 5%, 50% and 95% quantiles of
/// the simulated values over replications that draw their calibrated fields from the posterior,
/// beside the observed value where there is one (`predictive.csv`, docs/CALIBRATION.md).
///
/// If the model and the posterior fit the data, about 90% of the observed values lie inside their
/// 90% bands (the *coverage*); far fewer means the model, so calibrated, does not reproduce the data.
public struct PredictiveCheck: Sendable, Equatable {
    /// One indicator at one quarter.
    public struct Row: Sendable, Equatable {
        public let indicator: String
        public let quarter: Int
        public let observed: Double?
        public let p05: Double, p50: Double, p95: Double

        public init(indicator: String, quarter: Int, observed: Double?, p05: Double, p50: Double, p95: Double) {
            self.indicator = indicator
            self.quarter = quarter
            self.observed = observed
            self.p05 = p05
            self.p50 = p50
            self.p95 = p95
        }

        /// Whether the observed value lies inside [p05, p95] (nil where nothing was observed).
        public var covered: Bool? { observed.map { p05 <= $0 && $0 <= p95 } }
    }

    /// Rows indicator by indicator (scenario order), quarter by quarter.
    public let rows: [Row]

    public init(rows: [Row]) { self.rows = rows }

    public static let fileName = "predictive.csv"
    /// The band's nominal coverage.
    public static let level = 0.9

    /// The bands of `values[indicator][quarter]` (the simulated values over replications) for the
    /// indicators `ids`, with the observed cells of `observations`.
    public init(ids: [String], values: [[[Double]]], observations: Observations) {
        var observed: [String: Double] = [:]
        for cell in observations.cells { observed["\(cell.indicator)@\(cell.quarter)"] = cell.value }
        var rows: [Row] = []
        for (k, id) in ids.enumerated() {
            for (quarter, simulated) in values[k].enumerated() where !simulated.isEmpty {
                let q = Quantiles.quantiles(simulated, [0.05, 0.5, 0.95])
                rows.append(Row(indicator: id, quarter: quarter, observed: observed["\(id)@\(quarter)"], p05: q[0], p50: q[1], p95: q[2]))
            }
        }
        self.rows = rows
    }

    /// `indicator,quarter,observed,p05,p50,p95`; an unobserved cell has an empty `observed`.
    public var csv: String {
        "indicator,quarter,observed,p05,p50,p95\n" + rows.map { row in
            "\(row.indicator),\(row.quarter),\(row.observed.map { "\($0)" } ?? ""),\(row.p05),\(row.p50),\(row.p95)\n"
        }.joined()
    }

    /// Parses a `predictive.csv`; `file` names it in messages, with the line of a problem.
    public static func parse(_ text: String, file: String) throws(CalibrationError) -> PredictiveCheck {
        let lines = text.split(separator: "\n").map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        guard lines.first == "indicator,quarter,observed,p05,p50,p95" else {
            throw CalibrationError(file: file, message: "the header must be indicator,quarter,observed,p05,p50,p95", line: 1)
        }
        var rows: [Row] = []
        for (index, line) in lines.enumerated().dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 6, !fields[0].isEmpty, let quarter = Int(fields[1]), fields[2].isEmpty || Double(fields[2]) != nil,
                  let p05 = Double(fields[3]), let p50 = Double(fields[4]), let p95 = Double(fields[5]) else {
                throw CalibrationError(file: file, message: "expected indicator,quarter,observed (a number or empty),p05,p50,p95", line: index + 1)
            }
            rows.append(Row(indicator: fields[0], quarter: quarter, observed: Double(fields[2]), p05: p05, p50: p50, p95: p95))
        }
        return PredictiveCheck(rows: rows)
    }

    /// Reads DIR/predictive.csv.
    public static func load(directory: URL) throws(CalibrationError) -> PredictiveCheck {
        let url = directory.appendingPathComponent(fileName)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw CalibrationError(file: url.path, message: "is missing or unreadable")
        }
        return try parse(text, file: url.path)
    }

    /// The observed cells, and how many of them lie inside their 90% band.
    public var coverage: (covered: Int, observed: Int) {
        let flags = rows.compactMap(\.covered)
        return (flags.filter { $0 }.count, flags.count)
    }

    /// The share of observed cells inside their band (NaN with none observed).
    public var coverageShare: Double {
        let c = coverage
        return c.observed > 0 ? Double(c.covered) / Double(c.observed) : .nan
    }

    /// Whether the coverage is far below the band's 90%: more than two binomial standard errors
    /// below it (for n observed cells, 0.9 - 2 sqrt(0.9 x 0.1 / n); 0.80 for 33 cells). Cells of one
    /// series are correlated, so this is a rough screen, not a test.
    public var coverageFarBelow: Bool {
        let c = coverage
        guard c.observed > 0 else { return false }
        return coverageShare < Self.level - 2 * (Self.level * (1 - Self.level) / Double(c.observed)).squareRoot()
    }

    /// One sentence on the coverage, e.g. "31 of 33 observed values (94%) lie inside their 90% predictive band."
    public var coverageText: String {
        let c = coverage
        guard c.observed > 0 else { return "No observed value to compare with the predictive bands." }
        var text = "\(c.covered) of \(c.observed) observed values (\(Int((coverageShare * 100).rounded()))%) lie inside their 90% predictive band"
        text += coverageFarBelow
            ? "; far below 90%: the calibrated model does not reproduce the data (check the indicators whose observed points leave the band)."
            : " (about 90% are expected if the model, so calibrated, reproduces the data)."
        return text
    }

    /// Simulates replications 1...`replications` of run seed `seed`, each drawing one particle of
    /// `posterior` by weight (as `lspsim run --posterior`: these are the replications of
    /// `lspsim run BASE --posterior DIR --seed S -r M`), and returns the bands with the observations;
    /// also the number of replications that failed (drawn inputs out of range), which are left out.
    public static func simulate(binding: ParameterBinding, posterior: Posterior, observations: Observations, seed: UInt64,
                                replications: Int, generator: GeneratorKind = .standard) throws -> (check: PredictiveCheck, failed: Int) {
        let template = binding.template.resampling(posterior.rows(fields: binding.fields))
        let ids = template.scenario.indicators.map(\.id), quarters = template.scenario.quarters
        var values = [[[Double]]](repeating: [[Double]](repeating: [], count: quarters + 1), count: ids.count)
        let replicator = try Replicator(kind: generator)
        var failed = 0
        for r in 1...max(1, replications) {
            guard let simulator = try? replicator.simulator(for: template, seed: seed, replication: r) else {
                failed += 1
                continue
            }
            _ = simulator.run(generator: replicator.generator)
            for k in ids.indices {
                for t in 0...quarters { values[k][t].append(simulator.indicatorValue(quarter: t, indicator: k)) }
            }
        }
        return (PredictiveCheck(ids: ids, values: values, observations: observations), failed)
    }
}
