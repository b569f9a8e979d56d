import AreaBuilder
import ArgumentParser
import Foundation

extension LSPSim {
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a complete, commented scenario for your own area from a few answers.",
            discussion: """
                Answers come from flags, from an answers file (YAML with the fields name, tier, districts, \
                population, partners, indicators, expected_share, long_history, model_version) or, on a \
                terminal, from questions for whatever is still missing. Budgets come from per-head figures, \
                openness, trust and discretionary shares are ranges over SOURCES.md's figures, and one common \
                responsiveness scale is calibrated (bisection, real runs) so that the area meets about the \
                share of its targets you expect. docs/OWN-AREA.md explains every value.

                Example:
                  lspsim new --list-indicators
                  lspsim new --name "Wyre Forest" --tier two_tier --districts "Bromsgrove,Redditch,Wyre Forest" \\
                    --population 560000 --partners council,health,police,fire,jobcentre,skills,housing,vcs \\
                    --indicators NI117:7.0:5.8,NI152:13.8:12.8 --out myarea.yaml
                  lspsim new --answers answers.yaml --out myarea.yaml
                """
        )

        @Flag(help: "Print the indicator catalogue (id, unit, polarity, who moves it, source) and stop.")
        var listIndicators = false
        @Option(help: "An answers file (YAML); flags given as well win over it.")
        var answers: String?
        @Option(help: "The area's name.") var name: String?
        @Option(help: "single (unitary) or two_tier (county and districts).") var tier: String?
        @Option(help: "District names of a two-tier area, separated by commas.") var districts: String?
        @Option(help: "Residents.") var population: String?
        @Option(help: "Partner kinds separated by commas: council, health, police, fire, jobcentre, skills, housing, probation, vcs, business.")
        var partners: String?
        @Option(help: "LAA targets from the catalogue as ID:BASELINE:TARGET, separated by commas.") var indicators: String?
        @Option(help: "A local indicator in full: ID:NAME:UNIT:higher|lower:BASELINE:TARGET[:KIND+KIND] (repeatable).")
        var indicatorSpec: [String] = []
        @Option(help: "The share of its targets you expect the area to meet (default 0.5).") var expectedShare: String?
        @Flag(help: "The partners have a long history of joint working (trust 0.6-0.8 instead of 0.3-0.5).")
        var longHistory = false
        @Option(help: "Model version of the scenario, 1 or 2 (default 2).") var modelVersion: String?
        @Option(name: [.short, .long], help: "The scenario file to write.") var out: String?
        @OptionGroup(title: "Calibration runs") var runs: TrialOptions

        func run() throws {
            if listIndicators {
                print(IndicatorCatalogue.listing(), terminator: "")
                return
            }
            var flags = AreaFlags()
            (flags.name, flags.tier, flags.districts, flags.population) = (name, tier, districts, population)
            (flags.partners, flags.indicators, flags.indicatorSpecs) = (partners, indicators, indicatorSpec)
            (flags.expectedShare, flags.longHistory, flags.modelVersion) = (expectedShare, longHistory, modelVersion)
            var spec = try answer(ExitStatus.usage) { () throws(AreaAnswerError) in try flags.spec() }
            if let answers {
                let text = try readInput(answers)
                spec = try answer(ExitStatus.invalidInput) { () throws(AreaAnswerError) in try spec.merging(answersYAML: text) }
            }
            if !spec.missing.isEmpty, isatty(STDIN_FILENO) == 1 {
                spec = try answer(ExitStatus.usage) { () throws(AreaAnswerError) in try terminalInterview().complete(spec) }
            }
            spec = try answer(ExitStatus.usage) { () throws(AreaAnswerError) in try spec.validated() }
            let file = out ?? (spec.name.map { AreaScenario.fileName(for: $0) } ?? "area.yaml")
            let calibration = ResponsivenessCalibration(trial: runs.trial)
            let area = try answer(ExitStatus.usage) { () throws(AreaAnswerError) in try AreaScenario(spec: spec) }
            let result: NewArea.Result
            do {
                result = try NewArea.build(area, calibration: calibration) { step in
                    FileHandle.standardError.write(Data(String(format: "calibrating: scale %-12@ mean share met %.3f\n",
                                                               AreaScenario.number(step.scale), step.share).utf8))
                }
            } catch {
                printError("\(error)")
                throw ExitCode(ExitStatus.software)
            }
            try writeScenario(result.yaml, to: file)
            let outcome = result.calibration
            print("Wrote \(file): \(result.area.partners.count) partners, \(spec.indicators.count) LAA targets.")
            print(String(format: "Responsiveness scale %@ gives a mean share of targets met of %.3f (you expected %.2f), %d replications, seed %llu%@.",
                         AreaScenario.number(outcome.scale), outcome.share, spec.expectedShare, runs.replications, runs.seed,
                         outcome.converged ? "" : "; NOT within 0.05 of your expectation, see the file's header"))
            print("Next: lspsim validate \(file); lspsim assess ANSWERS --scenario \(file); lspsim run \(file)")
        }
    }
}
