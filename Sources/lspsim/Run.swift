import ArgumentParser
import Calibration
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

        @Option(name: [.short, .long], help: "Worker threads (the default is the number of cores).")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Option(help: "GSL generator: \(GeneratorKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        var rng: GeneratorKind = .standard

        @Option(help: "Draw each replication's calibrated fields from DIR/posterior.csv (see `lspsim calibrate`).")
        var posterior: String?

        @Flag(name: .shortAndLong, help: "Print nothing but errors.")
        var quiet = false

        @Flag(help: "Also write report.html (charts of the results, see `lspsim report`) into the output folder.")
        var report = false

        func validate() throws {
            guard replications >= 1 else { throw ValidationError("--replications must be at least 1, got \(replications)") }
            guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        }

        func run() throws {
            let stem = URL(fileURLWithPath: scenario).deletingPathExtension().lastPathComponent
            let folder = out ?? "outputs/\(stem)"
            let directory = URL(fileURLWithPath: folder)
            let settings = RunSettings(seed: seed, replications: replications, generator: rng,
                                       jobs: min(jobs, replications))
            do {
                let outcome = try ScenarioRun.execute(
                    scenarioPath: scenario, settings: settings, directory: directory,
                    commandLine: CommandLine.arguments,
                    loading: posterior.map { folder in { try PosteriorScenario.load(scenarioPath: $0, posteriorDirectory: folder) } })
                if !quiet {
                    let title = "\(outcome.scenario.name): \(replications) replications, seed \(seed), generator \(rng.rawValue)"
                    print(outcome.statistics.text(title: title))
                    print("Wrote summary.csv, indicators.csv, quarters.csv and manifest.json to \(folder)/")
                }
            } catch {
                printError(error.description)
                switch error {
                case let .invalidScenario(fileError):
                    let missing = fileError.diagnostics.count == 1 && fileError.diagnostics[0].line == nil
                        && fileError.diagnostics[0].message == "no such file"
                    throw ExitCode(missing ? ExitStatus.noInput : ExitStatus.invalidInput)
                case .replicationsFailed: throw ExitCode(ExitStatus.invalidInput)
                case .output: throw ExitCode(ExitStatus.cannotCreate)
                case .gsl: throw ExitCode(ExitStatus.software)
                }
            }
            if report { try writeReport(directory: folder, quiet: quiet) }
        }
    }
}

extension GeneratorKind: ExpressibleByArgument {}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data(("error: " + text + "\n").utf8))
}
