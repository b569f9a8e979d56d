import Foundation
import Testing
import Calibration
import PartnershipModel
import ScenarioFile

/// A particle's distance averages its R replications' trajectories. Where the particle sets every
/// uncertain field the model is compiled once and re-run (`Replicator.again`): the distance must
/// equal the one from compiling each replication afresh, worked out here by hand.
struct TrajectoryDistanceTests {
    @Test("the distance of a particle over 3 replications equals the distance of the mean of 3 separately compiled runs")
    func compiledOncePerParticle() throws {
        var spec = try CalibrationLoader.load(path: RecoveryTests.exampleFile)
        spec.replications = 3
        let distance = TrajectoryDistance(spec: spec)
        let worker = try distance.makeWorker()
        let binding = spec.binding
        #expect(binding.template.drawsNothing(besides: binding.fields), "the example sets every uncertain field")
        for (theta, seed) in [([0.12, 0.17, 0.14, 0.55], UInt64(11)), ([0.05, 0.3, 0.2, 0.9], UInt64(12))] {
            var sums = [Double](repeating: 0, count: distance.cells.count)
            var measures = [Double](repeating: 0, count: distance.targets.count)
            for r in 1...3 {
                let replicator = try Replicator()
                let simulator = try replicator.simulator(for: binding.template, setting: theta, at: binding.fields, seed: seed, replication: r)
                let summary = simulator.run(generator: replicator.generator)
                for (c, cell) in distance.cells.enumerated() { sums[c] += simulator.indicatorValue(quarter: cell.quarter, indicator: cell.column) }
                for (t, target) in distance.targets.enumerated() { measures[t] += target.measure.value(in: summary) }
            }
            let expected = distance.distance(cellMeans: sums.map { $0 / 3 }, measureMeans: measures.map { $0 / 3 })
            #expect(try worker(theta, seed) == expected)
            // Replications differ (else the mean would hide a stuck stream).
            let one = try Replicator(), two = try Replicator()
            let first = try one.simulator(for: binding.template, setting: theta, at: binding.fields, seed: seed, replication: 1)
            _ = first.run(generator: one.generator)
            let second = try two.simulator(for: binding.template, setting: theta, at: binding.fields, seed: seed, replication: 2)
            _ = second.run(generator: two.generator)
            #expect(first.indicatorValue(quarter: 12, indicator: 0) != second.indicatorValue(quarter: 12, indicator: 0))
        }
    }
}
