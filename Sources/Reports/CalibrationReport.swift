import Calibration
import Charts
import Experiments
import Foundation

/// The files of an `lspsim calibrate` folder, loaded for a report: calibration.json (generations,
/// posterior summary, settings), predictive.csv (the posterior predictive check) and the scenario
/// file for the indicators' names and units.
struct CalibrationFolder {
    static let required = [CalibrationResultFile.fileName, Posterior.fileName]

    let directory: URL
    let result: CalibrationResultFile
    let predictive: PredictiveCheck?
    let scenario: ScenarioInfo?
    /// Things the reader should know: a missing predictive check, an unreadable scenario.
    let notes: [String]

    init(directory: URL) throws(ReportError) {
        self.directory = directory
        do {
            result = try CalibrationResultFile.load(directory: directory)
        } catch {
            throw .unreadable(file: error.diagnostics.first?.file ?? directory.path, reason: error.diagnostics.first?.message ?? "\(error)")
        }
        var notes: [String] = []
        if FileManager.default.fileExists(atPath: directory.appendingPathComponent(PredictiveCheck.fileName).path) {
            do {
                predictive = try PredictiveCheck.load(directory: directory)
            } catch {
                throw .unreadable(file: error.diagnostics.first?.file ?? directory.path, reason: error.diagnostics.first.map { d in (d.line.map { "line \($0): " } ?? "") + d.message } ?? "\(error)")
            }
        } else {
            predictive = nil
            notes.append("this folder has no \(PredictiveCheck.fileName) (the calibration file set abc.predictive: 0), so there is no posterior predictive check")
        }
        let named = result.scenarioFile
        var candidates = [named]
        if !named.hasPrefix("/") {
            candidates.append(directory.appendingPathComponent(named).path)
            candidates.append(directory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(named).path)
        }
        let (scenario, note) = ScenarioInfo.load(candidates: candidates, named: named)
        self.scenario = scenario
        if scenario == nil, let note {
            notes.append(note.components(separatedBy: ", so ").first! + ", so indicators are shown by their ids")
        }
        self.notes = notes
    }
}

/// The report of an `lspsim calibrate` folder.
enum CalibrationReport {
    static func html(_ folder: CalibrationFolder) -> String {
        let result = folder.result
        var body: [Element] = []
        let last = result.generations.last
        let facts: [(String, String)] = [
            ("Calibration file", result.calibrationFile),
            ("Scenario file", result.scenarioFile),
            ("Observations", "\(result.observedCells) values (\(result.observationsFile))"),
            ("Population", "\(result.settings.population) particles"),
            ("Generations", "\(result.generations.count) (stopped: \(result.stopReason))"),
            ("Replications per particle", "\(result.settings.replications)"),
            ("Seed", "\(result.settings.seed)"),
            ("Generator", result.settings.generator),
            ("lspsim version", result.lspsim),
        ]
        let p = result.parameters.count
        body.append(HTML.element("header", ["class": "report"], elements: [
            HTML.text("p", ["class": "kicker"], "lspsim \u{00B7} calibration report"),
            HTML.text("h1", result.name),
            HTML.paragraph("Calibration of \(Format.count(p, "scenario field")) to \(result.observedCells) observed indicator values by approximate Bayesian computation (ABC-SMC): which values of the fields are consistent with the data, how the sampler converged, and whether the calibrated model reproduces the data.", class: "lead"),
            HTML.facts(facts),
        ]))
        for note in folder.notes { body.append(HTML.notice(note.capitalisedFirst + ".")) }

        // Headline figures.
        var tiles: [Element] = []
        if let check = folder.predictive, check.coverage.observed > 0 {
            let c = check.coverage
            tiles.append(HTML.tile(label: "Observed values inside the 90% predictive band", value: Format.percent(check.coverageShare),
                                   note: "\(c.covered) of \(c.observed); about 90% expected"))
        }
        let unidentified = result.parameters.filter(\.notIdentified)
        tiles.append(HTML.tile(label: "Fields identified by the data", value: "\(p - unidentified.count) of \(p)",
                               note: "posterior sd at most \(Format.percent(CalibrationResultFile.identificationLimit)) of the prior's"))
        if let last {
            tiles.append(HTML.tile(label: "Final tolerance (distance)", value: last.tolerance.map { Format.number($0) } ?? "\u{221E}",
                                   note: "generation \(last.generation); acceptance \(Format.percent(last.acceptanceRate, decimals: 1))"))
            tiles.append(HTML.tile(label: "Effective sample size", value: Format.number(last.ess, digits: 3),
                                   note: "of \(result.settings.population) particles in the last generation"))
        }
        body.append(HTML.element("div", ["class": "tiles"], elements: tiles))

        // The posterior.
        let rows = result.parameters.map { parameter in
            [parameter.path, Format.number(parameter.mean, digits: 4), Format.number(parameter.sd, digits: 3), Format.number(parameter.median, digits: 4),
             Format.interval(Format.number(parameter.p05, digits: 4), Format.number(parameter.p95, digits: 4)),
             parameter.prior, Format.number(parameter.priorSD, digits: 3), Format.number(parameter.sdRatio, digits: 2),
             parameter.notIdentified ? "not identified" : "identified"]
        }
        var posterior: [Element] = [
            HTML.paragraph("The posterior is a weighted sample of \(result.settings.population) parameter vectors (particles) consistent with the data, given the priors. Mean, sd, median and the 90% credible interval (weighted 5% and 95% quantiles) summarise each field; the last columns compare its spread with the prior's. A posterior about as wide as its prior (sd ratio above \(Format.number(CalibrationResultFile.identificationLimit))) means the data say little about the field: it is flagged as not identified."),
            HTML.table(header: ["Field", "Mean", "SD", "Median", "90% credible interval", "Prior", "Prior SD", "SD ratio", "Identified"],
                       rows: rows, numeric: [1, 2, 3, 4, 6, 7], caption: "Posterior of the calibrated fields (last generation)"),
        ]
        if !unidentified.isEmpty {
            posterior.append(HTML.notice("Not identified by these data: \(unidentified.map(\.path).joined(separator: ", ")). Their posterior is close to their prior; fix them from other evidence, or add observations that they move."))
        }
        if p > 1 {
            let names = result.parameters.map(\.path)
            let matrix = result.correlations.enumerated().map { i, row in [names[i]] + row.map { $0.isNaN ? "\u{2013}" : String(format: "%+.2f", $0) } }
            posterior.append(HTML.table(header: ["Weighted correlation"] + names.indices.map { "\($0 + 1)" }, rows: matrix.enumerated().map { i, row in
                ["\(i + 1). " + row[0]] + row.dropFirst()
            }, numeric: Set(1...p), caption: "Posterior correlations (columns in the order of the rows)"))
            var strong: [String] = []
            for i in 0..<p { for j in (i + 1)..<p where abs(result.correlations[i][j]) > 0.7 {
                strong.append("\(names[i]) and \(names[j]) (\(String(format: "%+.2f", result.correlations[i][j])))")
            } }
            posterior.append(HTML.paragraph(strong.isEmpty
                ? "No two fields are strongly correlated (|r| > 0.7): the data inform each field, not only a combination of them."
                : "Strongly correlated: \(strong.joined(separator: "; ")). The data pin down a combination of these fields rather than each alone."))
        }
        body.append(HTML.section("Posterior of the calibrated fields", id: "posterior", posterior))

        // Diagnostics per generation.
        let generationRows = result.generations.map { g in
            ["\(g.generation)", g.tolerance.map { Format.number($0, digits: 4) } ?? "\u{221E} (prior)", Format.percent(g.acceptanceRate, decimals: 1),
             "\(g.simulations)", Format.number(g.ess, digits: 4)]
        }
        body.append(HTML.section("How the sampler converged", id: "generations", [
            HTML.paragraph("Each generation accepts particles whose distance to the data is within its tolerance. The tolerance should fall from generation to generation; the acceptance rate falls with it (a generation costs population / acceptance simulations), and an effective sample size (ESS) well below the population means a few particles carry the posterior."),
            HTML.table(header: ["Generation", "Tolerance", "Acceptance", "Simulations", "ESS"], rows: generationRows, numeric: [1, 2, 3, 4],
                       caption: "Generations (stopped: \(result.stopReason))"),
        ]))

        // The predictive check.
        if let check = folder.predictive {
            let replications = result.predictive.map { "\($0.replications) replications (run seed \($0.seed)), each drawing one particle of the posterior by weight" }
                ?? "replications drawing from the posterior"
            body.append(PredictiveSection.section(check, sample: replications) { id in folder.scenario?.indicators.first { $0.id == id } })
        }
        var footer = "Written by lspsim report from \(folder.directory.lastPathComponent)/ (calibration.json, predictive.csv)"
        if let scenario = folder.scenario { footer += " and \(scenario.path)" }
        footer += ". `lspsim calibrate \(result.calibrationFile)` reproduces these figures; the predictive bands are those of `lspsim run \(result.scenarioFile) --posterior \(folder.directory.relativePath) --seed \(result.settings.seed) -r \(result.predictive?.replications ?? 0)`."
        body.append(HTML.element("footer", elements: [HTML.paragraph(footer)]))
        return HTML.document(title: "\(result.name): lspsim calibration report", body: body)
    }
}
