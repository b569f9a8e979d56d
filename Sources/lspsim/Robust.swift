import ArgumentParser
import Experiments
import Foundation
import Results
import Sensitivity

extension LSPSim {
    struct Robust: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Robust decisions: which option of a sweep with options and uncertainties holds up across the worlds.",
            discussion: """
                For a sweep run from a file with options: and uncertainties: (docs/ROBUST.md). An option's \
                value in a world is its mean over the replications. For each option, over the worlds: the mean \
                and 10th percentile of the share of targets met (and of each --measure); regret (the best \
                option's mean in that world minus this option's) as mean, 90th percentile and maximum; the \
                satisficing share (worlds where the option meets --threshold of its targets on average) with a \
                95% Wilson interval; a table "row beats column in x% of worlds"; and a conclusion in words.

                --vulnerable OPTION describes, with PRIM over the uncertain inputs, the worlds in which that \
                option misses the threshold or is beaten by more than --tolerance (--condition misses|beaten|either).

                Example:
                  lspsim sweep scenarios/robust-options.yaml --out outputs/robust-options
                  lspsim robust outputs/robust-options
                  lspsim robust outputs/robust-options --vulnerable "No pool"
                  lspsim robust outputs/robust-options --vulnerable current --condition misses
                """
        )

        @Argument(help: "The sweep folder (or its results.sqlite).")
        var directory: String

        @Option(help: "The share of targets met counted as success (satisficing), in [0, 1].")
        var threshold: Double = Robustness.defaultThreshold

        @Option(help: "A further measure to report (mean and 10th percentile over worlds); repeatable.")
        var measure: [String] = []

        @Option(help: "Describe the worlds in which this option fails the threshold or is beaten (PRIM).")
        var vulnerable: String?

        @Option(help: "With --vulnerable: regret in the share of targets met above which an option counts as beaten.")
        var tolerance: Double = 0.01

        @Option(help: "With --vulnerable: what counts as failing: misses (the threshold), beaten (regret above --tolerance) or either.")
        var condition: Vulnerability.Condition = .either

        @Option(help: "Output on stdout: table, csv or json.")
        var format: OutputFormat = .table

        func validate() throws {
            guard threshold >= 0, threshold <= 1 else { throw ValidationError("--threshold must be in [0, 1], got \(threshold)") }
            guard tolerance >= 0 else { throw ValidationError("--tolerance must be >= 0, got \(tolerance)") }
            _ = try Analysis.measureIndices(measure)
        }

        func run() throws {
            let (store, folder) = try SweepStore.openForReading(directory)
            let robustData: RobustData
            do {
                robustData = try RobustData(try store.loadData())
            } catch let problem as RobustData.Problem {
                printError(problem.message)
                throw ExitCode(ExitStatus.invalidInput)
            }
            if robustData.droppedWorlds > 0 {
                FileHandle.standardError.write(Data("note: \(robustData.droppedWorlds) world(s) left out: some option has no successful run there (\(robustData.failedRuns) failed runs)\n".utf8))
            }
            if let vulnerable { return try describe(robustData, option: vulnerable, folder: folder) }

            let robustness = robustData.robustness(threshold: threshold)
            let metrics = robustness.metrics
            let extra = try Analysis.measureIndices(measure)
            let extraRobustness = extra.map { robustData.robustness(measure: $0, threshold: threshold).metrics }

            var csv = TextTable(header: ["option", "worlds", "mean", "p10", "regret_mean", "regret_p90", "regret_max", "satisficed",
                                         "satisficing", "satisficing_low", "satisficing_high"] + measure.flatMap { ["\($0)_mean", "\($0)_p10"] },
                                numeric: [])
            for (o, m) in metrics.enumerated() {
                csv.add([m.name, "\(robustness.worldCount)", fullNumber(m.mean), fullNumber(m.p10), fullNumber(m.regretMean),
                         fullNumber(m.regretP90), fullNumber(m.regretMax), "\(m.satisficed)", fullNumber(m.satisficing),
                         fullNumber(m.satisficingLower), fullNumber(m.satisficingUpper)]
                        + extraRobustness.flatMap { [fullNumber($0[o].mean), fullNumber($0[o].p10)] })
            }
            let beats = robustness.beats
            var pairwise = TextTable(header: ["option"] + robustness.options, numeric: Set(1...robustness.options.count))
            for (a, name) in robustness.options.enumerated() {
                pairwise.add([name] + robustness.options.indices.map { b in a == b ? "-" : String(format: "%.1f%%", 100 * beats[a][b]) })
            }
            let csvURL = folder.appendingPathComponent("robust.csv"), pairURL = folder.appendingPathComponent("robust-pairwise.csv")
            try writeAtomically(csv.csv(), to: csvURL)
            try writeAtomically(pairwise.csv(), to: pairURL)

            switch format {
            case .csv: print(csv.csv(), terminator: "")
            case .json:
                let objects: [[String: Any]] = metrics.enumerated().map { o, m in
                    var object: [String: Any] = [
                        "option": m.name, "mean": m.mean, "p10": m.p10, "regret_mean": m.regretMean, "regret_p90": m.regretP90,
                        "regret_max": m.regretMax, "satisficed": m.satisficed, "satisficing": m.satisficing,
                        "satisficing_ci95": [m.satisficingLower, m.satisficingUpper],
                        "beats": Dictionary(uniqueKeysWithValues: robustness.options.indices.filter { $0 != o }.map { (robustness.options[$0], beats[o][$0]) }),
                    ]
                    for (i, name) in measure.enumerated() { object[name] = ["mean": extraRobustness[i][o].mean, "p10": extraRobustness[i][o].p10] }
                    return object
                }
                let json = try JSONSerialization.data(withJSONObject: [
                    "worlds": robustness.worldCount, "threshold": threshold, "measure": "targets_met_share",
                    "options": objects, "conclusion": robustness.conclusion,
                ], options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: json, as: UTF8.self))
            case .table:
                print("Robustness over \(robustness.worldCount) worlds (an option's value in a world: its mean over the replications)")
                print("share of targets met: mean and 10th percentile over worlds; regret = best option's mean in the world minus this one's;")
                print("satisficing = share of worlds meeting \(shortNumber(threshold)) of targets, with 95% Wilson interval")
                var table = TextTable(header: ["option", "mean", "p10", "regret mean", "p90", "max", "satisficing", "95% CI"]
                                        + measure.flatMap { ["\($0) mean", "p10"] },
                                      numeric: Set(1..<(8 + 2 * measure.count)).subtracting([7]))
                for (o, m) in metrics.enumerated() {
                    table.add([m.name, shortNumber(m.mean), shortNumber(m.p10), shortNumber(m.regretMean), shortNumber(m.regretP90),
                               shortNumber(m.regretMax), String(format: "%.1f%%", 100 * m.satisficing),
                               String(format: "[%.1f%%, %.1f%%]", 100 * m.satisficingLower, 100 * m.satisficingUpper)]
                              + extraRobustness.flatMap { [shortNumber($0[o].mean), shortNumber($0[o].p10)] })
                }
                print(table.text())
                print("Row beats column (higher mean share of targets met) in this share of worlds:")
                print(pairwise.text())
                print(robustness.conclusion)
                print("Wrote \(csvURL.path) and \(pairURL.path)")
            }
        }

        func describe(_ data: RobustData, option: String, folder: URL) throws {
            let found: Vulnerability
            do {
                found = try Vulnerability(data, option: option, threshold: threshold, tolerance: tolerance, condition: condition)
            } catch let problem as RobustData.Problem {
                printError(problem.message)
                throw ExitCode(ExitStatus.invalidInput)
            } catch let error as PRIMError {
                switch error {
                case .noCasesOfInterest:
                    print("'\(option)' has no vulnerable worlds among these \(data.worlds.count) (--condition \(condition.rawValue), --threshold \(shortNumber(threshold)), --tolerance \(tolerance)).")
                    return
                case .allCasesOfInterest:
                    print("'\(option)' is vulnerable in every one of these \(data.worlds.count) worlds (--condition \(condition.rawValue), --threshold \(shortNumber(threshold)), --tolerance \(tolerance)): no range of the uncertainties spares it.")
                    return
                default:
                    printError(error.description)
                    throw ExitCode(ExitStatus.invalidInput)
                }
            }
            let box = found.result.box
            var trajectory = TextTable(header: ["step", "coverage", "density", "mass", "worlds", "restricted"], numeric: [0, 1, 2, 3, 4, 5])
            for (step, b) in found.result.trajectory.enumerated() {
                trajectory.add(["\(step)\(step == found.result.chosenStep ? " <-" : "")", String(format: "%.1f%%", 100 * b.coverage),
                                String(format: "%.1f%%", 100 * b.density), String(format: "%.1f%%", 100 * b.mass), "\(b.cases)",
                                "\(b.restrictedDimensions.count)"])
            }
            switch format {
            case .csv: print(trajectory.csv(), terminator: "")
            case .json:
                let json = try JSONSerialization.data(withJSONObject: [
                    "option": option, "condition": found.condition, "worlds": found.worlds, "vulnerable": found.vulnerable,
                    "coverage": box.coverage, "density": box.density, "mass": box.mass, "limits": found.limits, "sentence": found.sentence,
                ], options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: json, as: UTF8.self))
            case .table:
                print("Vulnerabilities of '\(option)' (PRIM over the uncertain inputs, one case per world)")
                print("Peeling trajectory (coverage = share of its vulnerable worlds in the box; density = share of the box's worlds that are vulnerable):")
                print(trajectory.text())
                print(found.sentence)
            }
        }
    }
}
extension Vulnerability.Condition: ExpressibleByArgument {}
