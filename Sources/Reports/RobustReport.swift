import Charts
import Experiments
import Results

extension SweepReport {
    /// The robustness of the options of a sweep with options and uncertainties (docs/ROBUST.md), as
    /// `lspsim robust` prints it; nil for any other sweep.
    static func robustnessSection(_ data: SweepData) -> Element? {
        guard let robust = try? RobustData(data) else { return nil }
        let robustness = robust.robustness()
        let metrics = robustness.metrics
        var content: [Element] = [
            HTML.paragraph("Every option was run in the same \(Format.count(robustness.worldCount, "world")): combinations of the uncertain inputs (\(robust.uncertainties.count) of them) sampled over their plausible ranges, with the same random numbers. An option's value in a world is its mean share of targets met over the replications. Regret in a world is the best option's value there minus this option's; satisficing is the share of worlds in which the option meets at least \(Format.percent(robustness.threshold)) of its targets."),
        ]
        content.append(HTML.table(
            header: ["Option", "Mean", "10th percentile", "Mean regret", "90th pct. regret", "Maximum regret", "Satisficing", "95% interval"],
            rows: metrics.map { m in
                [m.name, Format.number(m.mean), Format.number(m.p10), Format.number(m.regretMean), Format.number(m.regretP90),
                 Format.number(m.regretMax), Format.percent(m.satisficing, decimals: 1),
                 "\(Format.percent(m.satisficingLower, decimals: 1))\u{2013}\(Format.percent(m.satisficingUpper, decimals: 1))"]
            },
            numeric: Set(1...7), caption: "Share of targets met over the worlds, by option"))
        let beats = robustness.beats
        content.append(HTML.table(
            header: ["Row beats column in"] + robustness.options,
            rows: robustness.options.indices.map { a in
                [robustness.options[a]] + robustness.options.indices.map { b in a == b ? "\u{2013}" : Format.percent(beats[a][b]) }
            },
            numeric: Set(1...robustness.options.count), caption: "Share of worlds in which the row's option meets more targets than the column's"))
        content += robustness.conclusion.split(separator: "\n").map { HTML.paragraph(String($0)) }
        if robust.droppedWorlds > 0 {
            content.append(HTML.notice("\(robust.droppedWorlds) world(s) are left out: some option has no successful run there."))
        }
        return HTML.section("Robustness: which option holds up across the worlds", id: "robustness", content)
    }
}
