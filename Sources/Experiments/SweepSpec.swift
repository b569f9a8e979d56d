import Stochastic
import Yams

/// A sweep: base scenarios, factors, a design, replications and a seed (docs/SWEEPS.md).
public struct SweepSpec: Sendable {
    /// The sweep file as the user named it.
    public var file: String
    public var name: String
    public var description: String?
    /// Base scenario files (paths resolved against the sweep file's folder). With more than one,
    /// the scenario is a factor crossed with every design point.
    public var scenarios: [String]
    /// The factors, in file order (the scenario factor, if any, is not among them).
    public var factors: [Factor]
    public var design: DesignSpec
    /// Replications per design point.
    public var replications: Int
    /// The sweep seed S; replication r of every point uses generator seed (S, r): common random numbers.
    public var seed: UInt64
    public var generator: GeneratorKind
    /// Whether to store per-quarter indicator values and quarter records.
    public var keepIndicators: Bool
    public var keepQuarters: Bool
    /// Options crossed with sampled worlds (`options:`, `uncertainties:`, `worlds:`; docs/ROBUST.md),
    /// whose design points `RobustDesign` generates; nil for an ordinary sweep.
    public var robust: RobustDesign? = nil
    /// The calibration posterior the calibrated fields are drawn from (`posterior: DIR`), if any.
    public var posterior: SweepPosterior? = nil
}

/// A sweep's `posterior: DIR` (docs/CALIBRATION.md, "Using the posterior in sweeps").
public struct SweepPosterior: Sendable {
    /// DIR as written in the sweep file, and the posterior read from it (resolved against the file).
    public let written: String
    public let source: PosteriorSource
    /// How the posterior's particles are used.
    public let use: Use

    public enum Use: Sendable, Equatable {
        /// Every run draws one particle by weight (as `lspsim run --posterior`): one uniform from
        /// its input stream, before its other uncertain inputs. Replication r draws the same particle
        /// at every design point (common random numbers).
        case perReplication
        /// A robust sweep's `worlds: {from: posterior}`: each world is one particle, drawn by
        /// weight when the worlds are sampled; its values are design factors of the world's points.
        case perWorld
    }
}

/// One input varied by a sweep.
public struct Factor: Sendable {
    /// The factor's name: its field path as written (`governance.pooled_fraction`).
    public var name: String
    public var path: FactorPath
    public var domain: Domain

    public enum Domain: Sendable {
        /// A list of values (numbers, words or lists, as the scenario field takes them).
        case values([FactorValue])
        /// A continuous (or integer) range; `levels` evenly spaced values for a grid.
        case range(min: Double, max: Double, integer: Bool, levels: Int?)
    }
}

/// A YAML value a factor can take, with a short label for tables.
public struct FactorValue: @unchecked Sendable {
    /// The value as a YAML node, inserted into the scenario's tree. (Yams nodes are immutable values.)
    public let node: Node
    /// A short label: `0.05`, `consensus`, `[strategic, executive]`.
    public let label: String
    /// The numeric value where the value is a number.
    public let number: Double?
    /// Whether the value is set in the scenario; false for records only (a robust sweep's option
    /// name and world number, and an option's "leave the scenario's default" marker).
    public internal(set) var applies = true

    public init(node: Node) {
        self.node = node
        label = Self.label(node)
        number = node.scalar.flatMap { YAMLNumber.parse($0.string) }
    }

    public init(number: Double, integer: Bool) {
        let integral = integer || (number.rounded() == number && abs(number) < 1e15)
        let text = integral ? String(Int64(number.rounded())) : String(number)
        node = Node(text)
        label = text
        self.number = integer ? number.rounded() : number
    }

    static func label(_ node: Node) -> String {
        switch node {
        case let .scalar(scalar): return scalar.string
        case let .sequence(sequence): return "[" + sequence.map(label).joined(separator: ", ") + "]"
        case let .mapping(mapping): return "{" + mapping.map { "\(label($0.key)): \(label($0.value))" }.joined(separator: ", ") + "}"
        case .alias: return "*alias"
        }
    }
}

/// The kind of experimental design.
public enum DesignKind: String, Sendable, CaseIterable {
    /// Full factorial: every combination of the factors' values (ranges need `levels`).
    case grid
    /// Independent uniform draws per factor.
    case random
    /// Latin hypercube: one sample per stratum per factor.
    case latinHypercube = "latin_hypercube"
    /// GSL's Sobol quasi-random sequence.
    case sobol
    /// Saltelli's scheme for Sobol sensitivity indices (`Sensitivity.SaltelliDesign`): `samples`
    /// base samples N give N (D + 2) points for D factors (ranges only, at most 20).
    case saltelli
    /// Morris's trajectories for elementary effects (`Sensitivity.MorrisDesign`): `samples`
    /// trajectories r give r (D + 1) points on a `levels`-level grid (ranges only).
    case morris

    /// Whether the design is one of the sensitivity designs, which need every factor as a range.
    public var isSensitivity: Bool { self == .saltelli || self == .morris }
}

/// The design of a sweep.
public struct DesignSpec: Sendable {
    public var kind: DesignKind
    /// Number of design points for random, latin_hypercube and sobol; of base samples N for
    /// saltelli; of trajectories r for morris.
    public var samples: Int?
    /// Grid levels p of a morris design (even, >= 2); nil means `MorrisDesign.defaultLevels` (4).
    public var levels: Int? = nil

    public init(kind: DesignKind, samples: Int?, levels: Int? = nil) {
        self.kind = kind
        self.samples = samples
        self.levels = levels
    }
}

import ScenarioFile

/// YAML 1.2 number parsing shared with scenario files.
enum YAMLNumber {
    static func parse(_ text: String) -> Double? { YAMLReader.parseNumber(text) }
}
