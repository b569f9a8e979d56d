import Foundation

/// PRIM, the Patient Rule Induction Method (Friedman and Fisher 1999), for scenario discovery as in
/// the EMA Workbench: find a box in the input space (an interval per continuous input, a subset of
/// categories per categorical one) where a condition of interest holds far more often than overall.
///
/// - **Peeling.** From the box holding every case, each step considers removing, on every
///   continuous dimension, the slice of about `peelAlpha` of the box's cases below its lower
///   quantile or above its upper one (a whole group of tied values at the edge goes together), and
///   on every categorical dimension one of the categories still in the box. It keeps the candidate
///   whose remaining box has the highest density (ties: fewer restricted dimensions, then more
///   cases). Peeling stops when the best candidate would leave fewer than `minimumMass` of all
///   cases or no case of interest. The boxes, step by step, form the peeling trajectory: coverage
///   falls and density (mostly) rises along it.
/// - **Choice.** By default the step of highest density among those whose coverage is at least
///   `minimumCoverage` (the whole data, step 0, always qualifies); or a step the user names.
/// - **Pasting.** The chosen box is re-expanded: on every restricted side, adding the slice of
///   about `pasteAlpha` of the box's cases just outside it (cases inside every other limit), or on
///   a categorical dimension one category back; the candidate of highest density is kept while it
///   raises the density.
/// - **Relaxing** (an addition to PRIM as published, following the Workbench's quasi-p-values):
///   peeling on noisy data also trims dimensions that do not matter. Each restricted side is
///   tested by the one-sided binomial probability of the box's cases of interest at the density
///   the box would have without that side (`quasiPValue`); while the largest exceeds
///   `significance`, that side is relaxed to the data's extent. Sides are tested one by one (not
///   whole dimensions), so a dimension needed only from above loses a spurious lower limit.
///
/// Restricted limits lie halfway between two adjacent data values, so no case sits on one.
/// Deterministic: no randomness is involved.
public struct PRIM: Sendable {
    /// The tuning of a PRIM analysis.
    public struct Options: Sendable, Equatable {
        /// Share of the box's cases removed by one peel, in (0, 0.5). Friedman and Fisher suggest
        /// 0.05 to 0.1; the EMA Workbench uses 0.05.
        public var peelAlpha: Double
        /// Share of the box's cases added by one paste, in (0, 1).
        public var pasteAlpha: Double
        /// Smallest share of all cases a peeled box may hold, in (0, 1).
        public var minimumMass: Double
        /// The default choice's least coverage, in [0, 1]. 0.5: the box must hold at least half of
        /// the cases of interest (a modelling choice; Bryant and Lempert 2010 trade coverage,
        /// density and interpretability by eye).
        public var minimumCoverage: Double
        /// Restricted sides whose quasi-p-value exceeds this are relaxed, in (0, 1]; 1 keeps every
        /// side.
        public var significance: Double

        public init(peelAlpha: Double = 0.05, pasteAlpha: Double = 0.05, minimumMass: Double = 0.05,
                    minimumCoverage: Double = 0.5, significance: Double = 0.05) {
            self.peelAlpha = peelAlpha
            self.pasteAlpha = pasteAlpha
            self.minimumMass = minimumMass
            self.minimumCoverage = minimumCoverage
            self.significance = significance
        }

        /// Throws `PRIMError.invalidOption` naming the option and its valid range.
        public func validate() throws(PRIMError) {
            func check(_ ok: Bool, _ message: String) throws(PRIMError) {
                if !ok { throw PRIMError.invalidOption(message) }
            }
            try check(peelAlpha > 0 && peelAlpha < 0.5, "the peeling alpha must be in (0, 0.5), got \(peelAlpha)")
            try check(pasteAlpha > 0 && pasteAlpha < 1, "the pasting alpha must be in (0, 1), got \(pasteAlpha)")
            try check(minimumMass > 0 && minimumMass < 1, "the minimum mass must be in (0, 1), got \(minimumMass)")
            try check(minimumCoverage >= 0 && minimumCoverage <= 1, "the minimum coverage must be in [0, 1], got \(minimumCoverage)")
            try check(significance > 0 && significance <= 1, "the significance level must be in (0, 1], got \(significance)")
        }
    }

    /// One column in the form the algorithm works on.
    enum Column: Sendable {
        /// Values and the case indices sorted by value (ascending, ties by index).
        case continuous([Double], order: [Int])
        /// Each case's category index.
        case categorical([Int])
    }

    /// The input dimensions, in input order.
    public let dimensions: [PRIMDimension]
    /// Whether each case is of interest.
    public let outcome: [Bool]
    public let options: Options
    let columns: [Column]
    /// The number of cases, and of cases of interest.
    public let cases: Int, casesOfInterest: Int

    /// Prepares PRIM over `inputs` (one value per case each) and the outcome (true: the case is of
    /// interest). Throws when there are no cases or inputs, lengths differ, a continuous value is
    /// not finite, no case or every case is of interest, or an option is out of range.
    public init(inputs: [PRIMInput], outcome: [Bool], options: Options = Options()) throws(PRIMError) {
        try options.validate()
        guard !outcome.isEmpty else { throw .noCases }
        guard !inputs.isEmpty else { throw .noInputs }
        var dimensions: [PRIMDimension] = [], columns: [Column] = []
        for input in inputs {
            guard input.count == outcome.count else {
                throw .lengthMismatch(input: input.name, count: input.count, expected: outcome.count)
            }
            switch input.values {
            case let .continuous(values):
                if let bad = values.firstIndex(where: { !$0.isFinite }) { throw .nonFiniteValue(input: input.name, caseIndex: bad) }
                let order = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
                dimensions.append(PRIMDimension(name: input.name, kind: .continuous(minimum: values[order.first!], maximum: values[order.last!])))
                columns.append(.continuous(values, order: order))
            case let .categorical(labels):
                var index: [String: Int] = [:], categories: [String] = []
                let codes = labels.map { label in
                    if let code = index[label] { return code }
                    index[label] = categories.count
                    categories.append(label)
                    return categories.count - 1
                }
                dimensions.append(PRIMDimension(name: input.name, kind: .categorical(categories)))
                columns.append(.categorical(codes))
            }
        }
        let interest = outcome.lazy.filter { $0 }.count
        guard interest > 0 else { throw .noCasesOfInterest(cases: outcome.count) }
        guard interest < outcome.count else { throw .allCasesOfInterest(cases: outcome.count) }
        self.dimensions = dimensions
        self.columns = columns
        self.outcome = outcome
        self.options = options
        cases = outcome.count
        casesOfInterest = interest
    }

    // MARK: - The whole analysis

    /// Peels, chooses a step (`step`, or by default the densest step with enough coverage), pastes
    /// and relaxes. Throws `stepOutOfRange` for a step not on the trajectory.
    public func run(step: Int? = nil) throws(PRIMError) -> PRIMResult {
        let trajectory = peel()
        let chosen: Int, selection: PRIMSelection
        if let step {
            guard step >= 0, step < trajectory.count else { throw .stepOutOfRange(step: step, steps: trajectory.count) }
            (chosen, selection) = (step, .step(step))
        } else {
            chosen = Self.densestStep(trajectory, minimumCoverage: options.minimumCoverage)
            selection = .maximumDensity(minimumCoverage: options.minimumCoverage)
        }
        let pasting = paste(trajectory[chosen])
        let (box, relaxed) = relax(pasting.last ?? trajectory[chosen])
        return PRIMResult(dimensions: dimensions, cases: cases, casesOfInterest: casesOfInterest,
                          trajectory: trajectory, chosenStep: chosen, selection: selection, pasting: pasting,
                          relaxed: relaxed, box: box, tests: box.restrictedSides.map { quasiPValue(of: $0, in: box) })
    }

    /// The step of highest density among those with coverage >= `minimumCoverage` (ties: the
    /// earliest); step 0 if none other qualifies.
    public static func densestStep(_ trajectory: [PRIMBox], minimumCoverage: Double) -> Int {
        var best = 0
        for (step, box) in trajectory.enumerated() where box.coverage >= minimumCoverage - 1e-12 {
            // Compare k/m > k'/m' exactly, in integers.
            let current = trajectory[best]
            if box.casesOfInterest * current.cases > current.casesOfInterest * box.cases { best = step }
        }
        return best
    }

    // MARK: - Boxes

    /// The box with every case: each limit the data's extent.
    public var fullBox: PRIMBox { box(limits: dimensions.map(\.unrestricted), members: Array(0..<cases)) }

    /// The box with the given limits and its statistics (a full scan of the data).
    public func box(limits: [PRIMLimit]) -> PRIMBox {
        box(limits: limits, members: (0..<cases).filter { contains(limits, $0) })
    }

    func box(limits: [PRIMLimit], members: [Int]) -> PRIMBox {
        let interest = members.lazy.filter { outcome[$0] }.count
        return PRIMBox(limits: limits, cases: members.count, casesOfInterest: interest,
                       coverage: Double(interest) / Double(casesOfInterest),
                       density: members.isEmpty ? 0 : Double(interest) / Double(members.count),
                       mass: Double(members.count) / Double(cases),
                       restrictedSides: restrictedSides(limits), members: members)
    }

    /// The sides of `limits` tighter than the data's extent.
    public func restrictedSides(_ limits: [PRIMLimit]) -> [PRIMLimitSide] {
        var sides: [PRIMLimitSide] = []
        for (j, limit) in limits.enumerated() {
            switch (limit, dimensions[j].kind) {
            case let (.interval(lower, upper), .continuous(minimum, maximum)):
                if lower > minimum { sides.append(PRIMLimitSide(dimension: j, side: .lower)) }
                if upper < maximum { sides.append(PRIMLimitSide(dimension: j, side: .upper)) }
            case let (.categories(kept), .categorical(all)):
                if kept.count < all.count { sides.append(PRIMLimitSide(dimension: j, side: .categories)) }
            default:
                preconditionFailure("limit \(limit) does not fit dimension \(dimensions[j].name)")
            }
        }
        return sides
    }

    func restrictedDimensionCount(_ limits: [PRIMLimit]) -> Int { Set(restrictedSides(limits).map(\.dimension)).count }

    /// Whether case `i` lies within `limit` on dimension `j`.
    func contains(_ limit: PRIMLimit, dimension j: Int, case i: Int) -> Bool {
        switch (limit, columns[j]) {
        case let (.interval(lower, upper), .continuous(values, _)): values[i] >= lower && values[i] <= upper
        case let (.categories(kept), .categorical(codes)): kept.contains(codes[i])
        default: false
        }
    }

    func contains(_ limits: [PRIMLimit], _ i: Int) -> Bool {
        limits.indices.allSatisfy { contains(limits[$0], dimension: $0, case: i) }
    }

    /// A candidate box: its limits, cases and cases of interest, compared by density, then fewer
    /// restricted dimensions, then more cases.
    struct Candidate {
        let limits: [PRIMLimit]
        let cases: Int, interest: Int, restricted: Int

        func isBetter(than other: Candidate?) -> Bool {
            guard let other else { return true }
            let lhs = interest * other.cases, rhs = other.interest * cases
            if lhs != rhs { return lhs > rhs }
            if restricted != other.restricted { return restricted < other.restricted }
            return cases > other.cases
        }
    }

    // MARK: - Peeling

    /// The peeling trajectory from the box of every case: step 0 is that box.
    public func peel() -> [PRIMBox] {
        var trajectory = [fullBox]
        while let next = peelStep(trajectory.last!) { trajectory.append(next) }
        return trajectory
    }

    /// The best single peel of `box`, or nil when no allowed peel remains.
    func peelStep(_ box: PRIMBox) -> PRIMBox? {
        let m = box.cases, k = box.casesOfInterest
        guard m > 1 else { return nil }
        var inBox = [Bool](repeating: false, count: cases)
        for i in box.members { inBox[i] = true }
        var best: Candidate?
        func consider(_ limits: [PRIMLimit], removed: some Collection<Int>) {
            let removedInterest = removed.lazy.filter { outcome[$0] }.count
            let candidate = Candidate(limits: limits, cases: m - removed.count, interest: k - removedInterest,
                                      restricted: restrictedDimensionCount(limits))
            if candidate.isBetter(than: best) { best = candidate }
        }
        let slice = max(1, Int((options.peelAlpha * Double(m)).rounded(.down)))
        for (j, column) in columns.enumerated() {
            switch (column, box.limits[j]) {
            case let (.continuous(values, order), .interval(lower, upper)):
                let sorted = order.filter { inBox[$0] }
                guard slice < m else { continue }
                // Lower side: the `slice` smallest values and any ties of the last of them.
                var end = slice
                while end < m && values[sorted[end]] == values[sorted[slice - 1]] { end += 1 }
                if end < m {
                    var limits = box.limits
                    limits[j] = .interval(lower: (values[sorted[end - 1]] + values[sorted[end]]) / 2, upper: upper)
                    consider(limits, removed: sorted[0..<end])
                }
                // Upper side: the `slice` largest values and any ties of the first of them.
                var start = m - slice
                while start > 0 && values[sorted[start - 1]] == values[sorted[m - slice]] { start -= 1 }
                if start > 0 {
                    var limits = box.limits
                    limits[j] = .interval(lower: lower, upper: (values[sorted[start - 1]] + values[sorted[start]]) / 2)
                    consider(limits, removed: sorted[start..<m])
                }
            case let (.categorical(codes), .categories(kept)):
                guard kept.count > 1 else { continue }
                for category in kept.sorted() {
                    let removed = box.members.filter { codes[$0] == category }
                    guard !removed.isEmpty else { continue }
                    var limits = box.limits
                    limits[j] = .categories(kept.subtracting([category]))
                    consider(limits, removed: removed)
                }
            default:
                preconditionFailure("limit does not fit dimension \(dimensions[j].name)")
            }
        }
        guard let best, best.interest > 0, best.cases < m,
              Double(best.cases) / Double(cases) >= options.minimumMass - 1e-12 else { return nil }
        return self.box(limits: best.limits, members: box.members.filter { contains(best.limits, $0) })
    }

    // MARK: - Pasting

    /// The boxes after each accepted paste of `box`, in order (empty when no paste raises density).
    public func paste(_ box: PRIMBox) -> [PRIMBox] {
        var steps: [PRIMBox] = []
        while let next = pasteStep(steps.last ?? box) { steps.append(next) }
        return steps
    }

    /// The best single paste of `box` if it raises the density, else nil.
    func pasteStep(_ box: PRIMBox) -> PRIMBox? {
        let m = box.cases, k = box.casesOfInterest
        // The cases outside the box on exactly one dimension, by that dimension.
        var outsideOnly = [[Int]](repeating: [], count: dimensions.count)
        for i in 0..<cases {
            var violated = -1, count = 0
            for j in dimensions.indices where !contains(box.limits[j], dimension: j, case: i) {
                violated = j
                count += 1
                if count > 1 { break }
            }
            if count == 1 { outsideOnly[violated].append(i) }
        }
        var best: Candidate?
        func consider(_ limits: [PRIMLimit], added: some Collection<Int>) {
            let addedInterest = added.lazy.filter { outcome[$0] }.count
            let candidate = Candidate(limits: limits, cases: m + added.count, interest: k + addedInterest,
                                      restricted: restrictedDimensionCount(limits))
            if candidate.isBetter(than: best) { best = candidate }
        }
        let slice = max(1, Int((options.pasteAlpha * Double(m)).rounded(.down)))
        for side in box.restrictedSides {
            let j = side.dimension
            switch (columns[j], box.limits[j], dimensions[j].kind) {
            case let (.continuous(values, _), .interval(lower, upper), .continuous(minimum, maximum)):
                if side.side == .lower {
                    // Nearest first: descending below the lower limit.
                    let outside = outsideOnly[j].filter { values[$0] < lower }.sorted { values[$0] > values[$1] }
                    guard !outside.isEmpty else { continue }
                    var end = min(slice, outside.count)
                    while end < outside.count && values[outside[end]] == values[outside[end - 1]] { end += 1 }
                    let newLower = end == outside.count ? minimum : (values[outside[end - 1]] + values[outside[end]]) / 2
                    var limits = box.limits
                    limits[j] = .interval(lower: newLower, upper: upper)
                    consider(limits, added: outside[0..<end])
                } else {
                    let outside = outsideOnly[j].filter { values[$0] > upper }.sorted { values[$0] < values[$1] }
                    guard !outside.isEmpty else { continue }
                    var end = min(slice, outside.count)
                    while end < outside.count && values[outside[end]] == values[outside[end - 1]] { end += 1 }
                    let newUpper = end == outside.count ? maximum : (values[outside[end - 1]] + values[outside[end]]) / 2
                    var limits = box.limits
                    limits[j] = .interval(lower: lower, upper: newUpper)
                    consider(limits, added: outside[0..<end])
                }
            case let (.categorical(codes), .categories(kept), .categorical(all)):
                for category in all.indices where !kept.contains(category) {
                    let added = outsideOnly[j].filter { codes[$0] == category }
                    guard !added.isEmpty else { continue }
                    var limits = box.limits
                    limits[j] = .categories(kept.union([category]))
                    consider(limits, added: added)
                }
            default:
                preconditionFailure("limit does not fit dimension \(dimensions[j].name)")
            }
        }
        // Accept only a paste that raises density: k'/m' > k/m.
        guard let best, best.interest * m > k * best.cases else { return nil }
        return self.box(limits: best.limits)
    }

    // MARK: - Relaxing

    /// `limits` with one side set back to the data's extent.
    public func relaxing(_ side: PRIMLimitSide, of limits: [PRIMLimit]) -> [PRIMLimit] {
        var limits = limits
        switch (limits[side.dimension], dimensions[side.dimension].kind) {
        case let (.interval(lower, upper), .continuous(minimum, maximum)):
            limits[side.dimension] = side.side == .lower ? .interval(lower: minimum, upper: upper) : .interval(lower: lower, upper: maximum)
        default:
            limits[side.dimension] = dimensions[side.dimension].unrestricted
        }
        return limits
    }

    /// The quasi-p-value of one restricted side of `box` (as the EMA Workbench's, per side): with
    /// the side relaxed, the box's density is p; the value is P(X >= the box's cases of interest)
    /// for X binomial with the box's cases as trials and probability p.
    public func quasiPValue(of side: PRIMLimitSide, in box: PRIMBox) -> PRIMLimitTest {
        let wider = self.box(limits: relaxing(side, of: box.limits))
        let p = wider.density
        return PRIMLimitTest(limit: side, quasiPValue: Self.binomialUpperTail(atLeast: box.casesOfInterest, trials: box.cases, probability: p),
                             densityWithoutLimit: p)
    }

    /// Relaxes, one at a time, the restricted side with the largest quasi-p-value while that exceeds
    /// `options.significance`. Returns the box and the tests of the sides relaxed, in order.
    public func relax(_ box: PRIMBox) -> (PRIMBox, [PRIMLimitTest]) {
        var box = box, relaxed: [PRIMLimitTest] = []
        while true {
            let tests = box.restrictedSides.map { quasiPValue(of: $0, in: box) }
            // The largest value; ties: the first side in dimension order.
            var worst: PRIMLimitTest?
            for test in tests where test.quasiPValue > (worst?.quasiPValue ?? options.significance) { worst = test }
            guard let worst else { break }
            relaxed.append(worst)
            box = self.box(limits: relaxing(worst.limit, of: box.limits))
        }
        return (box, relaxed)
    }

    // MARK: - Binomial tail

    /// P(X >= k) for X binomial with n trials and success probability p, summed in log space
    /// (exact to rounding; costs at most n - k + 1 terms).
    public static func binomialUpperTail(atLeast k: Int, trials n: Int, probability p: Double) -> Double {
        if k <= 0 { return 1 }
        if k > n { return 0 }
        if p <= 0 { return 0 }
        if p >= 1 { return 1 }
        let logP = log(p), logQ = log1p(-p)
        func logPMF(_ i: Int) -> Double {
            lgamma(Double(n) + 1) - lgamma(Double(i) + 1) - lgamma(Double(n - i) + 1) + Double(i) * logP + Double(n - i) * logQ
        }
        // The largest term in [k, n] is at the mode, or at k beyond it.
        let mode = min(n, max(k, Int((Double(n + 1) * p).rounded(.down))))
        let logMax = logPMF(mode)
        var sum = 0.0, logTerm = logPMF(k)
        for i in k...n {
            let term = exp(logTerm - logMax)
            sum += term
            if i > mode && term < 1e-17 * sum { break }
            if i < n { logTerm += log(Double(n - i)) - log(Double(i + 1)) + logP - logQ }
        }
        return min(1, exp(logMax) * sum)
    }
}
