import ArgumentParser
import Foundation
import Results
import Sensitivity

extension LSPSim {
    struct Discover: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Scenario discovery: the ranges of the factors under which a condition on the runs mostly holds (PRIM).",
            discussion: """
                Every successful run of the sweep is a case: its inputs are its design point's factor values \
                (numeric factors as ranges, others as categories; 'scenario' only if the sweep has several), and \
                it is 'of interest' when the --where condition holds. PRIM (Friedman and Fisher 1999, as in the \
                EMA Workbench) peels thin slices off the factors' ranges, step by step, always the slice whose \
                removal leaves the highest share of runs meeting the condition (density), down to --min-mass of \
                all runs. Along the way the box loses runs that meet the condition (coverage falls). \
                The chosen step (by default the densest one with coverage >= --min-coverage, or --box N) is \
                pasted (widened again while that raises density), and limits that are not statistically \
                meaningful (quasi-p-value above --significance) are relaxed.

                Prints the trajectory's coverage/density trade-off, the chosen box's limits and a sentence \
                in plain words; writes DIR/discover-trajectory.csv and DIR/discover-box.json (docs/SWEEPS.md, \
                "Scenario discovery").

                Example:
                  lspsim discover outputs/discovery --where "targets_met_share >= 0.6"
                  lspsim discover outputs/discovery --where "mean_trust_final < 0.2" --box 30
                """
        )

        @Argument(help: "The sweep folder (or its results.sqlite).")
        var directory: String

        @Option(name: .customLong("where"), help: ArgumentHelp(
            "The condition a run must meet: MEASURE OPERATOR NUMBER, operator one of >=, >, <=, <, ==.",
            valueName: "condition"))
        var condition: String

        @Option(help: "Share of the box's runs peeled off per step, in (0, 0.5).")
        var alpha: Double = 0.05

        @Option(help: "Share of the box's runs added back per pasting step, in (0, 1).")
        var pasteAlpha: Double = 0.05

        @Option(help: "Smallest share of all runs a peeled box may hold, in (0, 1).")
        var minMass: Double = 0.05

        @Option(help: "The default choice: the densest step covering at least this share of the runs meeting the condition.")
        var minCoverage: Double = 0.5

        @Option(help: "Relax limits whose quasi-p-value exceeds this, in (0, 1]; 1 keeps every limit.")
        var significance: Double = 0.05

        @Option(name: .customLong("box"), help: "Choose this step of the peeling trajectory instead of the default.")
        var step: Int?

        @Option(help: "Output on stdout: table, csv (the trajectory) or json (the box file).")
        var format: OutputFormat = .table

        func validate() throws {
            _ = try DiscoveryCondition(parsing: condition)
            guard alpha > 0, alpha < 0.5 else { throw ValidationError("--alpha must be in (0, 0.5), got \(alpha)") }
            guard pasteAlpha > 0, pasteAlpha < 1 else { throw ValidationError("--paste-alpha must be in (0, 1), got \(pasteAlpha)") }
            guard minMass > 0, minMass < 1 else { throw ValidationError("--min-mass must be in (0, 1), got \(minMass)") }
            guard minCoverage >= 0, minCoverage <= 1 else { throw ValidationError("--min-coverage must be in [0, 1], got \(minCoverage)") }
            guard significance > 0, significance <= 1 else { throw ValidationError("--significance must be in (0, 1], got \(significance)") }
            if let step, step < 0 { throw ValidationError("--box must be a step number >= 0, got \(step)") }
        }

        func run() throws {
            let rule = try DiscoveryCondition(parsing: condition)
            let (store, folder) = try openStore(directory)
            let data = try store.loadData()
            let sweepName = try store.sweep()?.name ?? ""
            let cases = try DiscoveryCases(data, condition: rule)
            for note in cases.notes { printNote(note) }

            let options = PRIM.Options(peelAlpha: alpha, pasteAlpha: pasteAlpha, minimumMass: minMass,
                                       minimumCoverage: minCoverage, significance: significance)
            let outcome = Result { () throws(PRIMError) -> PRIMResult in
                try PRIM(inputs: cases.inputs, outcome: cases.outcome, options: options).run(step: step)
            }
            let result: PRIMResult
            switch outcome {
            case let .success(value): result = value
            case .failure(.noCasesOfInterest), .failure(.allCasesOfInterest):
                printError(cases.degenerateMessage(rule))
                throw ExitCode(ExitStatus.invalidInput)
            case let .failure(error):
                if case .stepOutOfRange = error { throw ValidationError("--box: \(error.description)") }
                printError(error.description)
                throw ExitCode(ExitStatus.invalidInput)
            }
            let report = DiscoveryReport(result: result, cases: cases, condition: rule, options: options, sweepName: sweepName)

            let trajectoryURL = folder.appendingPathComponent("discover-trajectory.csv")
            let boxURL = folder.appendingPathComponent("discover-box.json")
            let json = try report.json()
            try writeAtomically(report.trajectoryTable().csv(), to: trajectoryURL)
            try writeAtomically(json + "\n", to: boxURL)

            switch format {
            case .csv: print(report.trajectoryTable().csv(), terminator: "")
            case .json: print(json)
            case .table:
                print(report.text(), terminator: "")
                print("Wrote \(trajectoryURL.path) and \(boxURL.path)")
            }
        }
    }
}

/// Writes a note (not an error) to standard error.
private func printNote(_ text: String) {
    FileHandle.standardError.write(Data(("note: " + text + "\n").utf8))
}

// MARK: - The condition

/// A condition on one run measure: `MEASURE OPERATOR NUMBER`, e.g. `targets_met_share >= 0.6`.
struct DiscoveryCondition: Equatable {
    enum Operator: String, CaseIterable {
        case atLeast = ">=", above = ">", atMost = "<=", below = "<", equal = "=="
    }

    let measure: String
    /// The measure's index in `ResultStore.measureColumns`.
    let index: Int
    let comparison: Operator
    let value: Double
    /// The number as written.
    let valueText: String

    /// Comparisons allow 1e-9 so that 0.6 matches a share of 6/10 computed in floating point.
    static let tolerance = 1e-9

    static let example = "\"targets_met_share >= 0.6\""

    /// Parses `text`; throws a `ValidationError` that says what is wrong and what is valid.
    init(parsing text: String) throws {
        let valid = ResultStore.measureColumns.joined(separator: ", ")
        let operators = Operator.allCases.map(\.rawValue).joined(separator: ", ")
        // Two-character operators first, so that ">=" is not read as ">".
        let ordered: [Operator] = [.atLeast, .atMost, .equal, .above, .below]
        guard let (op, range) = ordered.lazy.compactMap({ op in text.range(of: op.rawValue).map { (op, $0) } }).first else {
            throw ValidationError("cannot read the condition '\(text)': expected MEASURE OPERATOR NUMBER, e.g. \(Self.example); operators: \(operators); measures: \(valid)")
        }
        let name = text[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
        let number = text[range.upperBound...].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else {
            throw ValidationError("the condition '\(text)' names no measure before '\(op.rawValue)'; valid measures: \(valid)")
        }
        guard let index = ResultStore.measureColumns.firstIndex(of: name) else {
            throw ValidationError("unknown measure '\(name)' in the condition '\(text)'; valid measures: \(valid)")
        }
        guard let value = Double(number), value.isFinite else {
            throw ValidationError("'\(number)' is not a number in the condition '\(text)'; expected MEASURE OPERATOR NUMBER, e.g. \(Self.example)")
        }
        measure = name
        self.index = index
        comparison = op
        self.value = value
        valueText = number
    }

    func holds(_ x: Double) -> Bool {
        switch comparison {
        case .atLeast: x >= value - Self.tolerance
        case .above: x > value + Self.tolerance
        case .atMost: x <= value + Self.tolerance
        case .below: x < value - Self.tolerance
        case .equal: abs(x - value) <= Self.tolerance
        }
    }

    var text: String { "\(measure) \(comparison.rawValue) \(valueText)" }

    /// What the runs that meet the condition do, after "82% of runs ...".
    var phrase: String {
        let words: [Operator: String] = [.atLeast: "at least", .above: "more than", .atMost: "at most", .below: "less than", .equal: "exactly"]
        let quantity = words[comparison]!
        switch measure {
        case "targets_met_share": return "meet \(quantity) \(percent(value)) of their targets"
        case "targets_met": return "meet \(quantity) \(shortNumber(value)) of their targets"
        default:
            let names = ["targets_total": "a number of targets", "mean_progress": "a mean progress to target",
                         "reward_grant": "a reward grant (GBP m)", "aligned_share_mean": "an aligned share of spend",
                         "pooled_total": "a pooled total (GBP m)", "overhead_total": "an overhead total (GBP m)",
                         "mean_trust_final": "a final mean trust", "fragmentation": "a fragmentation"]
            return "have \(names[measure] ?? measure) of \(quantity) \(shortNumber(value))"
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
struct DiscoveryCases {
    /// The factors used, in the sweep's order.
    var factors: [String] = []
    /// Whether each used factor is numeric (a range) and whether its values are shares shown as
    /// percentages (its name ends in `fraction` or `share` and every value lies in [0, 1]).
    var numeric: [Bool] = [], percentage: [Bool] = []
    /// Readable names ("pooled fraction", "police openness").
    var readable: [String] = []
    var inputs: [PRIMInput] = []
    var outcome: [Bool] = []
    /// The condition's measure for each case (for messages).
    var measureValues: [Double] = []
    var totalRuns = 0, failedRuns = 0, points = 0
    var notes: [String] = []

    init(_ data: SweepData, condition: DiscoveryCondition) throws {
        totalRuns = data.runs.count
        let ok = data.runs.filter { $0.measures != nil }
        failedRuns = totalRuns - ok.count
        points = Set(ok.map(\.point)).count
        guard !ok.isEmpty else {
            printError(totalRuns == 0 ? "the sweep has no runs yet; run `lspsim sweep` to completion first"
                : "all \(totalRuns) runs of the sweep failed; there is nothing to discover (see `lspsim export` for their errors)")
            throw ExitCode(ExitStatus.invalidInput)
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
            printError("the sweep varies no factor, so there is no input range to discover; sweep factors with a range or several values")
            throw ExitCode(ExitStatus.invalidInput)
        }
        measureValues = ok.map { $0.measures![condition.index] }
        outcome = measureValues.map(condition.holds)
        readable = Self.readableNames(factors)
    }

    /// "governance.pooled_fraction" -> "pooled fraction"; "partners[id=police].openness" ->
    /// "police openness"; full paths where two would read the same.
    static func readableNames(_ names: [String]) -> [String] {
        let short = names.map { name -> String in
            let parts = name.split(separator: ".").map(String.init)
            var last = (parts.last ?? name).replacingOccurrences(of: "_", with: " ")
            if let open = name.range(of: "[id="), let close = name[open.upperBound...].firstIndex(of: "]") {
                last = String(name[open.upperBound..<close]) + " " + last
            }
            return last
        }
        return short.map { name in short.filter { $0 == name }.count > 1 ? nil : name }
            .enumerated().map { $1 ?? names[$0] }
    }

    /// Why no box can be found: no run, or every run, meets the condition.
    func degenerateMessage(_ condition: DiscoveryCondition) -> String {
        let lowest = measureValues.min()!, highest = measureValues.max()!
        let range = "\(condition.measure) ranges from \(shortNumber(lowest)) to \(shortNumber(highest)) over the \(outcome.count) successful runs"
        if outcome.contains(true) {
            return "every run meets the condition \(condition.text) (\(range)), so no range of the factors does better; choose a more demanding condition"
        }
        return "no run meets the condition \(condition.text) (\(range)), so there is no box to find; choose a less demanding condition"
    }

    /// A factor value for a reader: a percentage for shares, else up to 3 significant digits.
    func format(_ value: Double, factor: Int) -> String {
        if percentage[factor] { return percent(value) }
        if abs(value) >= 1000 { return String(format: "%.0f", value) }
        return String(format: "%.3g", value)
    }
}

// MARK: - The report

/// The text, CSV and JSON of one discovery.
struct DiscoveryReport {
    let result: PRIMResult
    let cases: DiscoveryCases
    let condition: DiscoveryCondition
    let options: PRIM.Options
    let sweepName: String

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
    var sentence: String {
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
    func trajectoryTable() -> TextTable {
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
    func text() -> String {
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
    func json() throws -> String {
        func limitObject(_ f: Int) -> [String: Any] {
            let sides = box.restrictedSides.filter { $0.dimension == f }
            var object: [String: Any] = ["factor": cases.factors[f], "name": cases.readable[f], "restricted": !sides.isEmpty,
                                         "words": limitWords(box, factor: f).map { $0 as Any } ?? NSNull()]
            func p(_ side: PRIMLimitSide.Side) -> Any {
                result.tests.first { $0.limit == PRIMLimitSide(dimension: f, side: side) }?.quasiPValue ?? NSNull()
            }
            switch (box.limits[f], result.dimensions[f].kind) {
            case let (.interval(lower, upper), .continuous(minimum, maximum)):
                let (low, high) = observedRange(box, factor: f)!
                object.merge(["kind": "range", "percentage": cases.percentage[f], "lower": lower, "upper": upper,
                              "lower_restricted": sides.contains { $0.side == .lower }, "upper_restricted": sides.contains { $0.side == .upper },
                              "observed_min": low, "observed_max": high, "data_min": minimum, "data_max": maximum,
                              "quasi_p_lower": p(.lower), "quasi_p_upper": p(.upper)]) { $1 }
            case let (.categories, .categorical(all)):
                object.merge(["kind": "categories", "categories": categories(box, factor: f) ?? [], "all_categories": all,
                              "quasi_p": p(.categories)]) { $1 }
            default: break
            }
            return object
        }
        let selection: [String: Any]
        switch result.selection {
        case let .maximumDensity(minimumCoverage): selection = ["rule": "max_density_with_min_coverage", "min_coverage": minimumCoverage]
        case .step: selection = ["rule": "user"]
        }
        let object: [String: Any] = [
            "format": "lspsim-discover-box/1",
            "sweep": sweepName,
            "condition": ["measure": condition.measure, "operator": condition.comparison.rawValue, "value": condition.value,
                          "text": condition.text, "phrase": condition.phrase],
            "runs": ["total": cases.totalRuns, "failed_excluded": cases.failedRuns, "used": cases.outcome.count,
                     "meeting_condition": result.casesOfInterest, "design_points": cases.points],
            "base_density": result.baseDensity,
            "options": ["peel_alpha": options.peelAlpha, "paste_alpha": options.pasteAlpha, "min_mass": options.minimumMass,
                        "min_coverage": options.minimumCoverage, "significance": options.significance],
            "chosen_step": result.chosenStep,
            "selection": selection,
            "pasting_steps": result.pasting.count,
            "relaxed": result.relaxed.map { ["factor": cases.factors[$0.limit.dimension], "side": "\($0.limit.side)",
                                             "quasi_p": $0.quasiPValue, "density_without": $0.densityWithoutLimit] as [String: Any] },
            "box": ["runs": box.cases, "runs_meeting": box.casesOfInterest, "coverage": box.coverage, "density": box.density,
                    "mass": box.mass, "restricted_factors": restrictedNames(box)],
            "limits": cases.factors.indices.map(limitObject),
            "summary": sentence,
            "trajectory": result.trajectory.enumerated().map { step, b in
                ["step": step, "coverage": b.coverage, "density": b.density, "mass": b.mass, "runs": b.cases,
                 "runs_meeting": b.casesOfInterest, "restricted_factors": restrictedNames(b)] as [String: Any]
            },
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
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
