import Foundation
import Testing
@testable import Experiments
import Results
import Stochastic

/// The sensitivity designs (saltelli, morris) inside the sweep machinery.
@Suite("Sweeps: sensitivity designs")
struct SensitivityDesignTests {
    static let ranges = """
        factors:
          - path: governance.leadership
            range: {min: 0.2, max: 0.9}
          - path: partners[id=police].openness
            range: {min: 0.2, max: 0.5}
          - path: model.delivery_lag
            range: {min: 0, max: 3, integer: true}
        """

    @Test("a saltelli design: N (D + 2) points per scenario; AB_i takes factor i from B and the rest from A")
    func saltelli() throws {
        let factors = [try factor("governance.leadership", min: 0.2, max: 0.9), try factor("governance.scrutiny", min: 0, max: 1),
                       try factor("model.peer_weight", min: 0, max: 0.3)]
        let points = try DesignGenerator.points(spec(factors, .saltelli, samples: 64, scenarios: 2))
        #expect(points.count == 2 * 64 * 5)
        #expect(points.prefix(320).allSatisfy { $0.scenario == 0 } && points.suffix(320).allSatisfy { $0.scenario == 1 })
        for j in 0..<64 {
            let block = points[(5 * j)..<(5 * j + 5)].map { $0.values.map { $0.number! } }
            let a = block[0], b = block[4]
            #expect(a != b, "base sample \(j): A and B differ")
            for i in 0..<3 {
                for c in 0..<3 { #expect(block[1 + i][c] == (c == i ? b[c] : a[c]), "base sample \(j), AB_\(i), factor \(c)") }
            }
            // The second scenario runs the same points.
            #expect(points[320 + 5 * j].values.map(\.label) == points[5 * j].values.map(\.label))
        }
        let leadership = points.map { $0.values[0].number! }
        #expect(leadership.allSatisfy { $0 >= 0.2 && $0 < 0.9 })
    }

    @Test("a morris design: r (D + 1) points, one factor changing per step, on the grid, integers rounded, max reached")
    func morris() throws {
        let factors = [try factor("governance.leadership", min: 0.2, max: 0.8), try factor("model.delivery_lag", min: 0, max: 3, integer: true),
                       try factor("model.peer_weight", min: 0, max: 0.3)]
        var design = spec(factors, .morris, samples: 30, seed: 4)
        design.design.levels = 4
        let points = try DesignGenerator.points(design)
        #expect(points.count == 30 * 4)
        #expect(Set(points.map { $0.values[0].label }) == ["0.2", "0.4", "0.6", "0.8"])
        #expect(Set(points.map { $0.values[1].label }) == ["0", "1", "2", "3"])
        #expect(Set(points.map { $0.values[2].label }) == ["0", "0.1", "0.2", "0.3"])
        let morris = try DesignGenerator.morrisDesign(design)
        for t in 0..<30 {
            for k in 1...3 {
                let before = points[4 * t + k - 1].values.map(\.label), after = points[4 * t + k].values.map(\.label)
                let changed = (0..<3).filter { before[$0] != after[$0] }
                #expect(changed == [morris.movedInput[t][k - 1]], "trajectory \(t) step \(k)")
            }
        }
        // The same sweep gives the same design; another seed another.
        #expect(try DesignGenerator.points(design).map { $0.values.map(\.label) } == points.map { $0.values.map(\.label) })
        design.seed = 5
        #expect(try DesignGenerator.points(design).map { $0.values.map(\.label) } != points.map { $0.values.map(\.label) })
    }

    @Test("sensitivity sweeps need ranges, at most 20 factors for saltelli, samples, and even morris levels")
    func validation() throws {
        let twentyOne = (0..<21).map { "  - path: indicators[\($0 % 13)].\(["trend", "noise_sd"][$0 / 13])\n    range: {min: 0, max: 0.1}\n" }.joined()
        let cases: [(String, String)] = [
            ("design: {type: saltelli, samples: 8}\nfactors:\n  - path: governance.decision_rule\n    values: [consensus, lead_partner]\n",
             "factors[0].values: a saltelli design (sensitivity analysis) needs every factor as a range"),
            ("design: {type: morris, samples: 8}\nfactors:\n  - path: governance.pooled_fraction\n    values: [0, 0.1]\n",
             "factors[0].values: a morris design (sensitivity analysis) needs every factor as a range"),
            ("design: {type: saltelli, samples: 8}\nfactors:\n" + twentyOne, "a saltelli design takes at most 20 factors"),
            ("design: {type: saltelli}\nfactors:\n  - path: governance.leadership\n    range: {min: 0, max: 1}\n",
             "design.samples: is required for a saltelli design (the number of base samples N"),
            ("design: {type: morris, samples: 1}\nfactors:\n  - path: governance.leadership\n    range: {min: 0, max: 1}\n",
             "a morris design needs at least 2 trajectories"),
            ("design: {type: saltelli, samples: 1}\nfactors:\n  - path: governance.leadership\n    range: {min: 0, max: 1}\n",
             "a saltelli design needs at least 2 base samples"),
            ("design: {type: morris, samples: 10, levels: 5}\nfactors:\n  - path: governance.leadership\n    range: {min: 0, max: 1}\n",
             "design.levels: must be even"),
            ("design: {type: sobol, samples: 10, levels: 4}\nfactors:\n  - path: governance.leadership\n    range: {min: 0, max: 1}\n",
             "design.levels: applies to morris designs only"),
            ("design: {type: factorial}\n", "design.type: must be one of grid, random, latin_hypercube, sobol, saltelli, morris"),
        ]
        for (body, expected) in cases {
            let found = try sweepErrors(body)
            #expect(found.contains { $0.contains(expected) }, "expected '\(expected)' in \(found)")
        }
        #expect(try sweepErrors("design: {type: morris, samples: 3, levels: 6}\n" + Self.ranges).isEmpty)
        #expect(try sweepErrors("design: {type: saltelli, samples: 3}\n" + Self.ranges).isEmpty)
    }

    @Test("a replaced design ignores the file's grid levels and takes the file's samples only when asked")
    func replacedDesign() throws {
        let fixture = try SweepFixture("""
            design: {type: morris, samples: 5, levels: 6}
            factors:
              - path: governance.leadership
                range: {min: 0.2, max: 0.9}
                levels: 3
              - path: governance.scrutiny
                range: {min: 0, max: 1}
                levels: 2
            """)
        defer { fixture.remove() }
        // Read as a sweep, the grid levels are errors for a morris design.
        #expect(throws: (any Error).self) { try SweepLoader.load(path: fixture.sweepPath) }
        var seen: DesignSpec?
        let plan = try SweepLoader.load(path: fixture.sweepPath) { file in
            seen = file
            return DesignSpec(kind: .saltelli, samples: 16)
        }
        #expect(seen?.kind == .morris && seen?.samples == 5 && seen?.levels == 6)
        #expect(plan.spec.design.kind == .saltelli && plan.points.count == 16 * 4)
        let morris = try SweepLoader.load(path: fixture.sweepPath) { file in
            DesignSpec(kind: .morris, samples: file?.samples ?? 20, levels: file?.levels)
        }
        #expect(morris.points.count == 5 * 3)
        #expect(Set(morris.points.map { $0.values[1].label }) == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        // A replacement that breaks the rules is reported.
        #expect(throws: (any Error).self) {
            try SweepLoader.load(path: fixture.sweepPath) { _ in DesignSpec(kind: .morris, samples: 5, levels: 3) }
        }
    }

    @Test("a store refuses to resume with another design of the same file, and runs resume with the same one")
    func resumeChecksDesign() throws {
        let fixture = try SweepFixture(Self.ranges, replications: 2)
        defer { fixture.remove() }
        let folder = fixture.folder.appendingPathComponent("s")
        func open(_ design: DesignSpec, mode: SweepStore.Mode) throws -> (SweepPlan, ResultStore) {
            let plan = try SweepLoader.load(path: fixture.sweepPath) { _ in design }
            return (plan, try SweepStore.open(plan: plan, directory: folder, shard: nil, mode: mode))
        }
        do {
            // The first writer's store is closed (and its writer lock released) at the end of this block.
            let (plan, store) = try open(DesignSpec(kind: .morris, samples: 3), mode: .new)
            let outcome = try SweepRunner(plan: plan, store: store, jobs: 2).run(progress: nil, stop: StopRequest())
            #expect(outcome.computed == 3 * 4 * 2 && outcome.failedNow == 0)
        }
        #expect { try open(DesignSpec(kind: .morris, samples: 4), mode: .resume) } throws: { error in
            "\(error)".contains("the design has changed from a morris design of 3 samples to a morris design of 4 samples")
        }
        #expect { try open(DesignSpec(kind: .morris, samples: 3, levels: 6), mode: .resume) } throws: { error in
            "\(error)".contains("the design points have changed")
        }
        #expect { try open(DesignSpec(kind: .saltelli, samples: 3), mode: .resume) } throws: { error in
            "\(error)".contains("the design has changed from a morris design of 3 samples to a saltelli design")
        }
        let (again, resumed) = try open(DesignSpec(kind: .morris, samples: 3), mode: .resume)
        let second = try SweepRunner(plan: again, store: resumed, jobs: 1).run(progress: nil, stop: StopRequest())
        #expect(second.computed == 0 && second.alreadyStored == 24)
    }
}
