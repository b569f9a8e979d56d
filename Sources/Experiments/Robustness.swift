import Foundation
import Results
import Sensitivity
import Stochastic

/// Robustness of governance options across sampled worlds (docs/ROBUST.md), from a robust sweep's
/// runs: each option's outcome in each world is the mean over its replications, and the options are
/// compared world by world (the worlds are the same for every option, and so are the random numbers).
///
/// Metrics, as in the robust decision making literature (McPhail et al. 2018; the EMA Workbench's
/// robustness tutorial):
/// - **mean** and **10th percentile** over worlds (a percentile is the value below which that share
///   of worlds lies; Hyndman and Fan's type 7, GSL's and numpy's default);
/// - **regret** in a world: the best option's value there minus this option's (0 for the best), as
///   its mean, 90th percentile and maximum over worlds (minimax regret picks the smallest maximum);
/// - **satisficing**: the share of worlds where the option's mean share of targets met reaches the
///   threshold, with a 95% Wilson interval.
public struct Robustness: Sendable {
    /// The share of targets met that counts as success (as `lspsim summarize --target-share`).
    public static let defaultThreshold = 0.6
    /// Differences smaller than this are ties (floating-point noise in means of equal runs).
    public static let tieTolerance = 1e-9

    /// The options, in sweep order (`current` first).
    public let options: [String]
    /// `values[option][world]`: the option's mean share of targets met in each world.
    public let values: [[Double]]
    public let threshold: Double

    /// One option's metrics.
    public struct OptionMetrics: Sendable, Equatable {
        public let name: String
        public let mean: Double, p10: Double
        public let regretMean: Double, regretP90: Double, regretMax: Double
        /// Worlds meeting the threshold, their share and its 95% Wilson interval.
        public let satisficed: Int, satisficing: Double, satisficingLower: Double, satisficingUpper: Double
    }

    public init(options: [String], values: [[Double]], threshold: Double = Robustness.defaultThreshold) {
        precondition(options.count == values.count && !values.isEmpty && values.allSatisfy { $0.count == values[0].count && !$0.isEmpty })
        self.options = options
        self.values = values
        self.threshold = threshold
    }

    public var worldCount: Int { values[0].count }

    /// Each option's regret in each world: the best option's value there minus its own.
    public var regrets: [[Double]] {
        let best = (0..<worldCount).map { w in values.map { $0[w] }.max()! }
        return values.map { row in zip(best, row).map { max(0, $0 - $1) } }
    }

    public var metrics: [OptionMetrics] {
        let regrets = self.regrets
        return options.indices.map { o in
            let row = values[o], regret = regrets[o]
            let met = row.filter { $0 >= threshold - 1e-12 }.count
            let wilson = Analysis.wilson(successes: met, trials: row.count)
            return OptionMetrics(
                name: options[o], mean: SampleSummary(row).mean, p10: Quantiles.quantile(row, 0.1),
                regretMean: SampleSummary(regret).mean, regretP90: Quantiles.quantile(regret, 0.9), regretMax: regret.max()!,
                satisficed: met, satisficing: wilson.estimate, satisficingLower: wilson.lower, satisficingUpper: wilson.upper)
        }
    }

    /// `beats[a][b]`: the share of worlds where option a's value exceeds option b's by more than
    /// `tieTolerance`.
    public var beats: [[Double]] {
        options.indices.map { a in
            options.indices.map { b in
                Double(zip(values[a], values[b]).filter { $0 > $1 + Self.tieTolerance }.count) / Double(worldCount)
            }
        }
    }

    /// The option(s) best by each criterion, and a plain-words conclusion.
    public struct Verdict: Sendable {
        public let criterion: String
        /// The winning option(s) (several on a tie) and the winning value.
        public let winners: [String]
        public let value: Double
    }

    public var verdicts: [Verdict] {
        let m = metrics
        func best(_ criterion: String, _ key: (OptionMetrics) -> Double, larger: Bool) -> Verdict {
            let scores = m.map(key)
            let top = larger ? scores.max()! : scores.min()!
            return Verdict(criterion: criterion, winners: m.filter { abs(key($0) - top) <= 1e-12 }.map(\.name), value: top)
        }
        return [
            best("highest mean share of targets met", \.mean, larger: true),
            best("highest 10th percentile (best in the worst tenth of worlds)", \.p10, larger: true),
            best("lowest mean regret", \.regretMean, larger: false),
            best("lowest 90th-percentile regret", \.regretP90, larger: false),
            best("lowest maximum regret (minimax regret)", \.regretMax, larger: false),
            best("highest satisficing share (worlds meeting \(Self.percent(threshold)) of targets)", \.satisficing, larger: true),
        ]
    }

    /// A paragraph saying which option is most robust by which metric, and where the metrics disagree.
    public var conclusion: String {
        let verdicts = self.verdicts
        var counts: [String: Int] = [:]
        for verdict in verdicts { for winner in verdict.winners { counts[winner, default: 0] += 1 } }
        let lines = verdicts.map { verdict in
            let who = verdict.winners.map { "'\($0)'" }.joined(separator: " and ")
            return "- \(verdict.criterion): \(who) (\(Self.number(verdict.value, share: !verdict.criterion.contains("regret"))))"
        }
        var out = "Over \(worldCount) worlds:\n" + lines.joined(separator: "\n") + "\n"
        let ranked = counts.sorted { $0.value > $1.value || ($0.value == $1.value && options.firstIndex(of: $0.key)! < options.firstIndex(of: $1.key)!) }
        let lead = ranked[0].key
        let ties = verdicts.filter { $0.winners.count > 1 && $0.winners.contains(lead) }
            .map { verdict in "on the \(verdict.criterion.components(separatedBy: " (")[0]) with '\(verdict.winners.filter { $0 != lead }.joined(separator: "', '"))'" }
        let tieText = ties.isEmpty ? "" : " (tied \(ties.joined(separator: "; ")))"
        let others = verdicts.filter { !$0.winners.contains(lead) }
        if others.isEmpty {
            out += "Every metric picks '\(lead)'\(tieText): it is the most robust option here whichever way robustness is measured."
        } else {
            out += "The metrics disagree. '\(lead)' wins \(ranked[0].value) of \(verdicts.count) criteria\(tieText); "
                + others.map { "\($0.criterion) picks '\($0.winners.joined(separator: "', '"))'" }.joined(separator: "; ") + "."
            let a = options.firstIndex(of: lead)!
            let table = beats
            for rival in Set(others.flatMap(\.winners)).sorted(by: { options.firstIndex(of: $0)! < options.firstIndex(of: $1)! }) {
                let b = options.firstIndex(of: rival)!
                out += " '\(lead)' beats '\(rival)' in \(Self.percent(table[a][b])) of worlds and loses in \(Self.percent(table[b][a]))."
            }
        }
        return out
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }
    static func number(_ x: Double, share: Bool) -> String { share && x <= 1 ? String(format: "%.3f", x) : String(format: "%.4f", x) }
}

// MARK: - From a sweep's runs

/// A robust sweep's runs arranged by option and world (mean over replications).
public struct RobustData: Sendable {
    public struct Problem: Error, CustomStringConvertible, Sendable {
        public let message: String
        public var description: String { message }
    }

    /// The options, in order of first appearance in the store.
    public let options: [String]
    /// `means[measure][option][world]`: the mean over replications of each measure of
    /// `ResultStore.measureColumns`.
    public let means: [[[Double]]]
    /// Each world's label (its number; with several scenarios, `scenario: number`).
    public let worlds: [String]
    /// The uncertain inputs: names and, per world, their values (label and number).
    public let uncertainties: [String]
    public let worldValues: [[(label: String, number: Double?)]]
    /// Worlds left out because some option had no successful run in them.
    public let droppedWorlds: Int
    /// Runs per option and world (the replications), and failed runs in all.
    public let failedRuns: Int

    /// Arranges `data`, which must come from a sweep with options (factors `option` and `world`).
    public init(_ data: SweepData) throws(Problem) {
        guard let optionIndex = data.factorIndex(RobustDesign.optionFactor), let worldIndex = data.factorIndex(RobustDesign.worldFactor) else {
            throw Problem(message: "this sweep has no options and worlds (factors '\(RobustDesign.optionFactor)' and '\(RobustDesign.worldFactor)'); run a sweep file with options: and uncertainties: (docs/ROBUST.md)")
        }
        let scenarioIndex = data.factorIndex("scenario")
        let severalScenarios = scenarioIndex.map { data.levels(of: $0).count > 1 } ?? false
        let options = data.levels(of: optionIndex)
        let optionOf = Dictionary(uniqueKeysWithValues: options.enumerated().map { ($1, $0) })
        var worldKeys: [String] = [], worldOf: [String: Int] = [:], worldPoint: [Int] = []
        var pointOption: [Int] = [], pointWorld: [Int] = []
        for (p, row) in data.pointValues.enumerated() {
            let key = severalScenarios ? "\(row[scenarioIndex!]): \(row[worldIndex])" : row[worldIndex]
            if worldOf[key] == nil {
                worldOf[key] = worldKeys.count
                worldKeys.append(key)
                worldPoint.append(p)
            }
            pointOption.append(optionOf[row[optionIndex]]!)
            pointWorld.append(worldOf[key]!)
        }
        let measureCount = ResultStore.measureColumns.count
        var sums = [[[Double]]](repeating: [[Double]](repeating: [Double](repeating: 0, count: worldKeys.count), count: options.count), count: measureCount)
        var counts = [[Int]](repeating: [Int](repeating: 0, count: worldKeys.count), count: options.count)
        var failed = 0
        for run in data.runs {
            guard let measures = run.measures else { failed += 1; continue }
            let o = pointOption[run.point - 1], w = pointWorld[run.point - 1]
            counts[o][w] += 1
            for m in 0..<measureCount { sums[m][o][w] += measures[m] }
        }
        let kept = worldKeys.indices.filter { w in counts.allSatisfy { $0[w] > 0 } }
        guard !kept.isEmpty else { throw Problem(message: "no world has a successful run of every option") }
        means = sums.map { byOption in
            byOption.enumerated().map { o, byWorld in kept.map { byWorld[$0] / Double(counts[o][$0]) } }
        }
        self.options = options
        worlds = kept.map { worldKeys[$0] }
        droppedWorlds = worldKeys.count - kept.count
        failedRuns = failed

        // Uncertainties: the factors other than scenario, option and world whose value is the same
        // for every option within a world and not the same in every world.
        var uncertain: [Int] = []
        for f in data.factors.indices where f != optionIndex && f != worldIndex && f != scenarioIndex {
            var within = true
            var first: [Int: String] = [:]
            for (p, row) in data.pointValues.enumerated() {
                if let seen = first[pointWorld[p]] { if seen != row[f] { within = false; break } } else { first[pointWorld[p]] = row[f] }
            }
            if within && Set(first.values).count > 1 { uncertain.append(f) }
        }
        if severalScenarios, let scenarioIndex { uncertain.insert(scenarioIndex, at: 0) }
        uncertainties = uncertain.map { data.factors[$0] }
        worldValues = kept.map { w in uncertain.map { (data.pointValues[worldPoint[w]][$0], data.pointNumbers[worldPoint[w]][$0]) } }
    }

    /// The robustness of the options on measure `measure` (default: the share of targets met).
    public func robustness(measure: Int? = nil, threshold: Double = Robustness.defaultThreshold) -> Robustness {
        Robustness(options: options, values: means[measure ?? Analysis.shareIndex], threshold: threshold)
    }
}

// MARK: - Vulnerabilities

/// Where an option fails (PRIM over the uncertainties, one case per world).
public struct Vulnerability: Sendable {
    /// What makes a world one where the option fails.
    public enum Condition: String, Sendable, CaseIterable {
        /// It misses the threshold share of targets met.
        case misses
        /// Another option beats it by more than the tolerance (regret > tolerance).
        case beaten
        /// Either.
        case either
    }

    /// The option examined, and the condition that makes a world a case of interest.
    public let option: String
    public let condition: String
    public let result: PRIMResult
    /// The inputs as PRIM saw them.
    public let inputs: [PRIMInput]
    /// The number of worlds, and those of interest.
    public let worlds: Int, vulnerable: Int

    /// Worlds in which `option` misses the threshold, or is beaten by another option by more than
    /// `tolerance` (regret > tolerance), described by PRIM over the uncertain inputs.
    public init(_ data: RobustData, option: String, threshold: Double, tolerance: Double, condition: Condition = .either,
                options prim: PRIM.Options = PRIM.Options()) throws {
        guard let o = data.options.firstIndex(of: option) else {
            throw RobustData.Problem(message: "no option is named '\(option)'; the options are: \(data.options.map { "'\($0)'" }.joined(separator: ", "))")
        }
        guard !data.uncertainties.isEmpty else {
            throw RobustData.Problem(message: "the worlds differ in no uncertain input, so there is nothing to describe them by")
        }
        let robustness = data.robustness(threshold: threshold)
        let regret = robustness.regrets[o], share = robustness.values[o]
        let outcome = share.indices.map { w in
            let misses = share[w] < threshold - 1e-12, beaten = regret[w] > tolerance
            switch condition {
            case .misses: return misses
            case .beaten: return beaten
            case .either: return misses || beaten
            }
        }
        var inputs: [PRIMInput] = []
        for (u, name) in data.uncertainties.enumerated() {
            let numbers = data.worldValues.map { $0[u].number }
            if numbers.allSatisfy({ $0 != nil }) {
                inputs.append(.continuous(name, numbers.map { $0! }))
            } else {
                inputs.append(.categorical(name, data.worldValues.map { $0[u].label }))
            }
        }
        self.option = option
        let misses = "misses \(Robustness.percent(threshold)) of targets", beaten = "is beaten by another option by more than \(tolerance) in the share of targets met"
        switch condition {
        case .misses: self.condition = misses
        case .beaten: self.condition = beaten
        case .either: self.condition = "\(misses) or \(beaten)"
        }
        self.inputs = inputs
        worlds = outcome.count
        vulnerable = outcome.filter { $0 }.count
        result = try PRIM(inputs: inputs, outcome: outcome, options: prim).run()
    }

    /// The box's limits in words: "model.returns at most 0.52 and model.synergy at least 0.61".
    public var limits: [String] {
        let box = result.box
        return box.restrictedDimensions.map { d in
            let name = result.dimensions[d].name
            if let kept = result.categories(of: box, dimension: d) { return "\(name) is " + kept.joined(separator: " or ") }
            guard case let .continuous(values) = inputs[d].values else { return name }
            let inside = box.members.map { values[$0] }
            let sides = Set(box.restrictedSides.filter { $0.dimension == d }.map(\.side))
            let low = Self.format(inside.min()!), high = Self.format(inside.max()!)
            if sides.contains(.lower) && sides.contains(.upper) { return "\(name) is between \(low) and \(high)" }
            return sides.contains(.lower) ? "\(name) is at least \(low)" : "\(name) is at most \(high)"
        }
    }

    /// The finding in plain words.
    public var sentence: String {
        let base = Robustness.percent(result.baseDensity), box = result.box
        let limits = self.limits
        guard !limits.isEmpty else {
            return "'\(option)' \(condition) in \(vulnerable) of \(worlds) worlds (\(base)); no range of the uncertainties concentrates them."
        }
        let joined = limits.count == 1 ? limits[0] : limits.dropLast().joined(separator: ", ") + " and " + limits.last!
        return "'\(option)' \(condition) in \(vulnerable) of \(worlds) worlds (\(base)). Where \(joined), it does so in "
            + "\(Robustness.percent(box.density)) of worlds; these worlds hold \(Robustness.percent(box.coverage)) of its vulnerable worlds "
            + "and \(Robustness.percent(box.mass)) of all worlds."
    }

    static func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e6 ? String(Int(x)) : String(format: "%.3g", x)
    }
}
