import ArgumentParser
import Experiments
import Foundation
import RunOutput
import Stochastic

extension LSPSim {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run replications of a scenario and write summary, indicator and quarter tables.",
            discussion: """
                Writes summary.csv, indicators.csv, quarters.csv and manifest.json into the output folder \
                (default outputs/<scenario file stem>/), all at once at the end, then prints each LAA target's \
                final value (mean and 90% interval) and the share of replications that met it.

                Replication r of seed S is always the same run, whatever --replications or --jobs.

                Example:
                  lspsim run scenarios/unitary.yaml --replications 500 --seed 42
                  lspsim run scenarios/unitary.yaml -r 1000 -o outputs/unitary-1000 --jobs 2
                """
        )

        @Argument(help: "The scenario file (YAML).")
        var scenario: String

        @Option(name: [.short, .long], help: "Number of replications.")
        var replications: Int = 100

        @Option(name: [.short, .long], help: "Run seed S (a non-negative integer).")
        var seed: UInt64 = 1

        @Option(name: [.short, .long], help: "Output folder (default: outputs/<scenario file stem>/).")
        var out: String?

        @OptionGroup var jobs: JobsOption

        @Option(help: "GSL generator: \(GeneratorKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        var rng: GeneratorKind = .standard

        @Option(help: "Draw each replication's calibrated fields from DIR/posterior.csv (see `lspsim calibrate`).")
        var posterior: String?

        @OptionGroup var quiet: QuietOption

        @Flag(help: "Also write report.html (charts of the results, see `lspsim report`) into the output folder.")
        var report = false

        func validate() throws {
            guard replications >= 1 else { throw ValidationError("--replications must be at least 1, got \(replications)") }
        }

        func run() throws {
            let stem = URL(fileURLWithPath: scenario).deletingPathExtension().lastPathComponent
            let folder = out ?? "outputs/\(stem)"
            let directory = URL(fileURLWithPath: folder)
            let settings = RunSettings(seed: seed, replications: replications, generator: rng,
                                       jobs: min(jobs.jobs, replications))
            let outcome = try ScenarioRun.execute(
                scenarioPath: scenario, settings: settings, directory: directory, commandLine: CommandLine.arguments,
                loading: posterior.map { folder in
                    { path in
                        let (template, source) = try PosteriorScenario.load(scenarioPath: path, posteriorDirectory: folder)
                        return (template, Manifest.PosteriorRecord(directory: folder, sha256: source.sha256))
                    }
                })
            if !quiet.quiet {
                let title = "\(outcome.scenario.name): \(replications) replications, seed \(seed), generator \(rng.rawValue)"
                print(outcome.statistics.text(title: title))
                print("Wrote summary.csv, indicators.csv, quarters.csv and manifest.json to \(folder)/")
            }
            if report { try writeReport(directory: folder, quiet: quiet.quiet) }
        }
    }
}

extension GeneratorKind: ExpressibleByArgument {}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data(("error: " + text + "\n").utf8))
}
