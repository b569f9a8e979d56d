import Foundation
import PartnershipModel
import Sensitivity

/// `lspsim robust`'s answer for a sweep with options and uncertainties: the robustness metrics of
/// every option (and of further measures), the pairwise "row beats column" table and the
/// conclusion in words, as CSV (written into the sweep folder), JSON, or text for the terminal.
public struct RobustnessOutput {
    public let robustness: Robustness
    /// Further measures: their names and, per measure, each option's metrics.
    public let measures: [String]
    let extra: [[Robustness.OptionMetrics]]
    public let threshold: Double

    /// Analyses `data` (the share of targets met, and each of `measures`) at `threshold`; an
    /// unknown measure is a usage error that lists the valid ones.
    public init(_ data: RobustData, threshold: Double, measures: [String]) throws {
        let indices = try Analysis.measureIndices(measures)
        robustness = data.robustness(threshold: threshold)
        extra = indices.map { data.robustness(measure: $0, threshold: threshold).metrics }
        self.measures = measures
        self.threshold = threshold
    }

    /// One row per option: `robust.csv`.
    public func table() -> TextTable {
        var csv = TextTable(header: ["option", "worlds", "mean", "p10", "regret_mean", "regret_p90", "regret_max", "satisficed",
                                     "satisficing", "satisficing_low", "satisficing_high"] + measures.flatMap { ["\($0)_mean", "\($0)_p10"] },
                            numeric: [])
        for (o, m) in robustness.metrics.enumerated() {
            csv.add([m.name, "\(robustness.worldCount)", fullNumber(m.mean), fullNumber(m.p10), fullNumber(m.regretMean),
                     fullNumber(m.regretP90), fullNumber(m.regretMax), "\(m.satisficed)", fullNumber(m.satisficing),
                     fullNumber(m.satisficingLower), fullNumber(m.satisficingUpper)]
                    + extra.flatMap { [fullNumber($0[o].mean), fullNumber($0[o].p10)] })
        }
        return csv
    }

    /// Row beats column in this share of worlds: `robust-pairwise.csv`.
    public func pairwise() -> TextTable {
        let beats = robustness.beats, options = robustness.options
        var table = TextTable(header: ["option"] + options, numeric: Set(1...options.count))
        for (a, name) in options.enumerated() {
            table.add([name] + options.indices.map { b in a == b ? "-" : String(format: "%.1f%%", 100 * beats[a][b]) })
        }
        return table
    }

    /// Writes `robust.csv` and `robust-pairwise.csv` into `folder`; returns their URLs.
    public func write(into folder: URL) throws -> (metrics: URL, pairwise: URL) {
        let metricsURL = folder.appendingPathComponent("robust.csv"), pairURL = folder.appendingPathComponent("robust-pairwise.csv")
        try ClassifiedError.classifying(.cannotCreate, "cannot write into \(folder.path)") {
            try writeAtomically(table().csv(), to: metricsURL)
            try writeAtomically(pairwise().csv(), to: pairURL)
        }
        return (metricsURL, pairURL)
    }

    /// The metrics, the pairwise shares and the conclusion as JSON.
    public func json() throws -> String {
        let beats = robustness.beats, options = robustness.options
        let objects: [[String: Any]] = robustness.metrics.enumerated().map { o, m in
            var object: [String: Any] = [
                "option": m.name, "mean": m.mean, "p10": m.p10, "regret_mean": m.regretMean, "regret_p90": m.regretP90,
                "regret_max": m.regretMax, "satisficed": m.satisficed, "satisficing": m.satisficing,
                "satisficing_ci95": [m.satisficingLower, m.satisficingUpper],
                "beats": Dictionary(uniqueKeysWithValues: options.indices.filter { $0 != o }.map { (options[$0], beats[o][$0]) }),
            ]
            for (i, name) in measures.enumerated() { object[name] = ["mean": extra[i][o].mean, "p10": extra[i][o].p10] }
            return object
        }
        let data = try JSONSerialization.data(withJSONObject: [
            "worlds": robustness.worldCount, "threshold": threshold, "measure": "targets_met_share",
            "options": objects, "conclusion": robustness.conclusion,
        ], options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// The tables and the conclusion for the terminal.
    public func text() -> String {
        var out = "Robustness over \(robustness.worldCount) worlds (an option's value in a world: its mean over the replications)\n"
        out += "share of targets met: mean and 10th percentile over worlds; regret = best option's mean in the world minus this one's;\n"
        out += "satisficing = share of worlds meeting \(shortNumber(threshold)) of targets, with 95% Wilson interval\n"
        var table = TextTable(header: ["option", "mean", "p10", "regret mean", "p90", "max", "satisficing", "95% CI"]
                                + measures.flatMap { ["\($0) mean", "p10"] },
                              numeric: Set(1..<(8 + 2 * measures.count)).subtracting([7]))
        for (o, m) in robustness.metrics.enumerated() {
            table.add([m.name, shortNumber(m.mean), shortNumber(m.p10), shortNumber(m.regretMean), shortNumber(m.regretP90),
                       shortNumber(m.regretMax), String(format: "%.1f%%", 100 * m.satisficing),
                       String(format: "[%.1f%%, %.1f%%]", 100 * m.satisficingLower, 100 * m.satisficingUpper)]
                      + extra.flatMap { [shortNumber($0[o].mean), shortNumber($0[o].p10)] })
        }
        out += table.text()
        out += "Row beats column (higher mean share of targets met) in this share of worlds:\n"
        out += pairwise().text()
        out += robustness.conclusion + "\n"
        return out
    }
}

extension Vulnerability {
    /// The peeling trajectory, one row per step (the chosen one marked).
    public func trajectoryTable() -> TextTable {
        var table = TextTable(header: ["step", "coverage", "density", "mass", "worlds", "restricted"], numeric: [0, 1, 2, 3, 4, 5])
        for (step, b) in result.trajectory.enumerated() {
            table.add(["\(step)\(step == result.chosenStep ? " <-" : "")", String(format: "%.1f%%", 100 * b.coverage),
                       String(format: "%.1f%%", 100 * b.density), String(format: "%.1f%%", 100 * b.mass), "\(b.cases)",
                       "\(b.restrictedDimensions.count)"])
        }
        return table
    }

    /// The chosen box as JSON.
    public func json(option: String) throws -> String {
        let box = result.box
        let data = try JSONSerialization.data(withJSONObject: [
            "option": option, "condition": condition, "worlds": worlds, "vulnerable": vulnerable,
            "coverage": box.coverage, "density": box.density, "mass": box.mass, "limits": limits, "sentence": sentence,
        ], options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// The trajectory and the box in words for the terminal.
    public func text(option: String) -> String {
        "Vulnerabilities of '\(option)' (PRIM over the uncertain inputs, one case per world)\n"
            + "Peeling trajectory (coverage = share of its vulnerable worlds in the box; density = share of the box's worlds that are vulnerable):\n"
            + trajectoryTable().text() + sentence + "\n"
    }
}
