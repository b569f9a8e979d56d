import ABC
import ArgumentParser
import Calibration
import Experiments
import Foundation

extension LSPSim {
    struct Calibrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Calibrate a scenario to an area's observed indicators by ABC-SMC (docs/CALIBRATION.md).",
            discussion: """
                Runs approximate Bayesian computation (sequential Monte Carlo) with the calibration file's priors, \
                observations, distance and settings. Every complete generation is stored in DIR/calibration.sqlite \
                (default DIR: outputs/<calibration file stem>/), so --resume continues an interrupted calibration \
                from its last complete generation with the same result as an uninterrupted one. Prints each \
                generation's tolerance, acceptance rate and effective sample size, then the posterior summary, and \
                writes DIR/posterior.csv (for `lspsim run SCENARIO --posterior DIR` and sweep files' posterior: DIR). \
                Then runs the posterior predictive check (abc.predictive replications, default 200, each drawing \
                one particle by weight) into DIR/predictive.csv, beside DIR/observations.csv, and writes the \
                summary DIR/calibration.json; `lspsim report DIR` turns them into an HTML report.

                Example:
                  lspsim calibrate scenarios/calibration-example.yaml --jobs 2
                """
        )

        @Argument(help: "The calibration file (YAML).")
        var file: String

        @Option(name: [.short, .long], help: "Output folder (default: outputs/<calibration file stem>/).")
        var out: String?

        @Option(name: [.short, .long], help: "Worker threads (the default is the number of cores); the result does not depend on it.")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Flag(help: "Continue the calibration stored in the folder after its last complete generation.")
        var resume = false

        @Flag(name: .shortAndLong, help: "Print nothing but errors.")
        var quiet = false

        func validate() throws {
            guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        }

        func run() throws {
            let spec: CalibrationSpec
            do {
                spec = try CalibrationLoader.load(path: file)
            } catch {
                printError(error.description)
                throw ExitCode(ExitStatus.invalidInput)
            }
            let folder = out ?? "outputs/\(URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent)"
            let quiet = quiet
            if !quiet {
                print("Calibrating \(spec.paths.count) parameters to \(spec.observations.cells.count) observed values: "
                      + "population \(spec.abc.populationSize), \(spec.replications) replications per particle, seed \(spec.abc.seed)")
            }
            // Ctrl-C ends the calibration after the generation in flight; --resume continues it.
            let stop = StopRequest()
            let handlers = stopOnInterrupt(stop)
            defer { handlers.forEach { $0.cancel() } }
            let outcome: Calibrator.Outcome
            do {
                outcome = try Calibrator(spec: spec, directory: URL(fileURLWithPath: folder))
                    .run(jobs: jobs, resume: resume, shouldStop: { stop.isRequested }) { population in
                    if !quiet { print(Calibrator.progressLine(population)) }
                }
            } catch let problem as Calibrator.Problem {
                printError(problem.message)
                throw ExitCode(ExitStatus.usage)
            } catch {
                printError("\(error)")
                throw ExitCode(ExitStatus.cannotCreate)
            }
            guard !quiet else { return }
            if let resumed = outcome.resumedAfter { print("(resumed after generation \(resumed))") }
            print("Stopped: \(outcome.stopReason.rawValue) after generation \(outcome.generations.last!.generation); "
                  + String(format: "%d model runs in %.1f s", outcome.modelRuns, outcome.seconds))
            print("")
            print(outcome.summary.text)
            if let check = outcome.predictive {
                let failed = outcome.predictiveFailed > 0 ? " (\(outcome.predictiveFailed) replications failed and are left out)" : ""
                print("Posterior predictive check (\(spec.predictive) replications drawing from the posterior\(failed)): \(check.coverageText)")
                print("")
            }
            let files = ["calibration.sqlite", "posterior.csv", "observations.csv"] + (outcome.predictive == nil ? [] : ["predictive.csv"]) + ["calibration.json"]
            print("Wrote \(files.dropLast().joined(separator: ", ")) and \(files.last!) to \(folder)/")
            print("Next: lspsim report \(folder)")
            if outcome.stopReason == .requested { print("Interrupted: continue with --resume.") }
        }
    }
}
