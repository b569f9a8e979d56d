import Foundation
import PartnershipModel
import Results
import Sensitivity

/// Scenario discovery over a sweep's runs (`lspsim discover`): which ranges of the factors make
/// a condition on a run measure likely (PRIM, Friedman and Fisher 1999).
public enum Discovery {
    /// Runs PRIM on the sweep's successful runs for `condition`; `step` chooses a step of the
    /// peeling trajectory instead of the default choice.
    ///
    /// Throws `invalidInput` when there is nothing to discover (no successful run, no varied factor,
    /// no run or every run meeting the condition) and `usage` for a `step` beyond the trajectory.
    public static func discover(_ data: SweepData, sweepName: String, condition: DiscoveryCondition,
                                options: PRIM.Options, step: Int?) throws(ClassifiedError) -> DiscoveryReport {
        let cases = try DiscoveryCases(data, condition: condition)
        let result: PRIMResult
        do {
            result = try PRIM(inputs: cases.inputs, outcome: cases.outcome, options: options).run(step: step)
        } catch .noCasesOfInterest, .allCasesOfInterest {
            throw ClassifiedError(.invalidInput, cases.degenerateMessage(condition))
        } catch {
            if case .stepOutOfRange = error { throw ClassifiedError(.usage, "--box: \(error.description)") }
            throw ClassifiedError(.invalidInput, error.description)
        }
        return DiscoveryReport(result: result, cases: cases, condition: condition, options: options, sweepName: sweepName)
    }
}

// MARK: - The condition

/// A condition on one run measure: `MEASURE OPERATOR NUMBER`, e.g. `targets_met_share >= 0.6`.
public struct DiscoveryCondition: Equatable, Sendable {
    public enum Operator: String, CaseIterable, Sendable {
        case atLeast = ">=", above = ">", atMost = "<=", below = "<", equal = "=="
    }

    public let measure: String
    /// The measure's index in `ResultStore.measureColumns`.
    public let index: Int
    public let comparison: Operator
    public let value: Double
    /// The number as written.
    public let valueText: String

    /// Comparisons allow 1e-9 so that 0.6 matches a share of 6/10 computed in floating point.
    public static let tolerance = 1e-9

    public static let example = "\"targets_met_share >= 0.6\""

    /// Parses `text`; throws a usage error that says what is wrong and what is valid.
    public init(parsing text: String) throws(ClassifiedError) {
        let valid = ResultStore.measureColumns.joined(separator: ", ")
        let operators = Operator.allCases.map(\.rawValue).joined(separator: ", ")
        // Two-character operators first, so that ">=" is not read as ">".
        let ordered: [Operator] = [.atLeast, .atMost, .equal, .above, .below]
        guard let (op, range) = ordered.lazy.compactMap({ op in text.range(of: op.rawValue).map { (op, $0) } }).first else {
            throw ClassifiedError(.usage, "cannot read the condition '\(text)': expected MEASURE OPERATOR NUMBER, e.g. \(Self.example); operators: \(operators); measures: \(valid)")
        }
        let name = text[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
        let number = text[range.upperBound...].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else {
            throw ClassifiedError(.usage, "the condition '\(text)' names no measure before '\(op.rawValue)'; valid measures: \(valid)")
        }
        guard let index = ResultStore.measureColumns.firstIndex(of: name) else {
            throw ClassifiedError(.usage, "unknown measure '\(name)' in the condition '\(text)'; valid measures: \(valid)")
        }
        guard let value = Double(number), value.isFinite else {
            throw ClassifiedError(.usage, "'\(number)' is not a number in the condition '\(text)'; expected MEASURE OPERATOR NUMBER, e.g. \(Self.example)")
        }
        measure = name
        self.index = index
        comparison = op
        self.value = value
        valueText = number
    }

    public func holds(_ x: Double) -> Bool {
        switch comparison {
        case .atLeast: x >= value - Self.tolerance
        case .above: x > value + Self.tolerance
        case .atMost: x <= value + Self.tolerance
        case .below: x < value - Self.tolerance
        case .equal: abs(x - value) <= Self.tolerance
        }
    }

    public var text: String { "\(measure) \(comparison.rawValue) \(valueText)" }

    /// What the runs that meet the condition do, after "82% of runs ...".
    /// "have mean trust at the end of less than 0.2": the measure's label and unit come from
    /// `RunMeasure`'s catalogue.
    public var phrase: String {
        let words: [Operator: String] = [.atLeast: "at least", .above: "more than", .atMost: "at most", .below: "less than", .equal: "exactly"]
        let quantity = words[comparison]!
        switch measure {
        case RunMeasure.targetsMetShare.name: return "meet \(quantity) \(percent(value)) of their targets"
        case RunMeasure.targetsMet.name: return "meet \(quantity) \(shortNumber(value)) of their targets"
        default:
            guard let run = RunMeasure.named(measure) else { return "have \(measure) of \(quantity) \(shortNumber(value))" }
            // A unit of money follows the number ("3 GBP m"); a scale such as "0-1" does not.
            let unit = run.unit.flatMap { $0.first?.isLetter == true ? " " + $0 : nil } ?? ""
            let amount = run.isShare ? percent(value) : shortNumber(value) + unit
            return "have \(run.label) of \(quantity) \(amount)"
        }
    }
}

/// A share as a percentage with up to 3 significant digits ("64%", "4.12%").
private func percent(_ share: Double) -> String {
    let value = share * 100
    if value != 0 && abs(value) < 1 { return String(format: "%.2g%%", value) }
    if value == value.rounded() { return String(format: "%.0f%%", value) }
    return String(format: "%.3g%%", value)
}

// MARK: - The cases

/// The sweep's successful runs as PRIM cases.
public struct DiscoveryCases {
    /// The factors used, in the sweep's order.
    public var factors: [String] = []
    /// Whether each used factor is numeric (a range) and whether its values are shares shown as
    /// percentages (its name ends in `fraction` or `share` and every value lies in [0, 1]).
    public var numeric: [Bool] = [], percentage: [Bool] = []
    /// Readable names ("pooled fraction", "police openness").
    public var readable: [String] = []
    public var inputs: [PRIMInput] = []
    public var outcome: [Bool] = []
    /// The condition's measure for each case (for messages).
    public var measureValues: [Double] = []
    public var totalRuns = 0, failedRuns = 0, points = 0
    /// What was left out (failed runs, constant factors), for the user.
    public var notes: [String] = []

    /// Throws an `invalidInput` error when no run succeeded or no factor varies.
    public init(_ data: SweepData, condition: DiscoveryCondition) throws(ClassifiedError) {
        totalRuns = data.runs.count
        let ok = data.runs.filter { $0.measures != nil }
        failedRuns = totalRuns - ok.count
        points = Set(ok.map(\.point)).count
        guard !ok.isEmpty else {
            throw ClassifiedError(.invalidInput, totalRuns == 0 ? "the sweep has no runs yet; run `lspsim sweep` to completion first"
                : "all \(totalRuns) runs of the sweep failed; there is nothing to discover (see `lspsim export` for their errors)")
        }
        if failedRuns > 0 { notes.append("\(failedRuns) failed run\(failedRuns == 1 ? "" : "s") of \(totalRuns) excluded") }
        var constant: [String] = []
        let used = Set(ok.map(\.point))
        for (f, name) in data.factors.enumerated() {
            let labels = Set(used.map { data.pointValues[$0 - 1][f] })
            guard labels.count > 1 else {
                if name != "scenario" { constant.append(name) }
                continue
            }
            let numbers = ok.map { data.pointNumbers[$0.point - 1][f] }
            factors.append(name)
            if name != "scenario", numbers.allSatisfy({ $0 != nil }) {
                let values = numbers.map { $0! }
                numeric.append(true)
                let last = name.split(separator: ".").last.map(String.init) ?? name
                percentage.append((last.hasSuffix("fraction") || last.hasSuffix("share")) && values.allSatisfy { $0 >= 0 && $0 <= 1 })
                inputs.append(.continuous(name, values))
            } else {
                numeric.append(false)
                percentage.append(false)
                inputs.append(.categorical(name, ok.map { data.pointValues[$0.point - 1][f] }))
            }
        }
        if !constant.isEmpty { notes.append("factors with a single value, not used: \(constant.joined(separator: ", "))") }
        guard !factors.isEmpty else {
            throw ClassifiedError(.invalidInput, "the sweep varies no factor, so there is no input range to discover; sweep factors with a range or several values")
        }
        measureValues = ok.map { $0.measures![condition.index] }
        outcome = measureValues.map(condition.holds)
        readable = FactorLabel.readableNames(factors)
    }

    /// Why no box can be found: no run, or every run, meets the condition.
    public func degenerateMessage(_ condition: DiscoveryCondition) -> String {
        let lowest = measureValues.min()!, highest = measureValues.max()!
        let range = "\(condition.measure) ranges from \(shortNumber(lowest)) to \(shortNumber(highest)) over the \(outcome.count) successful runs"
        if outcome.contains(true) {
            return "every run meets the condition \(condition.text) (\(range)), so no range of the factors does better; choose a more demanding condition"
        }
        return "no run meets the condition \(condition.text) (\(range)), so there is no box to find; choose a less demanding condition"
    }

    /// A factor value for a reader: a percentage for shares, else up to 3 significant digits.
    public func format(_ value: Double, factor: Int) -> String {
        if percentage[factor] { return percent(value) }
        if abs(value) >= 1000 { return String(format: "%.0f", value) }
        return String(format: "%.3g", value)
    }
}

// MARK: - The report

/// The text, CSV and JSON of one discovery.
public struct DiscoveryReport {
    public let result: PRIMResult
    public let cases: DiscoveryCases
    public let condition: DiscoveryCondition
    public let options: PRIM.Options
    public let sweepName: String

    var box: PRIMBox { result.box }

    /// The smallest and largest value of a continuous factor among the runs in `box`.
    func observedRange(_ box: PRIMBox, factor: Int) -> (Double, Double)? {
        guard case let .continuous(values) = cases.inputs[factor].values, !box.members.isEmpty else { return nil }
        let inBox = box.members.map { values[$0] }
        return (inBox.min()!, inBox.max()!)
    }

    /// The kept categories of a categorical factor (nil for a continuous one).
    func categories(_ box: PRIMBox, factor: Int) -> [String]? { result.categories(of: box, dimension: factor) }

    /// A limit in words, from the values of the runs inside the box ("at least 4.12%", "between
    /// 0.3 and 0.7", "[strategic] or [strategic, executive]"); nil if the factor is not restricted.
    func limitWords(_ box: PRIMBox, factor: Int) -> String? {
        let sides = box.restrictedSides.filter { $0.dimension == factor }.map(\.side)
        guard !sides.isEmpty else { return nil }
        if let kept = categories(box, factor: factor) {
            return kept.count == 1 ? kept[0] : "one of " + kept.joined(separator: ", ")
        }
        guard let (low, high) = observedRange(box, factor: factor) else { return nil }
        switch (sides.contains(.lower), sides.contains(.upper)) {
        case (true, true): return "between \(cases.format(low, factor: factor)) and \(cases.format(high, factor: factor))"
        case (true, false): return "at least \(cases.format(low, factor: factor))"
        default: return "at most \(cases.format(high, factor: factor))"
        }
    }

    /// The data's extent of a factor, for a reader.
    func dataRange(_ factor: Int) -> String {
        switch result.dimensions[factor].kind {
        case let .continuous(minimum, maximum): "\(cases.format(minimum, factor: factor)) to \(cases.format(maximum, factor: factor))"
        case let .categorical(all): "\(all.count) values"
        }
    }

    /// The plain-words summary of the chosen box.
    public var sentence: String {
        let share = percent(box.density), base = percent(result.baseDensity)
        let limits = box.restrictedDimensions.compactMap { f in
            limitWords(box, factor: f).map { cases.factors[f] == "scenario" ? "the scenario is \($0)" : "\(cases.readable[f]) is \($0)" }
        }
        guard !limits.isEmpty else {
            return "No range of the factors does better than the whole sweep here: \(base) of all runs \(condition.phrase)."
        }
        let conditions = limits.count == 1 ? limits[0] : limits.dropLast().joined(separator: ", ") + " and " + limits.last!
        return "Where \(conditions), \(share) of runs \(condition.phrase) (against \(base) of all runs); "
            + "this box holds \(percent(box.coverage)) of all such runs, and \(percent(box.mass)) of all runs."
    }

    /// What changed from one trajectory step to the next ("leadership > 0.331", "levels: drop [strategic]").
    func change(from previous: PRIMBox, to next: PRIMBox) -> String {
        var parts: [String] = []
        for f in cases.factors.indices where previous.limits[f] != next.limits[f] {
            switch (previous.limits[f], next.limits[f]) {
            case let (.interval(lower0, upper0), .interval(lower1, upper1)):
                if lower1 != lower0 { parts.append("\(cases.readable[f]) > \(cases.format(lower1, factor: f))") }
                if upper1 != upper0 { parts.append("\(cases.readable[f]) < \(cases.format(upper1, factor: f))") }
            case let (.categories(kept0), .categories(kept1)):
                guard case let .categorical(all) = result.dimensions[f].kind else { continue }
                let dropped = kept0.subtracting(kept1).sorted().map { all[$0] }
                parts.append("\(cases.readable[f]): drop \(dropped.joined(separator: ", "))")
            default: continue
            }
        }
        return parts.joined(separator: "; ")
    }

    func restrictedNames(_ box: PRIMBox) -> [String] { box.restrictedDimensions.map { cases.factors[$0] } }

    /// The trajectory as CSV rows: statistics, then each factor's limits.
    public func trajectoryTable() -> TextTable {
        var header = ["step", "chosen", "coverage", "density", "mass", "runs", "runs_meeting", "restricted_count", "restricted"]
        for (f, name) in cases.factors.enumerated() {
            header += cases.numeric[f] ? [name + ".lower", name + ".upper"] : [name]
        }
        var table = TextTable(header: header, numeric: [])
        for (step, b) in result.trajectory.enumerated() {
            var row = ["\(step)", step == result.chosenStep ? "1" : "0", fullNumber(b.coverage), fullNumber(b.density), fullNumber(b.mass),
                       "\(b.cases)", "\(b.casesOfInterest)", "\(b.restrictedDimensions.count)", restrictedNames(b).joined(separator: "; ")]
            for f in cases.factors.indices {
                switch b.limits[f] {
                case let .interval(lower, upper): row += [fullNumber(lower), fullNumber(upper)]
                case .categories: row.append((categories(b, factor: f) ?? []).joined(separator: " | "))
                }
            }
            table.add(row)
        }
        return table
    }

    /// The report for the terminal (lines within 100 columns, but for long factor values).
    public func text() -> String {
        var out = ""
        if !sweepName.isEmpty { out += wrap("Sweep: \(sweepName)", width: 100) + "\n" }
        out += "Scenario discovery (PRIM): under which ranges of the factors do runs have \(condition.text)?\n"
        out += "\(cases.outcome.count) runs (\(cases.points) design points)"
        if cases.failedRuns > 0 { out += ", \(cases.failedRuns) failed runs excluded" }
        out += "; \(result.casesOfInterest) meet the condition (\(percent(result.baseDensity))).\n"
        let kinds = cases.factors.indices.map { "\(cases.factors[$0]) (\(cases.numeric[$0] ? "range" : "categories"))" }
        out += wrap("Inputs: " + kinds.joined(separator: ", "), width: 100) + "\n\n"

        out += wrap("Peeling trajectory (alpha \(shortNumber(options.peelAlpha)), minimum mass \(percent(options.minimumMass))): "
            + "coverage = share of the runs meeting the condition that are in the box; density = share of the box's runs "
            + "meeting it; factors = how many factors the box restricts; <- the chosen step", width: 100) + "\n"
        // The step column is left-aligned text: TextTable trims each line, so a line must not start with padding.
        var table = TextTable(header: ["step", "coverage", "density", "mass", "runs", "factors", "peeled"], numeric: [1, 2, 3, 4, 5])
        for (step, b) in result.trajectory.enumerated() {
            let peeled = step == 0 ? "(all runs)" : change(from: result.trajectory[step - 1], to: b)
            table.add([step == result.chosenStep ? "\(step) <-" : "\(step)", percent1(b.coverage), percent1(b.density), percent1(b.mass),
                       "\(b.cases)", "\(b.restrictedDimensions.count)", truncate(peeled, 50)])
        }
        out += table.text() + "\n"

        var chosen: String
        switch result.selection {
        case let .maximumDensity(minimumCoverage):
            chosen = "Chosen: step \(result.chosenStep), the densest step covering at least \(percent(minimumCoverage)) of the runs meeting the condition"
        case let .step(step):
            chosen = "Chosen: step \(step) (--box)"
        }
        let pasted = result.pasting.count
        chosen += pasted == 0 ? "; pasting did not raise its density" : "; pasting widened it in \(pasted) step\(pasted == 1 ? "" : "s")"
        if !result.relaxed.isEmpty {
            let relaxed = result.relaxed.map { describe($0.limit) }.joined(separator: ", ")
            chosen += "; relaxed as not significant (quasi-p > \(shortNumber(options.significance))): \(relaxed)"
        }
        out += wrap(chosen + ".", width: 100) + "\n\n"
        var limits = TextTable(header: ["factor", "limit", "data range", "quasi-p"], numeric: [])
        for f in cases.factors.indices {
            let tests = result.tests.filter { $0.limit.dimension == f }
            let p = tests.isEmpty ? "" : tests.map { (tests.count > 1 ? ($0.limit.side == .lower ? "lower " : "upper ") : "") + pValue($0.quasiPValue) }
                .joined(separator: ", ")
            limits.add([cases.factors[f], truncate(limitWords(box, factor: f) ?? "any (not restricted)", 40), dataRange(f), p])
        }
        out += limits.text()
        out += "Box: \(box.cases) runs (\(percent(box.mass)) of all), \(box.casesOfInterest) meeting the condition: "
            + "density \(percent(box.density)), coverage \(percent(box.coverage)).\n\n"
        out += wrap(sentence, width: 100) + "\n"
        return out
    }

    /// "leadership lower limit", "levels".
    func describe(_ side: PRIMLimitSide) -> String {
        let name = cases.factors[side.dimension]
        switch side.side {
        case .lower: return "\(name) lower limit"
        case .upper: return "\(name) upper limit"
        case .categories: return name
        }
    }

    /// The box file (docs/SWEEPS.md, "Scenario discovery").
    public var file: DiscoveryBoxFile {
        func limit(_ f: Int) -> DiscoveryBoxFile.Limit {
            let sides = box.restrictedSides.filter { $0.dimension == f }
            var limit = DiscoveryBoxFile.Limit(factor: cases.factors[f], name: cases.readable[f], restricted: !sides.isEmpty,
                                               words: limitWords(box, factor: f))
            func p(_ side: PRIMLimitSide.Side) -> Double? {
                result.tests.first { $0.limit == PRIMLimitSide(dimension: f, side: side) }?.quasiPValue
            }
            switch (box.limits[f], result.dimensions[f].kind) {
            case let (.interval(lower, upper), .continuous(minimum, maximum)):
                let (low, high) = observedRange(box, factor: f)!
                limit.kind = "range"
                limit.percentage = cases.percentage[f]
                limit.lower = lower
                limit.upper = upper
                limit.lowerRestricted = sides.contains { $0.side == .lower }
                limit.upperRestricted = sides.contains { $0.side == .upper }
                limit.observedMin = low
                limit.observedMax = high
                limit.dataMin = minimum
                limit.dataMax = maximum
                limit.quasiPLower = ExplicitNull(wrappedValue: p(.lower))
                limit.quasiPUpper = ExplicitNull(wrappedValue: p(.upper))
            case let (.categories, .categorical(all)):
                limit.kind = "categories"
                limit.categories = categories(box, factor: f) ?? []
                limit.allCategories = all
                limit.quasiP = ExplicitNull(wrappedValue: p(.categories))
            default: break
            }
            return limit
        }
        let selection: DiscoveryBoxFile.Selection
        switch result.selection {
        case let .maximumDensity(minimumCoverage): selection = .init(rule: "max_density_with_min_coverage", minCoverage: minimumCoverage)
        case .step: selection = .init(rule: "user", minCoverage: nil)
        }
        return DiscoveryBoxFile(
            format: DiscoveryBoxFile.formatName,
            sweep: sweepName,
            condition: .init(measure: condition.measure, operator: condition.comparison.rawValue, value: condition.value,
                             text: condition.text, phrase: condition.phrase),
            runs: .init(total: cases.totalRuns, failedExcluded: cases.failedRuns, used: cases.outcome.count,
                        meetingCondition: result.casesOfInterest, designPoints: cases.points),
            baseDensity: result.baseDensity,
            options: .init(peelAlpha: options.peelAlpha, pasteAlpha: options.pasteAlpha, minMass: options.minimumMass,
                           minCoverage: options.minimumCoverage, significance: options.significance),
            chosenStep: result.chosenStep,
            selection: selection,
            pastingSteps: result.pasting.count,
            relaxed: result.relaxed.map { .init(factor: cases.factors[$0.limit.dimension], side: "\($0.limit.side)",
                                                quasiP: $0.quasiPValue, densityWithout: $0.densityWithoutLimit) },
            box: .init(runs: box.cases, runsMeeting: box.casesOfInterest, coverage: box.coverage, density: box.density,
                       mass: box.mass, restrictedFactors: restrictedNames(box)),
            limits: cases.factors.indices.map(limit),
            summary: sentence,
            trajectory: result.trajectory.enumerated().map { step, b in
                .init(step: step, coverage: b.coverage, density: b.density, mass: b.mass, runs: b.cases,
                      runsMeeting: b.casesOfInterest, restrictedFactors: restrictedNames(b))
            })
    }

    /// The box file's text (pretty-printed JSON, keys sorted).
    public func json() throws -> String { try file.json() }

    /// Writes `discover-trajectory.csv` and `discover-box.json` into `folder`; returns their URLs.
    public func write(into folder: URL) throws -> (trajectory: URL, box: URL) {
        let trajectoryURL = folder.appendingPathComponent("discover-trajectory.csv")
        let boxURL = folder.appendingPathComponent("discover-box.json")
        try ClassifiedError.classifying(.cannotCreate, "cannot write the results into \(folder.path)") {
            try writeAtomically(trajectoryTable().csv(), to: trajectoryURL)
            try writeAtomically(json() + "\n", to: boxURL)
        }
        return (trajectoryURL, boxURL)
    }
}

/// A share as a percentage with one decimal ("82.4%").
private func percent1(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }

/// A p-value for a table: two significant digits; "<1e-300" where it underflows.
private func pValue(_ p: Double) -> String { p < 1e-300 ? "<1e-300" : String(format: "%.2g", p) }

private func truncate(_ text: String, _ width: Int) -> String {
    text.count <= width ? text : String(text.prefix(width - 3)) + "..."
}

/// Wraps `text` at spaces so that no line is longer than `width` (but for longer words).
private func wrap(_ text: String, width: Int) -> String {
    var lines: [String] = [], line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: false) {
        if !line.isEmpty && line.count + 1 + word.count > width {
            lines.append(line)
            line = String(word)
        } else {
            line += (line.isEmpty ? "" : " ") + word
        }
    }
    lines.append(line)
    return lines.joined(separator: "\n")
}
