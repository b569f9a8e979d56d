import ArgumentParser
import Experiments
import Foundation
import Results

extension LSPSim {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a sweep's runs and per-point aggregates as tidy CSV files.",
            discussion: """
                Writes into DIR/export/: runs.csv (one row per run: point, replication, seed, status, error, each \
                factor's value, every measure), points.csv (one row per design point and measure: n, mean, sd, \
                95% CI, quantiles), and, where the sweep kept them, indicator_series.csv and quarter_series.csv.

                Example:
                  lspsim export outputs/governance-options
                """
        )

        @Argument(help: "The sweep folder (or its results.sqlite).")
        var directory: String

        @Option(help: "Format (csv is the only one).")
        var format: String = "csv"

        @Option(name: [.short, .long], help: "Folder to write into (default: DIR/export).")
        var out: String?

        func validate() throws {
            guard format == "csv" else { throw ValidationError("--format must be csv, got '\(format)'") }
        }

        func run() throws {
            let (store, folder) = try SweepStore.openForReading(directory)
            let target = out.map { URL(fileURLWithPath: $0) } ?? folder.appendingPathComponent("export")
            let written = try CSVExport.write(store: store, to: target)
            for file in written { print("Wrote \(file.path)") }
        }
    }
}
