import ArgumentParser
import Experiments
import Foundation
import PartnershipModel
import Results
import Sensitivity
import Stochastic

extension LSPSim {
    /// `lspsim sensitivity`: global sensitivity analysis of a sweep file's factors.
    ///
    /// Runs the method's design (Saltelli's for `sobol`, Morris trajectories for `morris`) over the
    /// sweep file's factors through the sweep machinery (`SweepStore.open` and `SweepRunner`, so the
    /// store is resumable and the runs parallel), takes each design point's mean over its
    /// replications, and estimates the indices with bootstrap intervals.
    ///
    /// Besides the table, it writes `DIR/sensitivity-<method>.csv` (one row per scenario, measure and
    /// factor) and `DIR/sensitivity-<method>.json`, whose fields are documented at `SensitivityFile`
    /// (Sources/Experiments/SensitivityFile.swift).
    struct Sensitivity: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Global sensitivity analysis: Sobol indices or Morris effects of a sweep's factors.",
            discussion: """
                The sweep file's factors (all ranges) are the uncertain inputs; its design block is replaced by \
                the method's design. sobol: Saltelli's scheme on GSL's Sobol sequence, N base samples giving \
                N x (factors + 2) design points, first-order indices (Saltelli et al. 2010) and total-order \
                indices (Jansen 1999). morris: r trajectories of factors + 1 points on a p-level grid, with \
                mu, mu* and sigma of the elementary effects. Each design point's output is its mean over the \
                sweep's replications (common random numbers). Intervals are 95% percentile bootstrap intervals.

                The runs go into DIR/results.sqlite like `lspsim sweep` (default DIR: \
                outputs/<sweep file stem>-<method>/); Ctrl-C keeps finished runs and --resume continues. \
                Writes DIR/sensitivity-<method>.csv and DIR/sensitivity-<method>.json. A design point with a \
                failed run is left out of the analysis, and the output says so. Details: docs/SWEEPS.md.

                Examples:
                  lspsim sensitivity scenarios/sensitivity.yaml --method morris
                  lspsim sensitivity scenarios/sensitivity.yaml --method sobol --samples 1024
                  lspsim sensitivity scenarios/sensitivity.yaml --method sobol --resume --metric reward_grant
                """
        )

        @Argument(help: "The sweep file (YAML) whose factors, all ranges, are the uncertain inputs.")
        var sweep: String

        @Option(help: "sobol (first- and total-order indices) or morris (elementary effects).")
        var method: SensitivityMethod

        @Option(help: "Base samples N (sobol) or trajectories r (morris). Default: the sweep file's design samples if it is of that method's type, else 512 (sobol) or 20 (morris).")
        var samples: Int?

        @Option(help: "Grid levels p of a morris design, even (default: the file's, else 4).")
        var levels: Int?

        @Option(help: "Bootstrap resamples for the 95% intervals.")
        var bootstrap: Int = Bootstrap.defaultResamples

        @Option(name: [.short, .long], help: "Output folder (default: outputs/<sweep file stem>-<method>/).")
        var out: String?

        @OptionGroup var jobs: JobsOption
        @OptionGroup var storeMode: StoreModeOptions
        @OptionGroup var quiet: QuietOption

        @Option(name: .long, parsing: .singleValue, help: "Measure to analyse (repeatable; default: \(SensitivityAnalysis.defaultMetrics.joined(separator: ", "))).")
        var metric: [String] = []

        @OptionGroup var format: FormatOption

        func validate() throws {
            if let samples, samples < method.minimumSamples {
                throw ValidationError("--samples must be at least \(method.minimumSamples) for \(method.rawValue) (\(method.samplesName)), got \(samples)")
            }
            if let levels {
                guard method == .morris else { throw ValidationError("--levels applies to --method morris only") }
                guard levels >= 2, levels % 2 == 0 else {
                    throw ValidationError("--levels must be an even number >= 2 (the step p / (2(p - 1)) is then a whole number of grid intervals), got \(levels)")
                }
            }
            guard bootstrap >= Bootstrap.minimumResamples else {
                throw ValidationError("--bootstrap must be at least \(Bootstrap.minimumResamples) resamples, got \(bootstrap)")
            }
            _ = try asValidationError { try Analysis.measureIndices(metric) }
        }

        func run() throws {
            let plan = try method.loadPlan(path: sweep, samples: samples, levels: levels)
            let stem = URL(fileURLWithPath: sweep).deletingPathExtension().lastPathComponent
            let directory = URL(fileURLWithPath: out ?? "outputs/\(stem)-\(method.rawValue)")
            let store = try runDesign(plan, directory: directory)
            let analysis = try SensitivityAnalysis(plan: plan, store: store, storePath: SweepStore.path(directory: directory, shard: nil).path,
                                                   method: method, metrics: metric,
                                                   bootstrap: bootstrap)
            let written = try analysis.write(into: directory)
            // (The table shows the measures without indices itself.)
            let notes = analysis.notes(includingErrors: format.format != .table)
            switch format.format {
            case .csv:
                print(analysis.csvTable().csv(), terminator: "")
                for note in notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
            case .json:
                print(written.jsonText)
                for note in notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
            case .table:
                print(analysis.text(), terminator: "")
                for note in notes { print("Note: " + note) }
                print("Wrote \(written.csv.relativePath) and \(written.json.lastPathComponent)")
            }
            if analysis.allFailed { throw ExitCode(ExitStatus.invalidInput) }
        }

        // MARK: Running

        /// Opens the store and runs every missing run, as `lspsim sweep` does.
        func runDesign(_ plan: SweepPlan, directory: URL) throws -> ResultStore {
            let spec = plan.spec
            var header = "\(spec.name): \(method.rawValue) sensitivity of \(spec.factors.count) factors, "
            if method == .sobol {
                header += "N = \(spec.design.samples ?? 0) base samples x (\(spec.factors.count) + 2)"
            } else {
                header += "\(spec.design.samples ?? 0) trajectories x (\(spec.factors.count) + 1) on \(spec.design.levels ?? MorrisDesign.defaultLevels) levels"
            }
            if spec.scenarios.count > 1 { header += " x \(spec.scenarios.count) scenarios" }
            header += " = \(plan.points.count) design points x \(spec.replications) replications = \(plan.runCount) runs, seed \(spec.seed), \(jobs.jobs) jobs -> "
            let (store, outcome) = try runSweep(plan, directory: directory, shard: nil, mode: storeMode.mode, jobs: jobs.jobs,
                                                quiet: quiet.quiet, header: header, then: "finish and analyse")
            if !quiet.quiet { FileHandle.standardError.write(Data((SweepSession.summary(outcome) + "\n").utf8)) }
            return store
        }
    }
}

extension SensitivityMethod: ExpressibleByArgument {}
