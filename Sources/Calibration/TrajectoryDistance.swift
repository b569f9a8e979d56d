import ABC
import Foundation
import PartnershipModel
import ScenarioFile
import Stochastic

/// The distance between the simulator's mean trajectory at some parameter values and the data.
///
/// d = sqrt( (1/n) sum over the n observed cells (k, t) of ((ybar_k(t) - y_obs_k(t)) / scale_k)^2 )
///     + target_penalty * sum over summary targets of how far the replication-mean measure lies
///       outside [min, max] (in the measure's own units, 0 inside),
/// where ybar_k(t) is the mean of indicator k at quarter t over the particle's R replications.
/// A replication whose parameter values break a field's valid range makes the distance infinite
/// (the particle is rejected).
public struct TrajectoryDistance: Sendable {
    /// An observed cell: the indicator's column in the scenario, the quarter, the value and its scale.
    public struct Cell: Sendable, Equatable {
        public let column: Int, quarter: Int
        public let value: Double, scale: Double
    }

    public let cells: [Cell]
    public let targets: [SummaryTarget]
    public let targetPenalty: Double
    public let replications: Int
    let template: ScenarioTemplate
    let fields: [Int]

    public init(spec: CalibrationSpec) {
        let scenario = spec.binding.template.scenario
        let scales = Self.scales(spec.observations, scenario: scenario, by: spec.scale)
        cells = spec.observations.cells.map { cell in
            let column = scenario.indicators.firstIndex { $0.id == cell.indicator }!
            return Cell(column: column, quarter: cell.quarter, value: cell.value, scale: scales[column])
        }
        targets = spec.targets
        targetPenalty = spec.targetPenalty
        replications = spec.replications
        template = spec.binding.template
        fields = spec.binding.fields
    }

    /// scale_k for every indicator of `scenario`: by the chosen rule, falling back on the other rule
    /// and finally on 1 where a rule gives no positive number.
    public static func scales(_ observations: Observations, scenario: Scenario, by rule: DistanceScale) -> [Double] {
        scenario.indicators.map { indicator in
            let gap = abs(indicator.target - indicator.baseline)
            let values = observations.cells.filter { $0.indicator == indicator.id }.map(\.value)
            let sd = values.count >= 2 ? SampleSummary(values).standardDeviation : 0
            let ordered = rule == .targetGap ? [gap, sd] : [sd, gap]
            return ordered.first { $0 > 0 && $0.isFinite } ?? 1
        }
    }

    /// The distance given the mean of each observed cell and of each target's measure over replications.
    public func distance(cellMeans: [Double], measureMeans: [Double]) -> Double {
        var squares = 0.0
        for (cell, mean) in zip(cells, cellMeans) {
            let z = (mean - cell.value) / cell.scale
            squares += z * z
        }
        var penalty = 0.0
        for (target, mean) in zip(targets, measureMeans) {
            penalty += max(0, target.min - mean, mean - target.max)
        }
        return (squares / Double(cells.count)).squareRoot() + targetPenalty * penalty
    }

    /// A distance function for one thread (its own generators), as `ABCSMC` asks for.
    public func makeWorker(kind: GeneratorKind = .standard) throws -> ABCSMC.Distance {
        let replicator = try Replicator(kind: kind)
        return { theta, seed in self.distance(theta, seed: seed, replicator: replicator) }
    }

    /// Runs replications 1...R of run seed `seed` with the parameters set to `theta`.
    func distance(_ theta: [Double], seed: UInt64, replicator: Replicator) -> Double {
        var cellSums = [Double](repeating: 0, count: cells.count)
        var measureSums = [Double](repeating: 0, count: targets.count)
        // Where theta sets every uncertain field, each replication would compile the same model.
        let drawsNothing = template.drawsNothing(besides: fields)
        var compiled: Simulator?
        for r in 1...replications {
            let simulator: Simulator
            if drawsNothing, let compiled {
                simulator = replicator.again(compiled, seed: seed, replication: r)
            } else {
                do {
                    simulator = try replicator.simulator(for: template, setting: theta, at: fields, seed: seed, replication: r)
                } catch {
                    return .infinity
                }
                compiled = simulator
            }
            let summary = simulator.run(generator: replicator.generator)
            for (c, cell) in cells.enumerated() { cellSums[c] += simulator.indicatorValue(quarter: cell.quarter, indicator: cell.column) }
            for (t, target) in targets.enumerated() { measureSums[t] += target.measure.value(in: summary) }
        }
        let n = Double(replications)
        return distance(cellMeans: cellSums.map { $0 / n }, measureMeans: measureSums.map { $0 / n })
    }
}
