import Stochastic

/// Saltelli's sampling scheme for first- and total-order Sobol indices (Saltelli 2002; Saltelli
/// et al. 2010), on GSL's Sobol quasi-random sequence.
///
/// With D uncertain inputs and N base samples, N points of GSL's Sobol sequence in 2D dimensions
/// (`gsl_qrng_sobol` through `Stochastic.SobolSequence`) give two N x D matrices: A, the first D
/// coordinates of each point, and B, the last D. For each input i, AB_i is A with its column i
/// taken from B. The model is evaluated at every row of A, B and each AB_i: N (D + 2) evaluations.
///
/// **Order of the evaluations** (`points()`, `position(sample:role:)`): base sample by base
/// sample, and within base sample j (0-based) first A_j, then AB_1j, ..., AB_Dj, then B_j; so
/// evaluation j (D + 2) + k is A_j for k = 0, AB_(k)j for 1 <= k <= D, and B_j for k = D + 1.
/// (This is SALib's order without second-order terms.) Keeping a base sample's D + 2 points
/// together means a run stopped part-way leaves whole base samples done.
///
/// GSL's sequence starts at (0.5, ..., 0.5), which would make A_0 = B_0, a row that carries no
/// information; that first point is skipped, so A and B come from points 2 ... N + 1 of the
/// sequence. Coordinates are in [0, 1); map them onto each input's range. Because
/// `gsl_qrng_sobol` allows 40 dimensions, D is at most 20.
public struct SaltelliDesign: Sendable {
    /// The most uncertain inputs a design takes (GSL's Sobol sequence has at most 40 dimensions).
    public static let maximumDimensions = 20
    /// The fewest base samples accepted (the estimators and their bootstrap need at least 2 rows).
    public static let minimumBaseSamples = 2

    /// Which matrix a row comes from.
    public enum Role: Sendable, Equatable {
        /// Row of A.
        case a
        /// Row of AB_i: A with column `i` (0-based) from B.
        case ab(Int)
        /// Row of B.
        case b
    }

    /// The number of uncertain inputs D.
    public let dimensions: Int
    /// The number of base samples N (rows of A and B).
    public let baseSamples: Int
    /// The matrices A and B, N rows of D coordinates in [0, 1).
    public let a: [[Double]], b: [[Double]]

    /// Draws A and B from GSL's Sobol sequence in 2D dimensions.
    ///
    /// - Throws: `SensitivityError.dimensions` unless 1 <= D <= 20; `.tooFewSamples` if N < 2.
    public init(dimensions: Int, baseSamples: Int) throws(SensitivityError) {
        guard (1...Self.maximumDimensions).contains(dimensions) else {
            throw .dimensions(got: dimensions, allowed: 1...Self.maximumDimensions, method: "Saltelli's design (GSL's Sobol sequence in 2D dimensions)")
        }
        guard baseSamples >= Self.minimumBaseSamples else {
            throw .tooFewSamples(got: baseSamples, needed: Self.minimumBaseSamples, what: "base samples")
        }
        let sequence: SobolSequence
        var a: [[Double]] = [], b: [[Double]] = []
        a.reserveCapacity(baseSamples)
        b.reserveCapacity(baseSamples)
        do {
            sequence = try SobolSequence(dimensions: 2 * dimensions)
            _ = try sequence.next()  // (0.5, ..., 0.5): A_0 would equal B_0
            for _ in 0..<baseSamples {
                let point = try sequence.next()
                a.append(Array(point[0..<dimensions]))
                b.append(Array(point[dimensions...]))
            }
        } catch {
            throw .sequence(error.description)
        }
        self.dimensions = dimensions
        self.baseSamples = baseSamples
        self.a = a
        self.b = b
    }

    /// Evaluations per base sample: D + 2.
    public var pointsPerSample: Int { dimensions + 2 }

    /// All evaluations: N (D + 2).
    public var pointCount: Int { baseSamples * pointsPerSample }

    /// The position of a row in the evaluation order (see the type's documentation).
    public func position(sample: Int, role: Role) -> Int {
        Self.position(sample: sample, role: role, dimensions: dimensions)
    }

    /// The position of row `sample` of the matrix `role` among the N (D + 2) evaluations of a
    /// design with `dimensions` inputs.
    public static func position(sample: Int, role: Role, dimensions: Int) -> Int {
        let offset: Int
        switch role {
        case .a: offset = 0
        case let .ab(i):
            precondition(i >= 0 && i < dimensions, "AB_i needs 0 <= i < D")
            offset = 1 + i
        case .b: offset = dimensions + 1
        }
        return sample * (dimensions + 2) + offset
    }

    /// The row of `role` for base sample `sample`.
    public func row(sample: Int, role: Role) -> [Double] {
        switch role {
        case .a: return a[sample]
        case .b: return b[sample]
        case let .ab(i):
            var row = a[sample]
            row[i] = b[sample][i]
            return row
        }
    }

    /// Every evaluation point, in the documented order.
    public func points() -> [[Double]] {
        var points: [[Double]] = []
        points.reserveCapacity(pointCount)
        for j in 0..<baseSamples {
            points.append(a[j])
            for i in 0..<dimensions { points.append(row(sample: j, role: .ab(i))) }
            points.append(b[j])
        }
        return points
    }
}
