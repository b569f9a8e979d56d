import Foundation
import Testing
import Yams
@testable import Experiments
import Stochastic

/// A sweep spec with the given factors and design, for design tests (no files involved).
func spec(_ factors: [Factor], _ kind: DesignKind, samples: Int? = nil, seed: UInt64 = 1, scenarios: Int = 1) -> SweepSpec {
    SweepSpec(file: "test.yaml", name: "test", description: nil, scenarios: (0..<scenarios).map { "s\($0).yaml" },
              factors: factors, design: DesignSpec(kind: kind, samples: samples), replications: 1, seed: seed,
              generator: .mt19937, keepIndicators: false, keepQuarters: false)
}

func factor(_ path: String, values: [String]) throws -> Factor {
    Factor(name: path, path: try FactorPath(path), domain: .values(values.map { FactorValue(node: Node($0)) }))
}

func factor(_ path: String, min: Double, max: Double, integer: Bool = false, levels: Int? = nil) throws -> Factor {
    Factor(name: path, path: try FactorPath(path), domain: .range(min: min, max: max, integer: integer, levels: levels))
}

@Suite("Experimental designs")
struct DesignTests {
    @Test("a grid enumerates every combination exactly once, first factor slowest, crossed with scenarios")
    func grid() throws {
        let factors = [try factor("governance.decision_rule", values: ["consensus", "resource_weighted", "lead_partner"]),
                       try factor("governance.pooled_fraction", min: 0, max: 0.1, levels: 5),
                       try factor("governance.levels", values: ["[strategic]", "[executive]"])]
        let points = try DesignGenerator.points(spec(factors, .grid, scenarios: 2))
        #expect(points.count == 2 * 3 * 5 * 2)
        let labels = points.map { "\($0.scenario)|" + $0.values.map(\.label).joined(separator: "|") }
        #expect(Set(labels).count == points.count)
        #expect(labels[0] == "0|consensus|0|[strategic]")
        #expect(labels[1] == "0|consensus|0|[executive]")
        #expect(labels[2] == "0|consensus|0.025|[strategic]")
        #expect(labels[10] == "0|resource_weighted|0|[strategic]")
        #expect(labels[30] == "1|consensus|0|[strategic]")
        // Evenly spaced levels including both ends.
        #expect(Set(points.map { $0.values[1].number! }) == [0, 0.025, 0.05, 0.075, 0.1])
    }

    @Test("an integer range in a grid takes integer levels")
    func integerGrid() throws {
        let values = DesignGenerator.gridValues(try factor("model.delivery_lag", min: 0, max: 4, integer: true, levels: 5))
        #expect(values.map(\.label) == ["0", "1", "2", "3", "4"])
    }

    @Test("a Latin hypercube has exactly one sample in each of the n strata of every factor", arguments: [7, 50, 333])
    func latinHypercube(_ n: Int) throws {
        let points = try DesignGenerator.unitPoints(.latinHypercube, count: n, dimensions: 4, seed: 9, generator: .mt19937)
        #expect(points.count == n)
        for d in 0..<4 {
            let strata = points.map { Int($0[d] * Double(n)) }
            #expect(strata.sorted() == Array(0..<n), "dimension \(d)")
        }
        // Not simply the diagonal: the factors' strata are permuted independently.
        #expect(points.map { Int($0[0] * Double(n)) } != points.map { Int($0[1] * Double(n)) })
    }

    @Test("a Sobol design is GSL's Sobol sequence, starting at (0.5, 0.5, 0.5)")
    func sobol() throws {
        let points = try DesignGenerator.unitPoints(.sobol, count: 5, dimensions: 3, seed: 1, generator: .mt19937)
        // Printed by a C program calling gsl_qrng_get on gsl_qrng_sobol in 3 dimensions.
        let expected: [[Double]] = [[0.5, 0.5, 0.5], [0.75, 0.25, 0.75], [0.25, 0.75, 0.25], [0.375, 0.375, 0.625], [0.875, 0.875, 0.125]]
        #expect(points == expected)
        // Mapped onto a range and a list.
        let range = try factor("governance.pooled_fraction", min: 0, max: 0.2)
        #expect(DesignGenerator.value(of: range, at: 0.75).number == 0.15000000000000002 || DesignGenerator.value(of: range, at: 0.75).number == 0.15)
        let list = try factor("governance.decision_rule", values: ["a", "b", "c"])
        #expect([0.0, 0.33, 0.34, 0.66, 0.67, 0.999].map { DesignGenerator.value(of: list, at: $0).label } == ["a", "a", "b", "b", "c", "c"])
    }

    @Test("a random design covers each range uniformly and is the same for the same seed")
    func random() throws {
        let factors = [try factor("governance.pooled_fraction", min: 0.01, max: 0.09), try factor("model.delivery_lag", min: 0, max: 3, integer: true)]
        let rows = try DesignGenerator.points(spec(factors, .random, samples: 4000, seed: 5))
        let x = rows.map { $0.values[0].number! }
        #expect(x.allSatisfy { $0 >= 0.01 && $0 < 0.09 })
        #expect(x.min()! < 0.0102 && x.max()! > 0.0898)
        let mean = x.reduce(0, +) / Double(x.count)
        #expect(abs(mean - 0.05) < 5 * (0.08 / 12.0.squareRoot()) / Double(x.count).squareRoot())
        let lags = rows.map { $0.values[1].label }
        for lag in ["0", "1", "2", "3"] {
            let share = Double(lags.filter { $0 == lag }.count) / 4000
            #expect(abs(share - 0.25) < 5 * (0.25 * 0.75 / 4000).squareRoot(), "lag \(lag): \(share)")
        }
        let again = try DesignGenerator.points(spec(factors, .random, samples: 4000, seed: 5))
        #expect(again.map { $0.values[0].label } == x.map { String($0) })
        let other = try DesignGenerator.points(spec(factors, .random, samples: 4000, seed: 6))
        #expect(other.map { $0.values[0].label } != again.map { $0.values[0].label })
    }
}

@Suite("Factor paths")
struct FactorPathTests {
    static let scenario = """
        name: x
        area: {tier: single}
        indicators:
          - {id: NI1, name: a}
        partners:
          - {id: council, name: C, interests: {NI1: 1}}
          - {id: police, name: P, interests: {NI1: 2}}
        governance:
          levels: [strategic]
        """

    @Test("paths parse into keys, positions and id selectors")
    func parse() throws {
        #expect(try FactorPath("partners[id=police].interests.NI1").components == [.key("partners"), .id("police"), .key("interests"), .key("NI1")])
        #expect(try FactorPath("partners[1].openness").components == [.key("partners"), .index(1), .key("openness")])
        for bad in ["", "a..b", "partners[x]", "partners[-1]", "[0]", "partners[id=]", "partners[1"] {
            #expect(throws: FactorPath.Problem.self, "\(bad)") { try FactorPath(bad) }
        }
    }

    @Test("setting a value replaces or adds the field and leaves the rest alone")
    func set() throws {
        let root = try #require(try Yams.compose(yaml: Self.scenario))
        let a = try FactorPath("partners[id=police].interests.NI1").setting(Node("7"), in: root)
        #expect(a["partners"]?[1]?["interests"]?["NI1"]?.string == "7")
        #expect(a["partners"]?[0]?["interests"]?["NI1"]?.string == "1")
        let b = try FactorPath("model.tier_attenuation").setting(Node("0.2"), in: root)
        #expect(b["model"]?["tier_attenuation"]?.string == "0.2")
        let c = try FactorPath("governance.levels").setting(Node.sequence(.init([Node("executive")])), in: root)
        #expect(c["governance"]?["levels"]?[0]?.string == "executive")
        #expect(c["governance"]?["levels"]?.sequence?.count == 1)
    }

    @Test("a path that addresses nothing is an error naming what exists")
    func nothing() throws {
        let root = try #require(try Yams.compose(yaml: Self.scenario))
        #expect { try FactorPath("partners[id=fire].openness").setting(Node("1"), in: root) } throws: { error in
            "\(error)".contains("no item of partners has id 'fire' (ids: council, police)")
        }
        #expect { try FactorPath("partners[5].openness").setting(Node("1"), in: root) } throws: { error in
            "\(error)".contains("partners has 2 items")
        }
        #expect { try FactorPath("name.first").setting(Node("1"), in: root) } throws: { error in
            "\(error)".contains("name is not a mapping")
        }
    }
}
