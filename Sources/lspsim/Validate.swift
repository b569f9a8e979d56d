import ArgumentParser
import Foundation
import PartnershipModel
import ScenarioFile

extension LSPSim {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check scenario files and describe each in a paragraph.",
            discussion: """
                Reports every problem of every file (file:line:column: error: field.path: message) and exits \
                non-zero if any file is invalid.

                Example:
                  lspsim validate scenarios/*.yaml
                """
        )

        @Argument(help: "Scenario files (YAML).")
        var scenarios: [String]

        func run() throws {
            var failed = false
            for path in scenarios {
                do {
                    let template = try ScenarioLoader.load(path: path)
                    print("\(path): valid.")
                    print(ScenarioDescription.paragraph(template))
                    print("")
                } catch {
                    failed = true
                    FileHandle.standardError.write(Data((error.description + "\n").utf8))
                }
            }
            if failed { throw ExitCode(ExitStatus.invalidInput) }
        }
    }
}
