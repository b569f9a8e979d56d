import Foundation
import PartnershipModel
import Stochastic

/// Mean and 90% interval (5th and 95th percentiles) of one quantity over replications.
public struct Spread: Sendable, Equatable {
    public let mean: Double, low: Double, high: Double

    /// Summarises `values` (not empty); percentiles by linear interpolation (R's type 7).
    public init(_ values: [Double]) {
        mean = SampleSummary(values).mean
        let q = Quantiles.quantiles(values, [0.05, 0.95])
        low = q[0]
        high = q[1]
    }
}

/// What `lspsim run` prints: per LAA indicator and per run measure, over the replications.
public struct RunStatistics: Sendable {
    public struct IndicatorLine: Sendable {
        public let id: String, name: String, unit: String?
        public let baseline: Double, target: Double
        public let final: Spread
        /// Share of replications that met the target.
        public let metShare: Double
    }

    public struct MeasureLine: Sendable {
        public let measure: RunMeasure
        /// The catalogue's label with its unit (and, for the count of targets met, the total).
        public let label: String
        public let spread: Spread
    }

    public let replications: Int
    public let indicators: [IndicatorLine]
    public let measures: [MeasureLine]

    /// Summarises the records of a run (at least one). Where a baseline or target is uncertain,
    /// the line shows its distribution's mean, and each replication is judged by its own draw.
    public init(scenario: Scenario, records: [ReplicationRecord]) {
        replications = records.count
        var lines: [IndicatorLine] = []
        for (c, indicator) in scenario.indicators.enumerated() where indicator.laaTarget {
            let finals = records.map { $0.finalValues[c] }
            let met = records.filter { $0.targetMet[c] }.count
            lines.append(IndicatorLine(
                id: indicator.id, name: indicator.name, unit: indicator.unit, baseline: indicator.baseline,
                target: indicator.target, final: Spread(finals), metShare: Double(met) / Double(records.count)))
        }
        indicators = lines
        let summaries = records.map(\.summary)
        let total = summaries.first?.targetsTotal ?? 0
        // Every measure of the catalogue but the number of targets, which labels the count met.
        measures = RunMeasure.all.filter { $0 != .targetsTotal }.map { measure in
            let label = measure == .targetsMet ? "\(measure.label) (of \(total))" : measure.unit.map { "\(measure.label) (\($0))" } ?? measure.label
            return MeasureLine(measure: measure, label: label, spread: Spread(summaries.map { measure.value(in: $0) }))
        }
    }

    /// The readable summary printed after a run.
    public func text(title: String) -> String {
        var out = "\(title)\n\n"
        out += "LAA targets (final value: mean and 90% interval over \(replications) replications)\n"
        let idWidth = max(9, indicators.map(\.id.count).max() ?? 0)
        out += pad("indicator", idWidth) + "  " + left("baseline", 9) + "  " + left("target", 9) + "  "
            + left("final mean", 10) + "  " + pad("90% interval", 21) + "  " + left("met", 5) + "\n"
        for line in indicators {
            let interval = "[\(number(line.final.low)), \(number(line.final.high))]"
            out += pad(line.id, idWidth) + "  " + left(number(line.baseline), 9) + "  " + left(number(line.target), 9)
                + "  " + left(number(line.final.mean), 10) + "  " + pad(interval, 21) + "  "
                + left(String(format: "%.0f%%", line.metShare * 100), 5) + "  " + shortened(line.name, 40) + "\n"
        }
        out += "\nRun measures (mean and 90% interval)\n"
        let labelWidth = measures.map(\.label.count).max() ?? 0
        for measure in measures {
            let s = measure.spread
            out += pad(measure.label, labelWidth) + "  " + left(number(s.mean), 10) + "  [\(number(s.low)), \(number(s.high))]\n"
        }
        return out
    }

    private func number(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude != 0 && (magnitude >= 1e7 || magnitude < 1e-3) { return String(format: "%.3g", value) }
        if magnitude >= 1000 { return String(format: "%.0f", value) }
        return String(format: "%.4g", value)
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    private func left(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    private func shortened(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }
}
