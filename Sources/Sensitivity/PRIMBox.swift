/// The inputs, boxes and results of PRIM (see `PRIM`).

/// One input column of PRIM: a name and one value per case.
public struct PRIMInput: Sendable, Equatable {
    /// How a column's values are read.
    public enum Values: Sendable, Equatable {
        /// Ordered numbers; a box limits them to an interval [lower, upper]. Must be finite.
        case continuous([Double])
        /// Unordered labels; a box keeps a subset of the categories.
        case categorical([String])
    }

    public let name: String
    public let values: Values

    public init(name: String, values: Values) {
        self.name = name
        self.values = values
    }

    /// A continuous column.
    public static func continuous(_ name: String, _ values: [Double]) -> PRIMInput {
        PRIMInput(name: name, values: .continuous(values))
    }

    /// A categorical column.
    public static func categorical(_ name: String, _ values: [String]) -> PRIMInput {
        PRIMInput(name: name, values: .categorical(values))
    }

    var count: Int {
        switch values {
        case let .continuous(v): v.count
        case let .categorical(v): v.count
        }
    }
}

/// One dimension of the input space as PRIM sees it: its name and its full extent in the data.
public struct PRIMDimension: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Numbers from `minimum` to `maximum` (the smallest and largest value in the data).
        case continuous(minimum: Double, maximum: Double)
        /// The categories present in the data, in order of first appearance.
        case categorical([String])
    }

    public let name: String
    public let kind: Kind

    /// The limit that restricts nothing: the data range, or every category.
    public var unrestricted: PRIMLimit {
        switch kind {
        case let .continuous(minimum, maximum): .interval(lower: minimum, upper: maximum)
        case let .categorical(categories): .categories(Set(categories.indices))
        }
    }
}

/// A box's limit on one dimension.
public enum PRIMLimit: Sendable, Equatable, Hashable {
    /// Cases with lower <= x <= upper. Restricted limits lie halfway between two data values, so no
    /// case sits on a restricted limit; an unrestricted side equals the data's minimum or maximum.
    case interval(lower: Double, upper: Double)
    /// Cases whose category is one of these (indices into the dimension's categories).
    case categories(Set<Int>)
}

/// One side of a box's limit on one dimension: what can be restricted, pasted or relaxed on its own.
public struct PRIMLimitSide: Sendable, Equatable, Hashable, Comparable {
    public enum Side: Int, Sendable, Comparable {
        case lower, upper, categories
        public static func < (a: Side, b: Side) -> Bool { a.rawValue < b.rawValue }
    }

    /// The dimension's index.
    public let dimension: Int
    public let side: Side

    public init(dimension: Int, side: Side) {
        self.dimension = dimension
        self.side = side
    }

    public static func < (a: PRIMLimitSide, b: PRIMLimitSide) -> Bool {
        (a.dimension, a.side) < (b.dimension, b.side)
    }
}

/// A box in the input space with its statistics over the data.
public struct PRIMBox: Sendable, Equatable {
    /// One limit per dimension.
    public let limits: [PRIMLimit]
    /// The number of cases inside the box, and of cases of interest among them.
    public let cases: Int, casesOfInterest: Int
    /// Share of all cases of interest that lie inside the box (0...1).
    public let coverage: Double
    /// Share of the cases inside the box that are of interest (0...1).
    public let density: Double
    /// Share of all cases that lie inside the box (0...1).
    public let mass: Double
    /// The limit sides tighter than the data's extent, in dimension order.
    public let restrictedSides: [PRIMLimitSide]
    /// The cases inside the box (indices into the data), ascending.
    public let members: [Int]

    /// The dimensions with at least one restricted side, ascending.
    public var restrictedDimensions: [Int] {
        var seen = Set<Int>()
        return restrictedSides.map(\.dimension).filter { seen.insert($0).inserted }
    }
}

/// Why a box was chosen from the peeling trajectory.
public enum PRIMSelection: Sendable, Equatable {
    /// The step of highest density among those covering at least this share of the cases of
    /// interest (ties: the earlier step, which has the higher coverage).
    case maximumDensity(minimumCoverage: Double)
    /// The step the user asked for.
    case step(Int)
}

/// A restricted limit side with its quasi-p-value (see `PRIM.quasiPValue`).
public struct PRIMLimitTest: Sendable, Equatable {
    public let limit: PRIMLimitSide
    /// The one-sided binomial probability of the box's density, were the box's cases of interest
    /// drawn at the density of the box with this side relaxed to the data's extent. Small values
    /// mean the side matters; large values that it may be chance.
    public let quasiPValue: Double
    /// The density of the box with this side relaxed.
    public let densityWithoutLimit: Double
}

/// Everything one PRIM analysis found.
public struct PRIMResult: Sendable {
    /// The input dimensions, in input order.
    public let dimensions: [PRIMDimension]
    /// The number of cases, and of cases of interest.
    public let cases: Int, casesOfInterest: Int
    /// The peeling trajectory: step 0 is the box holding every case; each further step peels one
    /// slice (or category) off the previous box.
    public let trajectory: [PRIMBox]
    /// The chosen step of the trajectory and why it was chosen.
    public let chosenStep: Int
    public let selection: PRIMSelection
    /// The boxes after each accepted paste of the chosen box (empty when no paste raised density).
    public let pasting: [PRIMBox]
    /// The limit sides relaxed after pasting because their quasi-p-value exceeded the significance
    /// level, in the order relaxed, each with its test at the time.
    public let relaxed: [PRIMLimitTest]
    /// The final box: the chosen step, pasted, with insignificant limits relaxed.
    public let box: PRIMBox
    /// The quasi-p-value of each of the final box's restricted limit sides.
    public let tests: [PRIMLimitTest]

    /// The share of all cases that are of interest (the density of the whole data).
    public var baseDensity: Double { Double(casesOfInterest) / Double(cases) }

    /// The category labels a categorical limit keeps (in the dimension's order); nil for an interval.
    public func categories(of box: PRIMBox, dimension: Int) -> [String]? {
        guard case let .categorical(labels) = dimensions[dimension].kind,
              case let .categories(kept) = box.limits[dimension] else { return nil }
        return labels.indices.filter { kept.contains($0) }.map { labels[$0] }
    }
}

/// Why PRIM cannot run on the data given.
public enum PRIMError: Error, Equatable, Sendable, CustomStringConvertible {
    case noCases
    case noInputs
    case lengthMismatch(input: String, count: Int, expected: Int)
    case nonFiniteValue(input: String, caseIndex: Int)
    case noCasesOfInterest(cases: Int)
    case allCasesOfInterest(cases: Int)
    case invalidOption(String)
    case stepOutOfRange(step: Int, steps: Int)

    public var description: String {
        switch self {
        case .noCases: "PRIM needs at least one case; the data is empty"
        case .noInputs: "PRIM needs at least one input column"
        case let .lengthMismatch(input, count, expected):
            "input '\(input)' has \(count) values but the outcome has \(expected)"
        case let .nonFiniteValue(input, index):
            "input '\(input)' has a value that is not a finite number (case \(index))"
        case let .noCasesOfInterest(cases):
            "none of the \(cases) cases is of interest (the condition never holds), so there is no box to find"
        case let .allCasesOfInterest(cases):
            "all \(cases) cases are of interest (the condition always holds), so every box has density 1 and there is nothing to discover"
        case let .invalidOption(message): message
        case let .stepOutOfRange(step, steps):
            "step \(step) is not on the peeling trajectory, which has steps 0 to \(steps - 1)"
        }
    }
}
