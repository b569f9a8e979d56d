import PartnershipModel

/// The three CSV tables of `lspsim run` (SCENARIO.md): their columns and row formatting.
public enum RunTables {
    public static let summaryColumns = ["replication", "seed"] + RunMeasure.names
    public static let indicatorColumns = ["replication", "quarter", "indicator", "value"]
    public static let quarterColumns = ["replication", "quarter", "aligned_share", "mean_trust", "pooled", "overhead", "engaged", "moved"]

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
        for (index, measure) in RunMeasure.all.enumerated() {
            if index > 0 { row.comma() }
            let value = measure.value(in: s)
            if measure.isCount { row.append(integer: Int(value)) } else { row.append(value) }
        }
        row.newline()

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
            quarterRows.append(integer: record.engaged); quarterRows.comma()
            quarterRows.append(record.moved); quarterRows.newline()
        }
        return (row.bytes, indicators.bytes, quarterRows.bytes)
    }
}
