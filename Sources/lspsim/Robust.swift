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

            let output = try RobustnessOutput(robustData, threshold: threshold, measures: measure)
            let files = try output.write(into: folder)
            switch format {
            case .csv: print(output.table().csv(), terminator: "")
            case .json: print(try output.json())
            case .table:
                print(output.text(), terminator: "")
                print("Wrote \(files.metrics.path) and \(files.pairwise.path)")
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
            switch format {
            case .csv: print(found.trajectoryTable().csv(), terminator: "")
            case .json: print(try found.json(option: option))
            case .table: print(found.text(option: option), terminator: "")
            }
        }
    }
}
extension Vulnerability.Condition: ExpressibleByArgument {}
