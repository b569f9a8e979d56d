import Stochastic

/// Morris's trajectory design for elementary effects (Morris 1991; Campolongo et al. 2007).
///
/// Each input moves on a p-level grid {0, 1/(p-1), ..., 1} of the unit interval (p = `levels`,
/// even, default 4), in steps of delta = p / (2 (p - 1)), which is p/2 grid intervals (2/3 for
/// p = 4). A trajectory has D + 1 points: a random starting point, then each input in a random
/// order changes once by +delta or -delta, so consecutive points differ in exactly one input.
///
/// **Randomisation** (from the GSL generator passed in, in this order per trajectory): for each
/// input i, its lower grid level l_i, uniform on {0, ..., p/2 - 1} (so l_i/(p-1) + delta <= 1), and
/// its direction, up (start at the lower level, move to it + delta) or down (start at the upper
/// level, move to the lower), each with probability 1/2; then the order in which the inputs move,
/// a uniform random permutation (Fisher-Yates). This is Morris's B* = (J x* + (delta/2)((2B - J)D*
/// + J))P* construction: every grid point that a step can start from is equally likely.
///
/// **Order of the evaluations** (`points`): trajectory by trajectory, and within trajectory t
/// (0-based) its points 0 ... D; evaluation t (D + 1) + k is point k of trajectory t. Step k
/// (1 ... D) goes from point k - 1 to point k and moves input `movedInput[t][k - 1]`, upward if
/// `movedUp[t][k - 1]`. Coordinates are in [0, 1] and include both ends: map them onto each
/// input's range linearly (0 to its minimum, 1 to its maximum).
public struct MorrisDesign: Sendable {
    /// The default number of grid levels p.
    public static let defaultLevels = 4
    /// The fewest trajectories accepted (sigma needs two effects per input).
    public static let minimumTrajectories = 2

    /// The number of uncertain inputs D.
    public let dimensions: Int
    /// The number of trajectories r.
    public let trajectories: Int
    /// The number of grid levels p (even).
    public let levels: Int
    /// The evaluation points, r (D + 1) of them in the documented order, each D coordinates in [0, 1].
    public let points: [[Double]]
    /// For each trajectory, the input moved at each of its D steps (a permutation of 0 ..< D).
    public let movedInput: [[Int]]
    /// For each trajectory, whether each step moved its input up (+delta) or down (-delta).
    public let movedUp: [[Bool]]

    /// The step, in unit-interval coordinates: p / (2 (p - 1)).
    public var delta: Double { Self.delta(levels: levels) }

    /// The step of a p-level grid: p / (2 (p - 1)).
    public static func delta(levels: Int) -> Double { Double(levels) / (2 * Double(levels - 1)) }

    /// Evaluations per trajectory: D + 1.
    public var pointsPerTrajectory: Int { dimensions + 1 }

    /// All evaluations: r (D + 1).
    public var pointCount: Int { trajectories * pointsPerTrajectory }

    /// Draws `trajectories` random trajectories on a `levels`-level grid in `dimensions` inputs.
    ///
    /// - Throws: `SensitivityError.dimensions` if D < 1, `.tooFewSamples` if r < 2, `.levels` unless
    ///   p is even and >= 2.
    public init(dimensions: Int, trajectories: Int, levels: Int = MorrisDesign.defaultLevels,
                generator: Generator) throws(SensitivityError) {
        guard dimensions >= 1 else { throw .dimensions(got: dimensions, allowed: 1...Int.max, method: "Morris's design") }
        guard trajectories >= Self.minimumTrajectories else {
            throw .tooFewSamples(got: trajectories, needed: Self.minimumTrajectories, what: "trajectories")
        }
        guard levels >= 2, levels % 2 == 0 else { throw .levels(got: levels) }
        let half = levels / 2
        let scale = Double(levels - 1)
        var points: [[Double]] = [], movedInput: [[Int]] = [], movedUp: [[Bool]] = []
        points.reserveCapacity(trajectories * (dimensions + 1))
        for _ in 0..<trajectories {
            var lower = [Int](repeating: 0, count: dimensions), up = [Bool](repeating: true, count: dimensions)
            for i in 0..<dimensions {
                lower[i] = Swift.min(half - 1, Int(generator.uniform() * Double(half)))
                up[i] = generator.uniform() < 0.5
            }
            var order = Array(0..<dimensions)
            for i in stride(from: dimensions - 1, to: 0, by: -1) {
                order.swapAt(i, Swift.min(i, Int(generator.uniform() * Double(i + 1))))
            }
            // Grid indices: an input moving up starts at its lower level, one moving down at lower + p/2.
            var current = (0..<dimensions).map { up[$0] ? lower[$0] : lower[$0] + half }
            points.append(current.map { Double($0) / scale })
            for i in order {
                current[i] = up[i] ? lower[i] + half : lower[i]
                points.append(current.map { Double($0) / scale })
            }
            movedInput.append(order)
            movedUp.append(order.map { up[$0] })
        }
        self.dimensions = dimensions
        self.trajectories = trajectories
        self.levels = levels
        self.points = points
        self.movedInput = movedInput
        self.movedUp = movedUp
    }

    /// The position of point `point` (0 ... D) of trajectory `trajectory` in the evaluation order.
    public func position(trajectory: Int, point: Int) -> Int { trajectory * pointsPerTrajectory + point }
}
