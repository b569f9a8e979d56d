import ArgumentParser
import Foundation
import RunOutput
import ScenarioFile
import Stochastic

extension LSPSim {
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure model throughput: runs and partner-quarters per second, single-threaded.",
            discussion: """
                Runs the model alone (no file writing) on one thread for each scenario and prints runs per \
                second, partner-quarters per second, partner-indicator-quarters per second and the peak \
                memory of the process. Build in release mode for meaningful figures.

                Example:
                  swift run -c release lspsim bench scenarios/*.yaml --seconds 5
                """
        )

        @Argument(help: "Scenario files (default: the shipped scenarios in scenarios/).")
        var scenarios: [String] = []

        @Option(help: "Seconds of measurement per scenario.")
        var seconds: Double = 3

        @Option(help: "GSL generator.")
        var rng: GeneratorKind = .standard

        func run() throws {
            var paths = scenarios
            if paths.isEmpty {
                paths = ["scenarios/unitary.yaml", "scenarios/two-tier-county.yaml", "scenarios/county-as-unitary.yaml"]
            }
            #if DEBUG
            print("warning: this is a debug build; use `swift run -c release lspsim bench` for real figures")
            #endif
            print("generator \(rng.rawValue), one thread, \(seconds) s per scenario")
            print("scenario                        N    K    T     runs/s   partner-quarters/s   agent-steps/s")
            for path in paths {
                let template = try ScenarioLoader.load(path: path)
                let name = URL(fileURLWithPath: path).lastPathComponent
                let result = try Benchmark.measure(template, name: name, seconds: seconds, generator: rng)
                let padded = name.count >= 28 ? name : name + String(repeating: " ", count: 28 - name.count)
                print(padded + String(format: " %4d %4d %4d %10.0f %20.0f %15.0f", result.partners,
                                      result.indicators, result.quarters, result.runsPerSecond,
                                      result.partnerQuartersPerSecond, result.agentStepsPerSecond))
            }
            print(String(format: "peak memory (max RSS): %.1f MB", Double(Benchmark.peakMemoryBytes()) / 1e6))
        }
    }
}
