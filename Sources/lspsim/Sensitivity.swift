import ArgumentParser
import Dispatch
import Experiments
import Foundation
import PartnershipModel
import Results
import Sensitivity
import Stochastic

extension LSPSim {
    /// `lspsim sensitivity`: global sensitivity analysis of a sweep file's factors.
    ///
    /// Runs the method's design (Saltelli's for `sobol`, Morris trajectories for `morris`) over the
    /// sweep file's factors through the sweep machinery (`SweepStore.open` and `SweepRunner`, so the
    /// store is resumable and the runs parallel), takes each design point's mean over its
    /// replications, and estimates the indices with bootstrap intervals.
    ///
    /// Besides the table, it writes `DIR/sensitivity-<method>.csv` (one row per scenario, measure and
    /// factor) and `DIR/sensitivity-<method>.json`, whose fields are:
    ///
    /// - `format` ("lspsim-sensitivity"), `format_version` (1), `method` ("sobol" or "morris"),
    ///   `lspsim_version`, `gsl_version`, `created_at` (ISO 8601);
    /// - `sweep`: `name`, `file`, `seed`, `replications` (per design point), `generator`,
    ///   `scenarios` (base scenario file names);
    /// - `design`: `type` ("saltelli" or "morris"), `samples` (base samples N, or trajectories r),
    ///   `points_per_scenario` (N (D + 2), or r (D + 1)), `runs` (all runs, all scenarios), and for
    ///   morris `levels` (p) and `delta` (the step, p / (2 (p - 1)), in units of each factor's range);
    /// - `store`: the path of `results.sqlite`;
    /// - `bootstrap`: `resamples`, `confidence` (0.95), `generator`, `stream` (how it is seeded);
    /// - `factors`: in sweep-file order, each `name`, `min`, `max`, `integer`;
    /// - `measures`: the measures analysed (columns of the store's `runs` table);
    /// - `results`: one object per base scenario and measure, with `scenario`, `measure`,
    ///   `points` (design points of that scenario), `points_excluded` and `excluded_points` (1-based
    ///   point ids of the store left out because a run failed), `output_mean` (mean over the
    ///   included points of each point's mean over its replications), and `error` (null, or why no
    ///   indices could be computed, e.g. a constant output; then the numbers below are absent).
    ///   For sobol: `base_samples_used`, `base_samples_excluded`, `mean` and `variance` (of the
    ///   outputs at A and B, the variance divided by 2N), `sum_first_order`, `resamples_used`, and
    ///   `indices`: per factor in file order, `factor`, `first_order`, `first_order_low`,
    ///   `first_order_high`, `total_order`, `total_order_low`, `total_order_high`.
    ///   For morris: `effects_excluded` and `effects`: per factor in file order, `factor`, `mu`,
    ///   `mu_star`, `mu_star_low`, `mu_star_high`, `sigma`, `effects` (how many), and
    ///   `elementary_effects` (every effect, in trajectory order; output change per full range).
    ///
    /// Interval ends are null where the bootstrap could not produce them. Every number is a JSON
    /// number at full double precision.
    struct Sensitivity: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Global sensitivity analysis: Sobol indices or Morris effects of a sweep's factors.",
            discussion: """
                The sweep file's factors (all ranges) are the uncertain inputs; its design block is replaced by \
                the method's design. sobol: Saltelli's scheme on GSL's Sobol sequence, N base samples giving \
                N x (factors + 2) design points, first-order indices (Saltelli et al. 2010) and total-order \
                indices (Jansen 1999). morris: r trajectories of factors + 1 points on a p-level grid, with \
                mu, mu* and sigma of the elementary effects. Each design point's output is its mean over the \
                sweep's replications (common random numbers). Intervals are 95% percentile bootstrap intervals.

                The runs go into DIR/results.sqlite like `lspsim sweep` (default DIR: \
                outputs/<sweep file stem>-<method>/); Ctrl-C keeps finished runs and --resume continues. \
                Writes DIR/sensitivity-<method>.csv and DIR/sensitivity-<method>.json. A design point with a \
                failed run is left out of the analysis, and the output says so. Details: docs/SWEEPS.md.

                Examples:
                  lspsim sensitivity scenarios/sensitivity.yaml --method morris
                  lspsim sensitivity scenarios/sensitivity.yaml --method sobol --samples 1024
                  lspsim sensitivity scenarios/sensitivity.yaml --method sobol --resume --metric reward_grant
                """
        )

        /// The analysis methods.
        enum Method: String, CaseIterable, ExpressibleByArgument {
            case sobol, morris

            var design: DesignKind { self == .sobol ? .saltelli : .morris }
            /// N = 512 base samples, or r = 20 trajectories.
            var defaultSamples: Int { self == .sobol ? 512 : 20 }
        }

        @Argument(help: "The sweep file (YAML) whose factors, all ranges, are the uncertain inputs.")
        var sweep: String

        @Option(help: "sobol (first- and total-order indices) or morris (elementary effects).")
        var method: Method

        @Option(help: "Base samples N (sobol) or trajectories r (morris). Default: the sweep file's design samples if it is of that method's type, else 512 (sobol) or 20 (morris).")
        var samples: Int?

        @Option(help: "Grid levels p of a morris design, even (default: the file's, else 4).")
        var levels: Int?

        @Option(help: "Bootstrap resamples for the 95% intervals.")
        var bootstrap: Int = Bootstrap.defaultResamples

        @Option(name: [.short, .long], help: "Output folder (default: outputs/<sweep file stem>-<method>/).")
        var out: String?

        @Option(name: [.short, .long], help: "Worker threads (the default is the number of cores).")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Flag(help: "Continue the runs in the folder's store (runs only what is missing), then analyse.")
        var resume = false

        @Flag(help: "Delete an existing store in the folder and start again.")
        var force = false

        @Flag(name: .shortAndLong, help: "Print nothing on standard error but errors (no progress).")
        var quiet = false

        @Option(name: .long, parsing: .singleValue, help: "Measure to analyse (repeatable; default: targets_met_share, aligned_share_mean, mean_trust_final).")
        var metric: [String] = []

        @Option(help: "Output on stdout: table, csv or json.")
        var format: OutputFormat = .table

        static let defaultMetrics = ["targets_met_share", "aligned_share_mean", "mean_trust_final"]
        /// Bootstrap coverage.
        static let confidence = 0.95

        func validate() throws {
            guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
            if resume && force { throw ValidationError("--resume and --force exclude each other") }
            if let samples {
                let least = method == .sobol ? SaltelliDesign.minimumBaseSamples : MorrisDesign.minimumTrajectories
                guard samples >= least else {
                    throw ValidationError("--samples must be at least \(least) for \(method.rawValue) (\(method == .sobol ? "base samples" : "trajectories")), got \(samples)")
                }
            }
            if let levels {
                guard method == .morris else { throw ValidationError("--levels applies to --method morris only") }
                guard levels >= 2, levels % 2 == 0 else {
                    throw ValidationError("--levels must be an even number >= 2 (the step p / (2(p - 1)) is then a whole number of grid intervals), got \(levels)")
                }
            }
            guard bootstrap >= Bootstrap.minimumResamples else {
                throw ValidationError("--bootstrap must be at least \(Bootstrap.minimumResamples) resamples, got \(bootstrap)")
            }
            _ = try metricIndices(metric, valid: Analysis.measures)
        }

        func run() throws {
            let plan: SweepPlan
            do {
                plan = try SweepLoader.load(path: sweep) { file in
                    let same = file?.kind == method.design
                    let count = samples ?? (same ? file?.samples : nil) ?? method.defaultSamples
                    let grid = method == .morris ? (levels ?? (same ? file?.levels : nil) ?? MorrisDesign.defaultLevels) : nil
                    return DesignSpec(kind: method.design, samples: count, levels: grid)
                }
            } catch {
                FileHandle.standardError.write(Data((error.description + "\n").utf8))
                let missing = error.diagnostics.count == 1 && error.diagnostics[0].message == "no such file"
                throw ExitCode(missing ? ExitStatus.noInput : ExitStatus.invalidInput)
            }
            let metrics = metric.isEmpty ? Self.defaultMetrics : metric
            let measureIndices = try metricIndices(metrics, valid: Analysis.measures)
            let stem = URL(fileURLWithPath: sweep).deletingPathExtension().lastPathComponent
            let folder = out ?? "outputs/\(stem)-\(method.rawValue)"
            let directory = URL(fileURLWithPath: folder)

            let store = try runDesign(plan, directory: directory)

            // Each design point's mean over its replications; nil for a point with a failed run.
            let data = try store.loadData()
            let pointCount = plan.points.count
            var sums = [[Double]](repeating: [Double](repeating: 0, count: measureIndices.count), count: pointCount)
            var counts = [Int](repeating: 0, count: pointCount)
            var failedRuns = [Int](repeating: 0, count: pointCount)
            var firstError: [Int: String] = [:]
            for run in data.runs where run.point >= 1 && run.point <= pointCount {
                let p = run.point - 1
                guard let measures = run.measures else {
                    failedRuns[p] += 1
                    if firstError[p] == nil { firstError[p] = "replication \(run.replication): \(run.error ?? "")" }
                    continue
                }
                counts[p] += 1
                for (slot, index) in measureIndices.enumerated() { sums[p][slot] += measures[index] }
            }
            let included = (0..<pointCount).map { failedRuns[$0] == 0 && counts[$0] > 0 }
            let excluded = (0..<pointCount).filter { !included[$0] }

            let scenarios = plan.spec.scenarios.count
            let perScenario = pointCount / scenarios
            let d = plan.spec.factors.count
            let morrisDesign = method == .morris ? try DesignGenerator.morrisDesign(plan.spec) : nil
            var results: [MeasureResult] = []
            for s in 0..<scenarios {
                let block = (s * perScenario)..<((s + 1) * perScenario)
                let scenarioName = URL(fileURLWithPath: plan.spec.scenarios[s]).lastPathComponent
                for (slot, name) in metrics.enumerated() {
                    let outputs: [Double?] = block.map { p in included[p] ? sums[p][slot] / Double(counts[p]) : nil }
                    let present = outputs.compactMap { $0 }
                    let generator = try Generator(kind: plan.spec.generator)
                    generator.reseed(inputsOf: plan.spec.seed, replication: 0)
                    var result = MeasureResult(scenario: scenarioName, measure: name, points: perScenario,
                                        excludedPoints: excluded.filter(block.contains).map { $0 + 1 },
                                        outputMean: present.isEmpty ? nil : present.reduce(0, +) / Double(present.count))
                    do {
                        if let morrisDesign {
                            result.morris = try MorrisEffects.estimate(outputs: outputs, design: morrisDesign, resamples: bootstrap,
                                                                       confidence: Self.confidence, generator: generator)
                        } else {
                            result.sobol = try SobolIndices.estimate(outputs: outputs, dimensions: d, resamples: bootstrap,
                                                                     confidence: Self.confidence, generator: generator)
                        }
                    } catch {
                        result.error = error.description
                    }
                    results.append(result)
                }
            }

            let csv = csvTable(plan, results)
            let csvURL = directory.appendingPathComponent("sensitivity-\(method.rawValue).csv")
            let jsonURL = directory.appendingPathComponent("sensitivity-\(method.rawValue).json")
            let jsonText = try json(plan, results, store: SweepStore.path(directory: directory, shard: nil).path, morris: morrisDesign)
            do {
                try writeAtomically(csv.csv(), to: csvURL)
                try writeAtomically(jsonText + "\n", to: jsonURL)
            } catch {
                printError("cannot write the results into \(folder): \(error)")
                throw ExitCode(ExitStatus.cannotCreate)
            }

            var notes: [String] = []
            if !excluded.isEmpty {
                let examples = excluded.prefix(3).map { "point \($0 + 1) \(firstError[$0] ?? "has no stored run")" }
                notes.append("\(excluded.count) of \(pointCount) design points had failed runs and are left out of the analysis"
                    + (method == .sobol ? " (with the rest of their base sample)" : " (with the effects they end)")
                    + ", e.g.:\n  " + examples.joined(separator: "\n  "))
            }
            // (The table shows these itself.)
            for result in results where result.error != nil && format != .table {
                notes.append("\(result.measure)\(scenarios > 1 ? " on \(result.scenario)" : ""): no \(method == .sobol ? "indices" : "effects"): \(result.error!)")
            }
            switch format {
            case .csv:
                print(csv.csv(), terminator: "")
                for note in notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
            case .json:
                print(jsonText)
                for note in notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
            case .table:
                print(tables(plan, results, morris: morrisDesign), terminator: "")
                for note in notes { print("Note: " + note) }
                print("Wrote \(csvURL.relativePath) and \(jsonURL.lastPathComponent)")
            }
            if results.allSatisfy({ $0.error != nil }) { throw ExitCode(ExitStatus.invalidInput) }
        }

        /// One scenario's and measure's analysis.
        struct MeasureResult {
            let scenario: String, measure: String
            let points: Int
            let excludedPoints: [Int]
            let outputMean: Double?
            var sobol: SobolIndices?
            var morris: MorrisEffects?
            var error: String?
        }

        // MARK: Running

        /// Opens the store and runs every missing run, as `lspsim sweep` does.
        func runDesign(_ plan: SweepPlan, directory: URL) throws -> ResultStore {
            let store: ResultStore
            do {
                store = try SweepStore.open(plan: plan, directory: directory, shard: nil, mode: resume ? .resume : (force ? .force : .new))
            } catch {
                printError("\(error)")
                throw ExitCode(ExitStatus.cannotCreate)
            }
            let spec = plan.spec
            if !quiet {
                var line = "\(spec.name): \(method.rawValue) sensitivity of \(spec.factors.count) factors, "
                if method == .sobol {
                    line += "N = \(spec.design.samples ?? 0) base samples x (\(spec.factors.count) + 2)"
                } else {
                    line += "\(spec.design.samples ?? 0) trajectories x (\(spec.factors.count) + 1) on \(spec.design.levels ?? MorrisDesign.defaultLevels) levels"
                }
                if spec.scenarios.count > 1 { line += " x \(spec.scenarios.count) scenarios" }
                line += " = \(plan.points.count) design points x \(spec.replications) replications = \(plan.runCount) runs, seed \(spec.seed), \(jobs) jobs -> \(SweepStore.path(directory: directory, shard: nil).path)"
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
            let stop = StopRequest()
            let handlers = stopOnInterrupt(stop)
            defer { handlers.forEach { $0.cancel() } }
            let progress: SweepProgress? = quiet ? nil : ProgressBar(toTerminal: isatty(STDERR_FILENO) == 1)
            let outcome: SweepOutcome
            do {
                outcome = try SweepRunner(plan: plan, store: store, jobs: jobs).run(progress: progress, stop: stop)
            } catch {
                printError("\(error)")
                throw ExitCode(ExitStatus.cannotCreate)
            }
            if outcome.interrupted {
                printError("interrupted: \(outcome.alreadyStored + outcome.computed) of \(outcome.total) runs are stored; run the same command with --resume to finish and analyse")
                throw ExitCode(130)
            }
            if !quiet {
                let rate = outcome.seconds > 0 ? Double(outcome.computed) / outcome.seconds : 0
                FileHandle.standardError.write(Data("Stored \(outcome.computed) new runs (\(outcome.alreadyStored) were already stored) in \(String(format: "%.1f", outcome.seconds)) s, \(String(format: "%.0f", rate)) runs/s.\n".utf8))
            }
            return store
        }

        // MARK: Output

        /// The factors' ranges, in file order.
        func ranges(_ plan: SweepPlan) -> [(min: Double, max: Double, integer: Bool)] {
            plan.spec.factors.map { factor in
                if case let .range(min, max, integer, _) = factor.domain { return (min, max, integer) }
                return (.nan, .nan, false)
            }
        }

        func csvTable(_ plan: SweepPlan, _ results: [MeasureResult]) -> TextTable {
            let factors = plan.spec.factors.map(\.name), bounds = ranges(plan)
            if method == .sobol {
                var table = TextTable(header: ["scenario", "measure", "factor", "min", "max", "first_order", "first_order_low",
                                               "first_order_high", "total_order", "total_order_low", "total_order_high",
                                               "base_samples_used", "base_samples_excluded", "mean", "variance"],
                                      numeric: Set(3...14))
                for result in results {
                    guard let s = result.sobol else { continue }
                    for (i, name) in factors.enumerated() {
                        let first = s.firstOrder[i], total = s.totalOrder[i]
                        table.add([result.scenario, result.measure, name, fullNumber(bounds[i].min), fullNumber(bounds[i].max),
                                   fullNumber(first.estimate), finite(first.lower), finite(first.upper),
                                   fullNumber(total.estimate), finite(total.lower), finite(total.upper),
                                   "\(s.samplesUsed)", "\(s.samplesExcluded)", fullNumber(s.mean), fullNumber(s.variance)])
                    }
                }
                return table
            }
            var table = TextTable(header: ["scenario", "measure", "factor", "min", "max", "mu", "mu_star", "mu_star_low",
                                           "mu_star_high", "sigma", "effects", "trajectories", "levels"],
                                  numeric: Set(3...12))
            for result in results {
                guard let m = result.morris else { continue }
                for (i, name) in factors.enumerated() {
                    let input = m.inputs[i]
                    table.add([result.scenario, result.measure, name, fullNumber(bounds[i].min), fullNumber(bounds[i].max),
                               fullNumber(input.mu), fullNumber(input.muStar.estimate), finite(input.muStar.lower),
                               finite(input.muStar.upper), fullNumber(input.sigma), "\(input.effects)", "\(m.trajectories)",
                               "\(plan.spec.design.levels ?? MorrisDesign.defaultLevels)"])
                }
            }
            return table
        }

        func finite(_ value: Double) -> String { value.isFinite ? value.description : "" }

        /// A factor name cut to fit a table column.
        func cut(_ name: String) -> String { name.count <= 40 ? name : String(name.prefix(39)) + "…" }

        func interval(_ e: IntervalEstimate) -> String {
            e.lower.isFinite ? "[\(shortNumber(e.lower)), \(shortNumber(e.upper))]" : "n/a"
        }

        func tables(_ plan: SweepPlan, _ results: [MeasureResult], morris: MorrisDesign?) -> String {
            let spec = plan.spec, factors = spec.factors.map(\.name)
            var text = ""
            text += spec.name + "\n"
            if let morris {
                text += "Morris elementary effects of \(factors.count) factors: \(morris.trajectories) trajectories on \(morris.levels) levels"
                text += " (step \(shortNumber(morris.delta)) of each range),\n\(plan.points.count) design points x \(spec.replications) replications, seed \(spec.seed)."
                text += " Effects: change in the measure per full range\nof the factor; 95% bootstrap intervals for mu*; most influential (largest mu*) first.\n\n"
            } else {
                text += "Sobol indices of \(factors.count) factors on Saltelli's design: N = \(spec.design.samples ?? 0) base samples,"
                text += " \(plan.points.count) design points\nx \(spec.replications) replications, seed \(spec.seed)."
                text += " S1: first order (Saltelli et al. 2010), ST: total order (Jansen 1999),\nwith 95% bootstrap intervals; most influential (largest ST) first.\n\n"
            }
            for result in results {
                var title = result.measure
                if spec.scenarios.count > 1 { title += " on \(result.scenario)" }
                if let s = result.sobol {
                    title += ": mean \(shortNumber(s.mean)), variance \(shortNumber(s.variance)), \(s.samplesUsed) of \(s.samplesUsed + s.samplesExcluded) base samples"
                    text += title + "\n"
                    var table = TextTable(header: ["factor", "S1", "95% CI", "ST", "95% CI"], numeric: [1, 3])
                    for i in (0..<factors.count).sorted(by: { s.totalOrder[$0].estimate > s.totalOrder[$1].estimate }) {
                        table.add(["  " + cut(factors[i]), shortNumber(s.firstOrder[i].estimate), interval(s.firstOrder[i]),
                                   shortNumber(s.totalOrder[i].estimate), interval(s.totalOrder[i])])
                    }
                    text += table.text()
                    let sum = s.firstOrder.map(\.estimate).reduce(0, +)
                    text += sum < 1
                        ? "  sum of S1 = \(shortNumber(sum)): about \(String(format: "%.0f", (1 - sum) * 100))% of the variance comes from interactions between factors\n\n"
                        : "  sum of S1 = \(shortNumber(sum)): no sign of interactions (a sum above 1 is sampling error)\n\n"
                } else if let m = result.morris {
                    let used = m.inputs.map(\.effects).reduce(0, +)
                    title += ": mean \(shortNumber(result.outputMean)), \(used) of \(used + m.effectsExcluded) elementary effects"
                    text += title + "\n"
                    var table = TextTable(header: ["factor", "mu*", "95% CI of mu*", "mu", "sigma"], numeric: [1, 3, 4])
                    for i in (0..<factors.count).sorted(by: { m.inputs[$0].muStar.estimate > m.inputs[$1].muStar.estimate }) {
                        let input = m.inputs[i]
                        table.add(["  " + cut(factors[i]), shortNumber(input.muStar.estimate), interval(input.muStar),
                                   shortNumber(input.mu), shortNumber(input.sigma)])
                    }
                    text += table.text() + "\n"
                } else {
                    text += title + ": " + (result.error ?? "") + "\n\n"
                }
            }
            return text
        }

        func json(_ plan: SweepPlan, _ results: [MeasureResult], store: String, morris: MorrisDesign?) throws -> String {
            let spec = plan.spec
            func number(_ x: Double?) -> Any { x.flatMap { $0.isFinite ? $0 : nil } ?? NSNull() }
            var design: [String: Any] = ["type": spec.design.kind.rawValue, "samples": spec.design.samples ?? 0,
                                         "points_per_scenario": plan.points.count / spec.scenarios.count, "runs": plan.runCount]
            if let morris {
                design["levels"] = morris.levels
                design["delta"] = morris.delta
            }
            let factors = spec.factors.map(\.name)
            let objects: [[String: Any]] = results.map { result in
                var object: [String: Any] = [
                    "scenario": result.scenario, "measure": result.measure, "points": result.points,
                    "points_excluded": result.excludedPoints.count, "excluded_points": result.excludedPoints,
                    "output_mean": number(result.outputMean), "error": result.error as Any? ?? NSNull(),
                ]
                if let s = result.sobol {
                    object["base_samples_used"] = s.samplesUsed
                    object["base_samples_excluded"] = s.samplesExcluded
                    object["mean"] = s.mean
                    object["variance"] = s.variance
                    object["sum_first_order"] = s.firstOrder.map(\.estimate).reduce(0, +)
                    object["resamples_used"] = s.resamplesUsed
                    object["indices"] = factors.enumerated().map { i, name -> [String: Any] in
                        let first = s.firstOrder[i], total = s.totalOrder[i]
                        return ["factor": name, "first_order": first.estimate, "first_order_low": number(first.lower),
                                "first_order_high": number(first.upper), "total_order": total.estimate,
                                "total_order_low": number(total.lower), "total_order_high": number(total.upper)]
                    }
                }
                if let m = result.morris {
                    object["effects_excluded"] = m.effectsExcluded
                    object["effects"] = factors.enumerated().map { i, name -> [String: Any] in
                        let input = m.inputs[i]
                        return ["factor": name, "mu": input.mu, "mu_star": input.muStar.estimate,
                                "mu_star_low": number(input.muStar.lower), "mu_star_high": number(input.muStar.upper),
                                "sigma": input.sigma, "effects": input.effects, "elementary_effects": m.elementaryEffects[i]]
                    }
                }
                return object
            }
            let document: [String: Any] = [
                "format": "lspsim-sensitivity", "format_version": 1, "method": method.rawValue,
                "lspsim_version": LspsimVersion.current, "gsl_version": GSL.version, "created_at": Timestamp.now(),
                "sweep": ["name": spec.name, "file": spec.file, "seed": spec.seed, "replications": spec.replications,
                          "generator": spec.generator.rawValue,
                          "scenarios": spec.scenarios.map { URL(fileURLWithPath: $0).lastPathComponent }] as [String: Any],
                "design": design,
                "store": store,
                "bootstrap": ["resamples": bootstrap, "confidence": Self.confidence, "generator": spec.generator.rawValue,
                              "stream": "the input stream of replication 0 of the sweep seed, re-seeded for each scenario and measure"] as [String: Any],
                "factors": ranges(plan).enumerated().map { i, range -> [String: Any] in
                    ["name": factors[i], "min": number(range.min), "max": number(range.max), "integer": range.integer]
                },
                "measures": results.map(\.measure).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } },
                "results": objects,
            ]
            let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }
    }
}
