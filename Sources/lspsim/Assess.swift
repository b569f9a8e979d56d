import AreaBuilder
import ArgumentParser
import Foundation

extension LSPSim {
    struct Assess: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rate your partnership on the public sector 7S and write the scenario those ratings imply.",
            discussion: """
                Rates Steering, Standards and Systems (hard) and Staff and skills, Style and Synergies (soft) \
                red, amber or green, from an answers file (YAML: steering: green, ...) or from questions on a \
                terminal. The ratings set governance.levels and scrutiny (Steering), performance_management and \
                review_every (Systems, Standards), commissioning (Staff and skills), leadership (Style), \
                model.synergy and the partners' initial trust (Synergies); docs/OWN-AREA.md has the table. \
                Writes the scenario with those fields changed, then runs each element improved by one grade, \
                paired with the assessed partnership (same seed and replications: common random numbers), and \
                says which elements most limit the partnership in the model.

                Example:
                  lspsim assess answers.yaml --scenario myarea.yaml --out myarea-assessed.yaml
                """
        )

        @Argument(help: "The 7S answers file (YAML); without it, questions on a terminal.")
        var answers: String?
        @Option(help: "The scenario to assess (for example one written by `lspsim new`).")
        var scenario: String
        @Option(name: [.short, .long], help: "The assessed scenario to write.")
        var out: String
        @OptionGroup(title: "Paired runs") var runs: TrialOptions

        func run() throws {
            let assessment: SelfAssessment
            if let answers {
                let text = try readInput(answers)
                assessment = try answer(ExitStatus.invalidInput) { () throws(AreaAnswerError) in try SelfAssessment.parse(yaml: text) }
            } else if isatty(STDIN_FILENO) == 1 {
                assessment = try answer(ExitStatus.usage) { () throws(AreaAnswerError) in try SelfAssessment.ask(terminalInterview()) }
            } else {
                printError("answers: give a 7S answers file (steering, standards, systems, staff_and_skills, style, synergies: red, amber or green), or run on a terminal to answer questions")
                throw ExitCode(ExitStatus.usage)
            }
            let text = try readInput(scenario)
            let result: Assessment.Result
            do {
                result = try Assessment.run(scenario: text, file: scenario, assessment: assessment,
                                            trial: runs.trial)
            } catch {
                printError("\(scenario): \(error)")
                throw ExitCode(ExitStatus.invalidInput)
            }
            try writeScenario(result.yaml, to: out)
            print(result.paragraph)
            print("Wrote \(out).")
        }
    }
}
