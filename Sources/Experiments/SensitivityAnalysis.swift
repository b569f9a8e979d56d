import Foundation
import PartnershipModel
import Results
import ScenarioFile
import Sensitivity
import Stochastic

/// The methods of `lspsim sensitivity`.
public enum SensitivityMethod: String, CaseIterable, Sendable {
    case sobol, morris

    public var design: DesignKind { self == .sobol ? .saltelli : .morris }
    /// N = 512 base samples, or r = 20 trajectories.
    public var defaultSamples: Int { self == .sobol ? 512 : 20 }
    /// The least number of base samples (sobol) or trajectories (morris).
    public var minimumSamples: Int { self == .sobol ? SaltelliDesign.minimumBaseSamples : MorrisDesign.minimumTrajectories }
    /// "base samples" or "trajectories".
    public var samplesName: String { self == .sobol ? "base samples" : "trajectories" }

    /// Reads the sweep file at `path` with this method's design in place of the file's own:
    /// `samples` (else the file's if its design is of this method's type, else the default) and,
    /// for morris, `levels` (likewise, else `MorrisDesign.defaultLevels`).
    public func loadPlan(path: String, samples: Int?, levels: Int?) throws(ScenarioFileError) -> SweepPlan {
        try SweepLoader.load(path: path) { file in
            let same = file?.kind == design
            let count = samples ?? (same ? file?.samples : nil) ?? defaultSamples
            let grid = self == .morris ? (levels ?? (same ? file?.levels : nil) ?? MorrisDesign.defaultLevels) : nil
            return DesignSpec(kind: design, samples: count, levels: grid)
        }
    }
}

/// `lspsim sensitivity`'s analysis of a sweep store: each design point's mean over its
/// replications, then Sobol indices or Morris effects per base scenario and measure, with
/// bootstrap intervals; and its outputs (table text, CSV, and `SensitivityFile`).
public struct SensitivityAnalysis {
    /// Bootstrap coverage.
    public static let confidence = 0.95
    /// The measures analysed when none are named.
    public static let defaultMetrics = [RunMeasure.targetsMetShare, .alignedShareMean, .meanTrustFinal].map(\.name)

    /// One scenario's and measure's analysis.
    public struct MeasureResult: Sendable {
        public let scenario: String, measure: String
        public let points: Int
        /// 1-based point ids of the store left out because a run failed.
        public let excludedPoints: [Int]
        public let outputMean: Double?
        public var sobol: SobolIndices?
        public var morris: MorrisEffects?
        public var error: String?
    }

    public let plan: SweepPlan
    public let method: SensitivityMethod
    public let bootstrap: Int
    public let morrisDesign: MorrisDesign?
    public let results: [MeasureResult]
    /// 0-based design points left out, and the first failure of each.
    public let excluded: [Int]
    public let firstError: [Int: String]
    /// The store's path, as recorded in the JSON file.
    public let storePath: String

    /// Analyses `metrics` (store measure names; empty: `defaultMetrics`) of `plan`'s runs in `store`.
    ///
    /// The bootstrap of each scenario and measure is seeded from the input stream of replication
    /// 0 of the sweep seed. A design point with a failed run is left out.
    public init(plan: SweepPlan, store: ResultStore, storePath: String, method: SensitivityMethod, metrics: [String],
                bootstrap: Int) throws {
        let metrics = metrics.isEmpty ? Self.defaultMetrics : metrics
        let measureIndices = try Analysis.measureIndices(metrics)
        self.plan = plan
        self.method = method
        self.bootstrap = bootstrap
        self.storePath = storePath

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
        self.morrisDesign = morrisDesign
        self.results = results
        self.excluded = excluded
        self.firstError = firstError
    }

    /// Whether no scenario and measure gave indices or effects.
    public var allFailed: Bool { results.allSatisfy { $0.error != nil } }

    /// What the user should know besides the numbers: left-out design points and, unless the
    /// table (which shows them) is printed, measures without indices.
    public func notes(includingErrors: Bool) -> [String] {
        var notes: [String] = []
        if !excluded.isEmpty {
            let examples = excluded.prefix(3).map { "point \($0 + 1) \(firstError[$0] ?? "has no stored run")" }
            notes.append("\(excluded.count) of \(plan.points.count) design points had failed runs and are left out of the analysis"
                + (method == .sobol ? " (with the rest of their base sample)" : " (with the effects they end)")
                + ", e.g.:\n  " + examples.joined(separator: "\n  "))
        }
        if includingErrors {
            for result in results where result.error != nil {
                notes.append("\(result.measure)\(plan.spec.scenarios.count > 1 ? " on \(result.scenario)" : ""): no \(method == .sobol ? "indices" : "effects"): \(result.error!)")
            }
        }
        return notes
    }

    /// Writes `sensitivity-<method>.csv` and `.json` into `directory`; returns their URLs and the
    /// JSON text written (without the final newline).
    public func write(into directory: URL) throws -> (csv: URL, json: URL, jsonText: String) {
        let csvURL = directory.appendingPathComponent("sensitivity-\(method.rawValue).csv")
        let jsonURL = directory.appendingPathComponent("sensitivity-\(method.rawValue).json")
        let text = try json()
        try ClassifiedError.classifying(.cannotCreate, "cannot write the results into \(directory.path)") {
            try writeAtomically(csvTable().csv(), to: csvURL)
            try writeAtomically(text + "\n", to: jsonURL)
        }
        return (csvURL, jsonURL, text)
    }

    // MARK: Output

    /// The factors' ranges, in file order.
    var ranges: [(min: Double, max: Double, integer: Bool)] {
        plan.spec.factors.map { factor in
            if case let .range(min, max, integer, _) = factor.domain { return (min, max, integer) }
            return (.nan, .nan, false)
        }
    }

    public func csvTable() -> TextTable {
        let factors = plan.spec.factors.map(\.name), bounds = ranges
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

    public func text() -> String {
        let spec = plan.spec, factors = spec.factors.map(\.name)
        var text = ""
        text += spec.name + "\n"
        if let morris = morrisDesign {
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

    /// The JSON file (`SensitivityFile`).
    public var file: SensitivityFile {
        let spec = plan.spec
        let factors = spec.factors.map(\.name)
        let objects: [SensitivityFile.Result] = results.map { result in
            var object = SensitivityFile.Result(scenario: result.scenario, measure: result.measure, points: result.points,
                                                pointsExcluded: result.excludedPoints.count, excludedPoints: result.excludedPoints,
                                                outputMean: finiteOrNil(result.outputMean), error: result.error)
            if let s = result.sobol {
                object.baseSamplesUsed = s.samplesUsed
                object.baseSamplesExcluded = s.samplesExcluded
                object.mean = s.mean
                object.variance = s.variance
                object.sumFirstOrder = s.firstOrder.map(\.estimate).reduce(0, +)
                object.resamplesUsed = s.resamplesUsed
                object.indices = factors.enumerated().map { i, name in
                    let first = s.firstOrder[i], total = s.totalOrder[i]
                    return .init(factor: name, firstOrder: first.estimate, firstOrderLow: finiteOrNil(first.lower),
                                 firstOrderHigh: finiteOrNil(first.upper), totalOrder: total.estimate,
                                 totalOrderLow: finiteOrNil(total.lower), totalOrderHigh: finiteOrNil(total.upper))
                }
            }
            if let m = result.morris {
                object.effectsExcluded = m.effectsExcluded
                object.effects = factors.enumerated().map { i, name in
                    let input = m.inputs[i]
                    return .init(factor: name, mu: input.mu, muStar: input.muStar.estimate, muStarLow: finiteOrNil(input.muStar.lower),
                                 muStarHigh: finiteOrNil(input.muStar.upper), sigma: input.sigma, effects: input.effects,
                                 elementaryEffects: m.elementaryEffects[i])
                }
            }
            return object
        }
        return SensitivityFile(
            format: SensitivityFile.formatName, formatVersion: SensitivityFile.formatVersion, method: method.rawValue,
            lspsimVersion: LspsimVersion.current, gslVersion: GSL.version, createdAt: Timestamp.now(),
            sweep: .init(name: spec.name, file: spec.file, seed: spec.seed, replications: spec.replications,
                         generator: spec.generator.rawValue,
                         scenarios: spec.scenarios.map { URL(fileURLWithPath: $0).lastPathComponent }),
            design: .init(type: spec.design.kind.rawValue, samples: spec.design.samples ?? 0,
                          pointsPerScenario: plan.points.count / spec.scenarios.count, runs: plan.runCount,
                          levels: morrisDesign?.levels, delta: morrisDesign?.delta),
            store: storePath,
            bootstrap: .init(resamples: bootstrap, confidence: Self.confidence, generator: spec.generator.rawValue,
                             stream: "the input stream of replication 0 of the sweep seed, re-seeded for each scenario and measure"),
            factors: ranges.enumerated().map { i, range in
                .init(name: factors[i], min: finiteOrNil(range.min), max: finiteOrNil(range.max), integer: range.integer)
            },
            measures: results.map(\.measure).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } },
            results: objects)
    }

    /// The JSON file's text (pretty-printed, keys sorted, no final newline).
    public func json() throws -> String { try JSONFile.text(file) }
}
