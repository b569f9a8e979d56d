import Testing
@testable import Sensitivity
import Stochastic

/// Uniform x1..x4 on [0, 1); y = (x1 > 0.6 and x2 < 0.3), each label flipped with probability
/// `noise`. Drawn from GSL's mt19937 with the given seed.
private func knownBoxData(seed: UInt, n: Int = 5000, noise: Double = 0.02) throws -> (inputs: [PRIMInput], outcome: [Bool]) {
    let generator = try Generator(kind: .mt19937, seed: seed)
    var columns = [[Double]](repeating: [], count: 4), outcome: [Bool] = []
    for _ in 0..<n {
        let x = (0..<4).map { _ in generator.uniform() }
        for j in 0..<4 { columns[j].append(x[j]) }
        let inside = x[0] > 0.6 && x[1] < 0.3
        outcome.append(generator.uniform() < noise ? !inside : inside)
    }
    return (columns.enumerated().map { .continuous("x\($0 + 1)", $1) }, outcome)
}

private func interval(_ limit: PRIMLimit) -> (lower: Double, upper: Double)? {
    if case let .interval(lower, upper) = limit { return (lower, upper) }
    return nil
}

private func sides(_ list: [(Int, PRIMLimitSide.Side)]) -> [PRIMLimitSide] { list.map { PRIMLimitSide(dimension: $0, side: $1) } }

/// Checks what every trajectory must satisfy: step 0 holds every case, mass falls strictly, no box
/// is below the minimum mass, and every box's statistics match a full scan of its limits.
private func checkTrajectory(_ prim: PRIM, _ trajectory: [PRIMBox], sourceLocation: SourceLocation = #_sourceLocation) {
    let first = trajectory[0]
    #expect(first.cases == prim.cases && first.coverage == 1 && first.mass == 1 && first.restrictedSides.isEmpty, sourceLocation: sourceLocation)
    #expect(first.density == Double(prim.casesOfInterest) / Double(prim.cases), sourceLocation: sourceLocation)
    for (step, box) in trajectory.enumerated() {
        let scanned = prim.box(limits: box.limits)
        #expect(scanned == box, "step \(step): statistics differ from a full scan", sourceLocation: sourceLocation)
        #expect(box.mass >= prim.options.minimumMass - 1e-12, "step \(step): mass \(box.mass)", sourceLocation: sourceLocation)
        #expect(abs(box.coverage - Double(box.casesOfInterest) / Double(prim.casesOfInterest)) < 1e-15, sourceLocation: sourceLocation)
        if step > 0 {
            #expect(box.cases < trajectory[step - 1].cases, "step \(step): mass did not fall", sourceLocation: sourceLocation)
            #expect(box.coverage <= trajectory[step - 1].coverage, sourceLocation: sourceLocation)
        }
    }
}

@Suite("PRIM scenario discovery")
struct PRIMTests {
    @Test("binomial upper tail against exact sums")
    func binomialTail() {
        // Exact values from sum_{i>=k} C(n,i) p^i (1-p)^(n-i) in rational arithmetic.
        let cases: [(k: Int, n: Int, p: Double, expected: Double)] = [
            (8, 10, 0.5, 0.0546875), (10, 20, 0.3, 0.04796189733134348), (1000, 2000, 0.5, 0.5089195055729272),
            (300, 1000, 0.25, 0.00019359032194907896), (5, 5, 0.25, 0.0009765625),
        ]
        for c in cases {
            let value = PRIM.binomialUpperTail(atLeast: c.k, trials: c.n, probability: c.p)
            #expect(abs(value - c.expected) < 1e-10 * max(1, c.expected) + 1e-13, "P(X >= \(c.k) | n = \(c.n), p = \(c.p)) = \(value)")
        }
        #expect(PRIM.binomialUpperTail(atLeast: 0, trials: 5, probability: 0.3) == 1)
        #expect(PRIM.binomialUpperTail(atLeast: 6, trials: 5, probability: 0.3) == 0)
        #expect(PRIM.binomialUpperTail(atLeast: 1, trials: 5, probability: 0) == 0)
        #expect(PRIM.binomialUpperTail(atLeast: 5, trials: 5, probability: 1) == 1)
    }

    @Test("one dimension, peeled one case at a time: the exact trajectory, choice and quasi-p-value")
    func exactOneDimension() throws {
        // x = 1...20, of interest when x > 15. With 20 cases, a 5% slice is 1 case.
        let x = (1...20).map(Double.init)
        let prim = try PRIM(inputs: [.continuous("x", x)], outcome: x.map { $0 > 15 })
        let result = try prim.run()
        checkTrajectory(prim, result.trajectory)
        // Peeling the lowest case raises density (5/19 > 4/19 for the highest); it goes on from below
        // until the box is [15.5, 20] at step 15, then (density 1 everywhere) down to 1 case = 5%.
        #expect(result.trajectory.count == 20)
        for step in 1...15 {
            #expect(result.trajectory[step].limits == [.interval(lower: Double(step) + 0.5, upper: 20)], "step \(step)")
        }
        #expect(result.trajectory.last!.cases == 1)
        #expect(result.chosenStep == 15)
        #expect(result.selection == .maximumDensity(minimumCoverage: 0.5))
        // Pasting x = 15 back would lower density (5/6 < 1): nothing pasted, nothing relaxed.
        #expect(result.pasting.isEmpty && result.relaxed.isEmpty)
        #expect(result.box.limits == [.interval(lower: 15.5, upper: 20)])
        #expect(result.box.restrictedSides == sides([(0, .lower)]))
        #expect(result.box.coverage == 1 && result.box.density == 1 && result.box.mass == 0.25)
        // Without the lower limit the density is 5/20; P(X >= 5 | 5, 0.25) = 0.25^5.
        #expect(result.tests.count == 1)
        #expect(abs(result.tests[0].quasiPValue - 0.0009765625) < 1e-15)
        #expect(result.tests[0].densityWithoutLimit == 0.25)
    }

    @Test("pasting re-expands an over-peeled box while density rises")
    func pastingExact() throws {
        // Of interest: 11...20 except 17. The box [15.5, 20] has density 4/5; pasting adds 15, 14,
        // ..., 11 one at a time (5/6, 6/7, ..., 9/10) and stops before 10 (9/11 < 9/10).
        let x = (1...20).map(Double.init)
        let prim = try PRIM(inputs: [.continuous("x", x)], outcome: x.map { $0 >= 11 && $0 != 17 })
        let steps = prim.paste(prim.box(limits: [.interval(lower: 15.5, upper: 20)]))
        #expect(steps.map(\.cases) == [6, 7, 8, 9, 10])
        #expect(steps.last!.limits == [.interval(lower: 10.5, upper: 20)])
        #expect(steps.last!.density == 0.9)
        // The chosen step (user-picked) is pasted the same way.
        let result = try prim.run(step: 15)
        #expect(result.chosenStep == 15 && result.selection == .step(15))
        #expect(result.box.limits[0] == .interval(lower: 10.5, upper: 20))
    }

    @Test("pasting keeps to the other limits and can add a category back")
    func pastingTwoDimensions() throws {
        // x = 1...20 twice, group a for the first copy and b for the second. Of interest: group b
        // with x >= 11 (10 cases) and group a with x >= 19 (2 cases).
        let x = (1...20).map(Double.init) + (1...20).map(Double.init)
        let group = Array(repeating: "a", count: 20) + Array(repeating: "b", count: 20)
        let outcome = zip(x, group).map { $1 == "b" ? $0 >= 11 : $0 >= 19 }
        let prim = try PRIM(inputs: [.continuous("x", x), .categorical("group", group)], outcome: outcome)
        // The box x in [10.5, 20], group a only: density 2/10. Adding group b back gives 12/20 = 0.6;
        // widening x (cases of group a only, as group is limited) would lower density.
        let start = prim.box(limits: [.interval(lower: 10.5, upper: 20), .categories([0])])
        #expect(start.cases == 10 && start.casesOfInterest == 2)
        let steps = prim.paste(start)
        #expect(steps.count == 1)
        #expect(steps[0].limits == [.interval(lower: 10.5, upper: 20), .categories([0, 1])])
        #expect(steps[0].cases == 20 && steps[0].casesOfInterest == 12)
    }

    @Test("a known box in four uniform inputs: x1 > 0.6 and x2 < 0.3 with 2% label noise")
    func knownBox() throws {
        let (inputs, outcome) = try knownBoxData(seed: 20_240_501)
        let prim = try PRIM(inputs: inputs, outcome: outcome)
        let result = try prim.run()
        checkTrajectory(prim, result.trajectory)
        // Peeling runs down to the minimum mass: one more 5% peel would go below it.
        #expect(result.trajectory.last!.mass * 0.95 < 0.05 + 2.0 / 5000)

        // Default choice (densest step with coverage >= 0.5), pasted and relaxed: exactly x1 from
        // below and x2 from above. A deeper box than the true one is allowed, so x1's limit may sit
        // above 0.6: within [0.58, 0.70]; x2's within [0.27, 0.32].
        let box = result.box
        #expect(box.restrictedSides == sides([(0, .lower), (1, .upper)]), "restricted: \(box.restrictedSides)")
        let x1 = try #require(interval(box.limits[0])), x2 = try #require(interval(box.limits[1]))
        #expect(x1.lower > 0.58 && x1.lower < 0.70, "x1 lower limit \(x1.lower)")
        #expect(x2.upper > 0.27 && x2.upper < 0.32, "x2 upper limit \(x2.upper)")
        #expect(box.density >= 0.95, "density \(box.density)")
        #expect(box.coverage >= 0.5, "coverage \(box.coverage)")
        #expect(result.tests.allSatisfy { $0.quasiPValue < 1e-20 }, "\(result.tests)")
        // Every relaxed side was tested above the significance level and belonged to x3 or x4, or
        // was x1's upper or x2's lower side.
        for test in result.relaxed {
            #expect(test.quasiPValue > 0.05)
            #expect(![PRIMLimitSide(dimension: 0, side: .lower), PRIMLimitSide(dimension: 1, side: .upper)].contains(test.limit))
        }

        // Asking for 80% coverage gives the true box closely: x1 from 0.6 and x2 to 0.3 within
        // 0.03, density >= 0.95 and coverage >= 0.8.
        let wide = try PRIM(inputs: inputs, outcome: outcome, options: PRIM.Options(minimumCoverage: 0.8)).run()
        #expect(wide.box.restrictedSides == sides([(0, .lower), (1, .upper)]), "restricted: \(wide.box.restrictedSides)")
        let w1 = try #require(interval(wide.box.limits[0])), w2 = try #require(interval(wide.box.limits[1]))
        #expect(abs(w1.lower - 0.6) < 0.03, "x1 lower limit \(w1.lower)")
        #expect(abs(w2.upper - 0.3) < 0.03, "x2 upper limit \(w2.upper)")
        #expect(wide.box.density >= 0.95 && wide.box.coverage >= 0.8, "density \(wide.box.density), coverage \(wide.box.coverage)")
    }

    @Test("the true box is found over several seeds (80% coverage)", arguments: [1, 2, 3, 4, 5] as [UInt])
    func knownBoxSeeds(seed: UInt) throws {
        let (inputs, outcome) = try knownBoxData(seed: seed)
        let result = try PRIM(inputs: inputs, outcome: outcome, options: PRIM.Options(minimumCoverage: 0.8)).run()
        #expect(result.box.restrictedSides == sides([(0, .lower), (1, .upper)]), "seed \(seed): \(result.box.restrictedSides)")
        let x1 = try #require(interval(result.box.limits[0])), x2 = try #require(interval(result.box.limits[1]))
        #expect(abs(x1.lower - 0.6) < 0.03 && abs(x2.upper - 0.3) < 0.03, "seed \(seed): x1 > \(x1.lower), x2 < \(x2.upper)")
        #expect(result.box.density >= 0.95 && result.box.coverage >= 0.8, "seed \(seed): density \(result.box.density), coverage \(result.box.coverage)")
    }

    @Test("without relaxing, every side the peeling and pasting left is kept and tested")
    func noRelaxing() throws {
        let (inputs, outcome) = try knownBoxData(seed: 20_240_501)
        let prim = try PRIM(inputs: inputs, outcome: outcome, options: PRIM.Options(significance: 1))
        let result = try prim.run()
        #expect(result.relaxed.isEmpty)
        #expect(result.box == (result.pasting.last ?? result.trajectory[result.chosenStep]))
        #expect(result.tests.map(\.limit) == result.box.restrictedSides)
        for test in result.tests {
            let wider = prim.box(limits: prim.relaxing(test.limit, of: result.box.limits))
            #expect(test.densityWithoutLimit == wider.density)
            #expect(test.quasiPValue == PRIM.binomialUpperTail(atLeast: result.box.casesOfInterest, trials: result.box.cases, probability: wider.density))
        }
    }

    @Test("categorical peeling: exact steps on three categories")
    func exactCategories() throws {
        // a: 10 cases, 9 of interest; b: 10 cases, 1; c: 10 cases, 5. Removing b leaves 14/20 (best),
        // then removing c leaves 9/10; one category left, so peeling stops.
        let labels = Array(repeating: "a", count: 10) + Array(repeating: "b", count: 10) + Array(repeating: "c", count: 10)
        let outcome = (0..<30).map { i in i < 9 || i == 10 || (i >= 20 && i < 25) }
        let prim = try PRIM(inputs: [.categorical("kind", labels)], outcome: outcome)
        let result = try prim.run()
        checkTrajectory(prim, result.trajectory)
        #expect(result.trajectory.map(\.limits) == [[.categories([0, 1, 2])], [.categories([0, 2])], [.categories([0])]])
        #expect(result.trajectory.map(\.casesOfInterest) == [15, 14, 9])
        // Densest with coverage >= 0.5: step 2 (9/10, coverage 0.6).
        #expect(result.chosenStep == 2)
        #expect(result.categories(of: result.box, dimension: 0) == ["a"])
        #expect(result.box.restrictedSides == sides([(0, .categories)]))
    }

    @Test("a known box with categorical inputs: region in {north, east} and x > 0.5")
    func knownCategoricalBox() throws {
        let generator = try Generator(kind: .mt19937, seed: 7)
        let regions = ["north", "south", "east", "west"], colours = ["red", "green", "blue"]
        var x: [Double] = [], noise: [Double] = [], region: [String] = [], colour: [String] = [], outcome: [Bool] = []
        for _ in 0..<4000 {
            x.append(generator.uniform())
            noise.append(generator.uniform())
            region.append(regions[Int(generator.uniform() * 4)])
            colour.append(colours[Int(generator.uniform() * 3)])
            let inside = (region.last! == "north" || region.last! == "east") && x.last! > 0.5
            outcome.append(generator.uniform() < 0.02 ? !inside : inside)
        }
        let prim = try PRIM(inputs: [.continuous("x", x), .categorical("region", region), .continuous("noise", noise),
                                     .categorical("colour", colour)], outcome: outcome)
        let result = try prim.run()
        checkTrajectory(prim, result.trajectory)
        #expect(result.box.restrictedSides == sides([(0, .lower), (1, .categories)]), "restricted: \(result.box.restrictedSides)")
        #expect(Set(result.categories(of: result.box, dimension: 1) ?? []) == ["north", "east"])
        let limit = try #require(interval(result.box.limits[0]))
        #expect(limit.lower > 0.48 && limit.lower < 0.62, "x lower limit \(limit.lower)")
        #expect(result.box.density >= 0.95 && result.box.coverage >= 0.5, "density \(result.box.density), coverage \(result.box.coverage)")
        #expect(result.categories(of: result.box, dimension: 0) == nil)
    }

    @Test("degenerate and invalid input gives clear errors")
    func errors() throws {
        let x: [Double] = [0.1, 0.2, 0.3, 0.4]
        #expect(throws: PRIMError.noCasesOfInterest(cases: 4)) { try PRIM(inputs: [.continuous("x", x)], outcome: [false, false, false, false]) }
        #expect(PRIMError.noCasesOfInterest(cases: 4).description.contains("none of the 4 cases is of interest"))
        #expect(throws: PRIMError.allCasesOfInterest(cases: 4)) { try PRIM(inputs: [.continuous("x", x)], outcome: [true, true, true, true]) }
        #expect(throws: PRIMError.noCases) { try PRIM(inputs: [.continuous("x", [])], outcome: []) }
        #expect(throws: PRIMError.noInputs) { try PRIM(inputs: [], outcome: [true, false]) }
        #expect(throws: PRIMError.lengthMismatch(input: "x", count: 4, expected: 3)) {
            try PRIM(inputs: [.continuous("x", x)], outcome: [true, false, true])
        }
        #expect(throws: PRIMError.nonFiniteValue(input: "x", caseIndex: 2)) {
            try PRIM(inputs: [.continuous("x", [0.1, 0.2, .nan, 0.4])], outcome: [true, false, true, false])
        }
        #expect(throws: PRIMError.self) { try PRIM(inputs: [.continuous("x", x)], outcome: [true, false, true, false], options: PRIM.Options(peelAlpha: 0.5)) }
        #expect(throws: PRIMError.self) { try PRIM(inputs: [.continuous("x", x)], outcome: [true, false, true, false], options: PRIM.Options(minimumMass: 0)) }
        #expect(throws: PRIMError.self) { try PRIM(inputs: [.continuous("x", x)], outcome: [true, false, true, false], options: PRIM.Options(significance: 0)) }
        let prim = try PRIM(inputs: [.continuous("x", x)], outcome: [true, false, true, false])
        let steps = prim.peel().count
        #expect(throws: PRIMError.stepOutOfRange(step: steps, steps: steps)) { try prim.run(step: steps) }
        #expect(PRIMError.stepOutOfRange(step: 9, steps: 3).description == "step 9 is not on the peeling trajectory, which has steps 0 to 2")
    }

    @Test("a constant input cannot be peeled and stays unrestricted")
    func constantInput() throws {
        let x = (1...40).map(Double.init)
        let prim = try PRIM(inputs: [.continuous("flat", Array(repeating: 3, count: 40)), .categorical("one", Array(repeating: "k", count: 40)),
                                     .continuous("x", x)], outcome: x.map { $0 > 30 })
        let result = try prim.run()
        checkTrajectory(prim, result.trajectory)
        #expect(result.trajectory.allSatisfy { $0.restrictedDimensions.allSatisfy { $0 == 2 } })
        #expect(result.box.restrictedSides == sides([(2, .lower)]))
        #expect(result.box.limits[2] == .interval(lower: 30.5, upper: 40))
    }
}
