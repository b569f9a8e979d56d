import Foundation
import Sensitivity
import Stochastic

/// One design point: a base scenario and a value for every factor.
public struct DesignPoint: Sendable {
    /// Index into `SweepSpec.scenarios`.
    public let scenario: Int
    /// One value per factor, in the sweep's factor order.
    public let values: [FactorValue]
}

/// Turns a sweep's design into its design points.
///
/// Points are numbered scenario by scenario: every design point is run on every base scenario
/// (the scenario factor is crossed with the design), so options are compared on matched inputs.
/// Random, Latin hypercube and Morris designs draw from their own GSL stream, seeded like
/// "replication 0" of the sweep seed (runs use replications 1, 2, ...), so the same sweep file
/// always gives the same points. Saltelli and Morris designs (for `lspsim sensitivity`) come from
/// the Sensitivity module, in its documented order, so that point p of the sweep is evaluation p - 1
/// of the `SaltelliDesign` or `MorrisDesign` (per base scenario).
public enum DesignGenerator {
    /// The design points of `spec`, scenario-major.
    public static func points(_ spec: SweepSpec) throws -> [DesignPoint] {
        if let robust = spec.robust { return try robust.points(spec) }
        let rows = try valueRows(spec)
        var points: [DesignPoint] = []
        points.reserveCapacity(rows.count * spec.scenarios.count)
        for scenario in spec.scenarios.indices {
            for row in rows { points.append(DesignPoint(scenario: scenario, values: row)) }
        }
        return points
    }

    /// The factor values of each design point (before crossing with scenarios).
    static func valueRows(_ spec: SweepSpec) throws -> [[FactorValue]] {
        let factors = spec.factors
        if factors.isEmpty { return [[]] }
        switch spec.design.kind {
        case .grid:
            let levels = factors.map(gridValues)
            var rows: [[FactorValue]] = [[]]
            for values in levels {
                rows = rows.flatMap { row in values.map { row + [$0] } }
            }
            return rows
        case .random, .latinHypercube, .sobol:
            let unit = try unitPoints(spec.design.kind, count: spec.design.samples ?? 0, dimensions: factors.count,
                                      seed: spec.seed, generator: spec.generator)
            return unit.map { u in zip(factors, u).map { value(of: $0, at: $1) } }
        case .saltelli:
            return try saltelliDesign(spec).points().map { u in zip(factors, u).map { value(of: $0, at: $1) } }
        case .morris:
            return try morrisDesign(spec).points.map { u in zip(factors, u).map { gridValue(of: $0, at: $1) } }
        }
    }

    /// The Saltelli design of a `saltelli` sweep: N = `samples` base samples in D = factors dimensions.
    public static func saltelliDesign(_ spec: SweepSpec) throws(SensitivityError) -> SaltelliDesign {
        try SaltelliDesign(dimensions: spec.factors.count, baseSamples: spec.design.samples ?? 0)
    }

    /// The Morris design of a `morris` sweep: r = `samples` trajectories on a `levels`-level grid
    /// (default 4), drawn from the design's own stream ("replication 0" of the sweep seed).
    public static func morrisDesign(_ spec: SweepSpec) throws -> MorrisDesign {
        let generator = try designGenerator(seed: spec.seed, kind: spec.generator)
        return try MorrisDesign(dimensions: spec.factors.count, trajectories: spec.design.samples ?? 0,
                                levels: spec.design.levels ?? MorrisDesign.defaultLevels, generator: generator)
    }

    /// Maps a Morris grid coordinate u in [0, 1] (both ends included) onto a factor linearly: a
    /// range's min + u (max - min), exactly max at u = 1, rounded to 12 significant digits (so that
    /// 1/3 of [0, 0.3] reads 0.1), or to the nearest integer for an integer range. A list of values
    /// (which sensitivity sweeps reject) is sliced as in `value(of:at:)`.
    public static func gridValue(of factor: Factor, at u: Double) -> FactorValue {
        switch factor.domain {
        case .values:
            return value(of: factor, at: Swift.min(u, 1 - 1e-12))
        case let .range(min, max, integer, _):
            let x = u >= 1 ? max : min + u * (max - min)
            if integer { return FactorValue(number: x.rounded(), integer: true) }
            return FactorValue(number: Double(String(format: "%.12g", x))!, integer: false)
        }
    }

    /// The values a grid takes for a factor: its list, or `levels` evenly spaced values of its range.
    public static func gridValues(_ factor: Factor) -> [FactorValue] {
        switch factor.domain {
        case let .values(values):
            return values
        case let .range(min, max, integer, levels):
            let count = levels ?? 2
            return (0..<count).map { j in
                let x = j == count - 1 ? max : min + (max - min) * Double(j) / Double(count - 1)
                // Rounded to 12 significant digits, so that 0.1 * 3 / 4 reads 0.075, not 0.07500000000000001.
                return FactorValue(number: Double(String(format: "%.12g", x))!, integer: integer)
            }
        }
    }

    /// Maps u in [0, 1) to a factor's value: a position in its list, or a point of its range
    /// (integer ranges: each of min...max equally likely).
    public static func value(of factor: Factor, at u: Double) -> FactorValue {
        switch factor.domain {
        case let .values(values):
            return values[Swift.min(values.count - 1, Int(u * Double(values.count)))]
        case let .range(min, max, integer, _):
            if integer {
                let span = max - min + 1
                return FactorValue(number: Swift.min(max, (min + (u * span).rounded(.down))), integer: true)
            }
            return FactorValue(number: min + u * (max - min), integer: false)
        }
    }

    /// `count` points in [0, 1)^dimensions by the given design.
    ///
    /// For `saltelli`, `count` is the number of base samples N and there are N (D + 2) points; for
    /// `morris`, the number of trajectories r on a `levels`-level grid (default 4), r (D + 1) points.
    public static func unitPoints(_ kind: DesignKind, count: Int, dimensions: Int, seed: UInt64,
                                  generator kind_: GeneratorKind, levels: Int? = nil) throws -> [[Double]] {
        switch kind {
        case .grid:
            preconditionFailure("a grid has no unit-cube points")
        case .saltelli:
            return try SaltelliDesign(dimensions: dimensions, baseSamples: count).points()
        case .morris:
            return try MorrisDesign(dimensions: dimensions, trajectories: count, levels: levels ?? MorrisDesign.defaultLevels,
                                    generator: try designGenerator(seed: seed, kind: kind_)).points
        case .sobol:
            let sequence = try SobolSequence(dimensions: dimensions)
            return try (0..<count).map { _ in try sequence.next() }
        case .random:
            let generator = try designGenerator(seed: seed, kind: kind_)
            return (0..<count).map { _ in (0..<dimensions).map { _ in generator.uniform() } }
        case .latinHypercube:
            let generator = try designGenerator(seed: seed, kind: kind_)
            var points = [[Double]](repeating: [Double](repeating: 0, count: dimensions), count: count)
            for d in 0..<dimensions {
                var strata = Array(0..<count)
                // Fisher-Yates with GSL's uniform draws.
                for i in stride(from: count - 1, to: 0, by: -1) {
                    let j = Int(generator.uniform() * Double(i + 1))
                    strata.swapAt(i, j)
                }
                for i in 0..<count { points[i][d] = (Double(strata[i]) + generator.uniform()) / Double(count) }
            }
            return points
        }
    }

    /// The design's own stream: "replication 0" of the sweep seed.
    static func designGenerator(seed: UInt64, kind: GeneratorKind) throws -> Generator {
        let generator = try Generator(kind: kind)
        generator.reseed(runSeed: seed, replication: 0)
        return generator
    }
}
