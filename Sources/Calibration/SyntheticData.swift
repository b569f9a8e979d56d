import PartnershipModel
import ScenarioFile
import Stochastic

/// Observations made by the simulator itself from known parameter values: one replication's
/// indicator values, the data of recovery checks (can the calibration find the values back?).
public enum SyntheticData {
    /// Runs replication 1 of run seed `seed` with the bound fields set to `values` and returns its
    /// values of every indicator at quarters `quarters`.
    public static func observations(binding: ParameterBinding, values: [Double], seed: UInt64,
                                    quarters: ClosedRange<Int>) throws -> Observations {
        let replicator = try Replicator()
        let simulator = try replicator.simulator(for: binding.template, setting: values, at: binding.fields, seed: seed, replication: 1)
        _ = simulator.run(generator: replicator.generator)
        let ids = binding.template.scenario.indicators.map(\.id)
        var cells: [Observations.Cell] = []
        for (column, id) in ids.enumerated() {
            for quarter in quarters {
                cells.append(Observations.Cell(indicator: id, quarter: quarter, value: simulator.indicatorValue(quarter: quarter, indicator: column)))
            }
        }
        return Observations(cells: cells)
    }
}
