import ArgumentParser
import Foundation
import Reports

extension LSPSim {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a self-contained HTML report (charts included) of a run, sweep or calibration folder.",
            discussion: """
                Writes DIR/report.html: one file with its charts (SVG) and styles inline, no scripts and no \
                links, so that it opens offline in any browser and prints on A4.

                For a run folder (lspsim run): what was run, how many LAA targets are met, each target's \
                trajectory (median and 5-95% band) against its baseline and the straight line to its target, \
                and aligned spend and trust over the quarters. Baselines, targets and which indicators are \
                LAA targets come from the scenario file named in manifest.json.

                For a sweep folder (lspsim sweep): targets met under each option of each factor, paired \
                differences with 95% intervals against each factor's first value, trajectories per option \
                where the sweep kept series, and the results of lspsim sensitivity and lspsim discover where \
                their files are in the folder.

                For a calibration folder (lspsim calibrate): the posterior of each calibrated field beside its \
                prior, flagged "not identified" where the data say little about it, the correlations, each \
                generation's tolerance, acceptance and ESS, and the posterior predictive check: per observed \
                indicator its 90% predictive band with the observed values, and the share of them inside the \
                band. A run made with --posterior DIR gets the same check when DIR holds observations.csv.

                Examples:
                  lspsim report outputs/unitary
                  lspsim report outputs/governance-options
                  lspsim report outputs/calibration-example
                  lspsim run scenarios/unitary.yaml --report
                """
        )

        @Argument(help: "The output folder of `lspsim run`, `lspsim sweep` or `lspsim calibrate`.")
        var directory: String

        @Option(help: "For a sweep with kept series: the factor whose options the indicator trajectories compare.")
        var by: String?

        @OptionGroup var quiet: QuietOption

        func run() throws {
            try writeReport(directory: directory, options: Reports.Options(trajectoryFactor: by), quiet: quiet.quiet)
        }
    }
}

/// Writes DIR/report.html, printing where (unless quiet); a `ReportError` says what failed.
func writeReport(directory: String, options: Reports.Options = Reports.Options(), quiet: Bool) throws {
    let url = try Reports.write(directory: URL(fileURLWithPath: directory), options: options)
    if !quiet { print("Wrote \(directory.hasSuffix("/") ? directory : directory + "/")\(url.lastPathComponent)") }
}
