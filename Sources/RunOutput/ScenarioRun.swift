import Foundation
import PartnershipModel
import ScenarioFile
import Stochastic

/// `lspsim run`: replications of one scenario, written atomically to a folder.
public enum ScenarioRun {
    /// Why a run produced no results.
    public enum Failure: Error, CustomStringConvertible, Sendable {
        /// The scenario file is not valid.
        case invalidScenario(ScenarioFileError)
        /// Some replications' drawn inputs were out of range; nothing was written.
        case replicationsFailed([ReplicationFailure], of: Int)
        /// The output could not be written; earlier files are untouched.
        case output(AtomicFiles.WriteError)
        /// GSL could not provide a generator.
        case gsl(GSLError)

        public var description: String {
            switch self {
            case let .invalidScenario(error): return error.description
            case let .replicationsFailed(failures, total):
                var text = "\(failures.count) of \(total) replications failed; no output files were written:\n"
                text += failures.prefix(10).map { "  \($0)" }.joined(separator: "\n")
                if failures.count > 10 { text += "\n  ... and \(failures.count - 10) more" }
                return text
            case let .output(error): return error.description
            case let .gsl(error): return error.description
            }
        }
    }

    /// The outcome of a successful run.
    public struct Outcome: Sendable {
        public let directory: URL
        public let manifest: Manifest
        public let statistics: RunStatistics
        public let scenario: Scenario
    }

    /// Runs `scenarioPath` and writes summary.csv, indicators.csv, quarters.csv and manifest.json
    /// into `directory`, all renamed into place together at the end.
    /// `loading`, where given, reads the scenario instead of `ScenarioLoader.load(path:)` (e.g. with
    /// fields drawn from a calibration's posterior, which it returns for the manifest); it throws
    /// `ScenarioFileError`s.
    public static func execute(scenarioPath: String, settings: RunSettings, directory: URL, commandLine: [String],
                               loading: ((String) throws -> (ScenarioTemplate, Manifest.PosteriorRecord?))? = nil) throws(Failure) -> Outcome {
        let started = Date()
        let template: ScenarioTemplate
        var posterior: Manifest.PosteriorRecord?
        do {
            if let loading {
                (template, posterior) = try loading(scenarioPath)
            } else {
                template = try ScenarioLoader.load(path: scenarioPath)
            }
        } catch let error as ScenarioFileError {
            throw .invalidScenario(error)
        } catch {
            throw .invalidScenario(ScenarioFileError(diagnostics: [Diagnostic(file: scenarioPath, line: nil, column: nil, path: "", message: "\(error)")]))
        }
        let runner: ReplicationRunner
        do {
            runner = try ReplicationRunner(template: template, settings: settings)
        } catch {
            throw .gsl(error)
        }
        let files: AtomicFiles
        do {
            files = try AtomicFiles(directory: directory)
            for name in RunTables.fileNames { try files.open(name) }
            try files.open("manifest.json")
            var header = CSVBuffer()
            header.header(RunTables.summaryColumns)
            try files.write("summary.csv", header.bytes)
            header.removeAll()
            header.header(RunTables.indicatorColumns)
            try files.write("indicators.csv", header.bytes)
            header.removeAll()
            header.header(RunTables.quarterColumns)
            try files.write("quarters.csv", header.bytes)
        } catch {
            throw .output(error)
        }

        var collected: [ReplicationRecord] = []
        collected.reserveCapacity(settings.replications)
        var failures: [ReplicationFailure]
        do {
            failures = try runner.run { record throws(AtomicFiles.WriteError) in
                try files.write("summary.csv", record.summaryRow)
                try files.write("indicators.csv", record.indicatorRows)
                try files.write("quarters.csv", record.quarterRows)
                // Keep what the statistics need, not the formatted rows.
                collected.append(ReplicationRecord(
                    replication: record.replication, summary: record.summary, finalValues: record.finalValues,
                    targetMet: record.targetMet, summaryRow: [], indicatorRows: [], quarterRows: []))
            }
        } catch let error as AtomicFiles.WriteError {
            files.abandon()
            throw .output(error)
        } catch {
            files.abandon()
            throw .output(AtomicFiles.WriteError(path: directory.path, reason: "\(error)"))
        }
        guard failures.isEmpty else {
            files.abandon()
            throw .replicationsFailed(failures, of: settings.replications)
        }

        let data = (try? Data(contentsOf: URL(fileURLWithPath: scenarioPath))) ?? Data()
        let manifest = Manifest(
            scenarioFile: scenarioPath, scenarioSHA256: FileHash.sha256(data),
            scenarioName: template.scenario.name, modelVersion: template.scenario.model.version.rawValue,
            seed: settings.seed, replications: settings.replications,
            generator: settings.generator.rawValue, jobs: settings.jobs, commandLine: commandLine,
            startedAt: Timestamp.string(started), finishedAt: Timestamp.now(),
            files: RunTables.fileNames + ["manifest.json"], posterior: posterior)
        do {
            try files.write("manifest.json", manifest.json())
            try files.commit()
        } catch {
            files.abandon()
            throw .output(error)
        }
        let statistics = RunStatistics(scenario: template.scenario, records: collected)
        return Outcome(directory: directory, manifest: manifest, statistics: statistics, scenario: template.scenario)
    }
}
