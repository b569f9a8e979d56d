import ArgumentParser
import Experiments
import Foundation

// Options that several commands share, each declared once and included with `@OptionGroup`.

/// `--jobs N`: worker threads.
struct JobsOption: ParsableArguments {
    @Option(name: [.short, .long], help: "Worker threads (the default is the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    }
}

/// `--quiet`: no progress or summary, only errors.
struct QuietOption: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false
}

/// `--resume` and `--force`: what to do with an existing results store in the output folder.
struct StoreModeOptions: ParsableArguments {
    @Flag(help: "Continue the store in the output folder, running only what is missing.")
    var resume = false

    @Flag(help: "Delete an existing store in the output folder and start again.")
    var force = false

    func validate() throws {
        if resume && force { throw ValidationError("--resume and --force exclude each other") }
    }

    var mode: SweepStore.Mode { resume ? .resume : (force ? .force : .new) }
}

/// `--format table|csv|json`: what the analysis commands print on standard output.
struct FormatOption: ParsableArguments {
    @Option(help: "Output on stdout: table, csv or json.")
    var format: OutputFormat = .table
}

/// Writes `analysis`'s CSV into `folder` and prints it in `format` (with the file written, for a table).
func present(_ analysis: some TableAnalysis, in folder: URL, format: OutputFormat) throws {
    let csvURL = try analysis.write(into: folder)
    switch format {
    case .csv: print(analysis.table().csv(), terminator: "")
    case .json: print(try analysis.json())
    case .table:
        print(analysis.text(), terminator: "")
        print("Wrote \(csvURL.path)")
    }
}

/// The output format of the analysis commands.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    case table, csv, json
}

/// Runs `body` in a command's `validate()`: a library's usage error becomes ArgumentParser's
/// `ValidationError`, so that it is reported with the command's usage line (exit 64).
func asValidationError<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ValidationError {
        throw error
    } catch {
        throw ValidationError("\(error)")
    }
}
