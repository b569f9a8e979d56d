import AreaBuilder
import ArgumentParser
import Experiments
import Foundation

/// The runs behind `lspsim new`'s calibration and `lspsim assess`'s paired comparisons.
struct TrialOptions: ParsableArguments {
    @Option(help: "Replications of each run.") var replications: Int = 200
    @Option(help: "Seed of the runs (the same at every step: common random numbers).") var seed: UInt64 = 1
    @Option(name: [.short, .long], help: "Worker threads.") var jobs: Int = min(2, ProcessInfo.processInfo.activeProcessorCount)

    func validate() throws {
        guard replications >= 1 else { throw ValidationError("--replications must be at least 1, got \(replications)") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    }

    var trial: ScenarioTrial { ScenarioTrial(seed: seed, replications: replications, jobs: jobs) }
}

/// Runs one answer check; a bad answer is printed (field and what is valid) and ends the command.
func answer<Value>(_ status: Int32, _ body: () throws(AreaAnswerError) -> Value) throws -> Value {
    do { return try body() } catch {
        printError(error.description)
        throw ExitCode(status)
    }
}

/// A text file the user named, or exit 66 with the reason.
func readInput(_ path: String) throws -> String {
    do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
        printError("\(path): no such file or not UTF-8 text")
        throw ExitCode(ExitStatus.noInput)
    }
}

/// Writes a scenario file all at once, or exits 73 with the reason.
func writeScenario(_ text: String, to path: String) throws {
    do { try writeAtomically(text, to: URL(fileURLWithPath: path)) } catch {
        printError("cannot write \(path): \(error)")
        throw ExitCode(ExitStatus.cannotCreate)
    }
}

/// Questions on the terminal: prompts on standard output, answers from standard input.
func terminalInterview() -> Interview {
    Interview(read: { readLine() }, write: { text in
        FileHandle.standardOutput.write(Data(text.utf8))
    })
}
