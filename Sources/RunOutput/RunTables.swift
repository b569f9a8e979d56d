import PartnershipModel

/// The three CSV tables of `lspsim run` (SCENARIO.md): their columns and row formatting.
public enum RunTables {
    public static let summaryColumns = [
        "replication", "seed", "targets_total", "targets_met", "targets_met_share", "mean_progress",
        "reward_grant", "aligned_share_mean", "pooled_total", "overhead_total", "mean_trust_final",
        "fragmentation",
    ]
    public static let indicatorColumns = ["replication", "quarter", "indicator", "value"]
    public static let quarterColumns = ["replication", "quarter", "aligned_share", "mean_trust", "pooled", "overhead", "engaged"]

    /// The file names, in the order they are written.
    public static let fileNames = ["summary.csv", "indicators.csv", "quarters.csv"]

    /// One replication's rows of the three tables.
    public static func rows(replication r: Int, seed: UInt64, summary s: RunSummary, simulator: Simulator)
        -> (summary: [UInt8], indicators: [UInt8], quarters: [UInt8]) {
        let model = simulator.model
        let k = model.indicatorCount, quarters = model.quarters
        var row = CSVBuffer(capacity: 200)
        row.append(integer: r); row.comma()
        row.append(integer: seed); row.comma()
        row.append(integer: s.targetsTotal); row.comma()
        row.append(integer: s.targetsMet); row.comma()
        for value in [s.targetsMetShare, s.meanProgress, s.rewardGrant, s.alignedShareMean, s.pooledTotal,
                      s.overheadTotal, s.meanTrustFinal] {
            row.append(value); row.comma()
        }
        row.append(s.fragmentation); row.newline()

        let ids = model.scenario.indicators.map(\.id)
        var indicators = CSVBuffer(capacity: (quarters + 1) * k * 28)
        for t in 0...quarters {
            for c in 0..<k {
                indicators.append(integer: r); indicators.comma()
                indicators.append(integer: t); indicators.comma()
                indicators.append(text: ids[c]); indicators.comma()
                indicators.append(simulator.indicatorValue(quarter: t, indicator: c)); indicators.newline()
            }
        }
        var quarterRows = CSVBuffer(capacity: quarters * 90)
        for t in 1...quarters {
            let record = simulator.quarterRecord(t)
            quarterRows.append(integer: r); quarterRows.comma()
            quarterRows.append(integer: t); quarterRows.comma()
            quarterRows.append(record.alignedShare); quarterRows.comma()
            quarterRows.append(record.meanTrust); quarterRows.comma()
            quarterRows.append(record.pooled); quarterRows.comma()
            quarterRows.append(record.overhead); quarterRows.comma()
            quarterRows.append(integer: record.engaged); quarterRows.newline()
        }
        return (row.bytes, indicators.bytes, quarterRows.bytes)
    }
}
