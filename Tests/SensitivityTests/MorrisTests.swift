import Foundation
import Testing
@testable import Sensitivity
import Stochastic

@Suite("Morris design and elementary effects")
struct MorrisTests {
    @Test("trajectories: D + 1 grid points, each input moving once by exactly +-delta, in a random order",
          arguments: [(2, 3), (4, 5), (6, 8), (8, 2)])
    func design(_ levels: Int, _ dimensions: Int) throws {
        let design = try MorrisDesign(dimensions: dimensions, trajectories: 200, levels: levels, generator: try Generator(seed: 7))
        let delta = Double(levels) / (2 * Double(levels - 1))
        #expect(design.delta == delta)
        #expect(design.points.count == 200 * (dimensions + 1))
        let grid = (0..<levels).map { Double($0) / Double(levels - 1) }
        var orders = Set<[Int]>(), starts = [Int](repeating: 0, count: levels), ups = 0
        for t in 0..<200 {
            #expect(design.movedInput[t].sorted() == Array(0..<dimensions), "trajectory \(t) moves each input once")
            orders.insert(design.movedInput[t])
            for k in 0...dimensions {
                let point = design.points[design.position(trajectory: t, point: k)]
                #expect(point.allSatisfy { x in grid.contains { abs($0 - x) < 1e-15 } }, "trajectory \(t) point \(k) on the grid")
                if k == 0 {
                    for x in point { starts[Int((x * Double(levels - 1)).rounded())] += 1 }
                    continue
                }
                let before = design.points[design.position(trajectory: t, point: k - 1)]
                let changed = (0..<dimensions).filter { point[$0] != before[$0] }
                let input = design.movedInput[t][k - 1], up = design.movedUp[t][k - 1]
                #expect(changed == [input], "trajectory \(t) step \(k)")
                #expect(abs((point[input] - before[input]) - (up ? delta : -delta)) < 1e-12, "trajectory \(t) step \(k)")
                if up { ups += 1 }
            }
        }
        // Random: many different orders, both directions about equally often, and starts spread
        // over every grid level a step can start from.
        if dimensions >= 3 { #expect(orders.count > 5) }
        let steps = Double(200 * dimensions)
        let share: Double = Double(ups) / steps
        let bound: Double = 5 * (0.25 / steps).squareRoot()
        #expect(abs(share - 0.5) < bound, "share of upward steps \(share)")
        #expect(starts.allSatisfy { $0 > 0 }, "start levels \(starts)")
    }

    @Test("a linear function: every effect is c_i times the input's range; mu = that, mu* = |that|, sigma = 0")
    func linear() throws {
        let c = [2.0, -0.5, 0.0, 3.0]
        let ranges: [(min: Double, max: Double)] = [(0, 1), (10, 30), (-1, 1), (0.2, 0.7)]
        let design = try MorrisDesign(dimensions: 4, trajectories: 20, levels: 4, generator: try Generator(seed: 11))
        func f(_ u: [Double]) -> Double {
            var sum = 0.0
            for i in 0..<4 { sum += c[i] * (ranges[i].min + u[i] * (ranges[i].max - ranges[i].min)) }
            return sum
        }
        let outputs: [Double?] = design.points.map(f)
        let result = try MorrisEffects.estimate(outputs: outputs, design: design, generator: try Generator(seed: 1))
        for i in 0..<4 {
            let exact = c[i] * (ranges[i].max - ranges[i].min)
            let input = result.inputs[i]
            #expect(abs(input.mu - exact) < 1e-9, "input \(i + 1): mu \(input.mu), expected \(exact)")
            #expect(abs(input.muStar.estimate - abs(exact)) < 1e-9, "input \(i + 1): mu* \(input.muStar)")
            #expect(input.sigma < 1e-9, "input \(i + 1): sigma \(input.sigma)")
            #expect(input.effects == 20)
            #expect(abs(input.muStar.lower - abs(exact)) < 1e-9 && abs(input.muStar.upper - abs(exact)) < 1e-9)
        }
        #expect(result.elementaryEffects.allSatisfy { $0.count == 20 })
    }

    @Test("effects of opposite signs: mu near 0 while mu* and sigma are large; mu* inside its interval")
    func interaction() throws {
        // f = x1 (x2 - 0.5): the effect of x1 is x2 - 0.5, positive or negative; of x2, x1 >= 0.
        let design = try MorrisDesign(dimensions: 3, trajectories: 400, levels: 4, generator: try Generator(seed: 5))
        let outputs: [Double?] = design.points.map { $0[0] * ($0[1] - 0.5) }
        let result = try MorrisEffects.estimate(outputs: outputs, design: design, generator: try Generator(seed: 2))
        let x1 = result.inputs[0], x2 = result.inputs[1], x3 = result.inputs[2]
        #expect(abs(x1.mu) < 0.05, "mu of x1: \(x1.mu)")
        #expect(x1.muStar.estimate > 0.3, "mu* of x1: \(x1.muStar)")
        #expect(x1.sigma > 0.3)
        #expect(x2.mu > 0.3 && abs(x2.mu - x2.muStar.estimate) < 1e-12)
        #expect(x3.mu == 0 && x3.muStar.estimate == 0 && x3.sigma == 0)
        for input in result.inputs {
            #expect(input.muStar.lower <= input.muStar.estimate && input.muStar.estimate <= input.muStar.upper)
        }
        // Every effect of x1 is x2 - 0.5 at its level: one of -0.5, -1/6, 1/6, 0.5.
        #expect(result.elementaryEffects[0].allSatisfy { e in [-0.5, -1.0 / 6, 1.0 / 6, 0.5].contains { abs($0 - e) < 1e-12 } })
    }

    @Test("missing outputs drop only the effects of the steps they end")
    func missing() throws {
        let design = try MorrisDesign(dimensions: 3, trajectories: 10, generator: try Generator(seed: 3))
        var outputs: [Double?] = design.points.map { $0[0] + 2 * $0[1] }
        outputs[design.position(trajectory: 2, point: 1)] = nil  // ends steps 1 and 2 of trajectory 2
        outputs[design.position(trajectory: 5, point: 0)] = nil  // starts step 1 of trajectory 5 only
        let result = try MorrisEffects.estimate(outputs: outputs, design: design, generator: try Generator(seed: 1))
        #expect(result.effectsExcluded == 3)
        #expect(result.inputs.map(\.effects).reduce(0, +) == 30 - 3)
        #expect(abs(result.inputs[1].muStar.estimate - 2) < 1e-9)
    }

    @Test("constant output: all effects 0, no error")
    func constant() throws {
        let design = try MorrisDesign(dimensions: 2, trajectories: 5, generator: try Generator(seed: 3))
        let result = try MorrisEffects.estimate(outputs: design.points.map { _ in 0.25 }, design: design, generator: try Generator(seed: 1))
        for input in result.inputs {
            #expect(input.mu == 0 && input.muStar.estimate == 0 && input.sigma == 0 && input.muStar.upper == 0)
        }
    }

    @Test("bad designs and outputs are clear errors")
    func errors() throws {
        let generator = try Generator(seed: 1)
        #expect(throws: SensitivityError.levels(got: 3)) { try MorrisDesign(dimensions: 2, trajectories: 5, levels: 3, generator: generator) }
        #expect(throws: SensitivityError.levels(got: 0)) { try MorrisDesign(dimensions: 2, trajectories: 5, levels: 0, generator: generator) }
        #expect(throws: SensitivityError.tooFewSamples(got: 1, needed: 2, what: "trajectories")) {
            try MorrisDesign(dimensions: 2, trajectories: 1, generator: generator)
        }
        #expect(throws: SensitivityError.self) { try MorrisDesign(dimensions: 0, trajectories: 5, generator: generator) }
        let design = try MorrisDesign(dimensions: 2, trajectories: 3, generator: generator)
        #expect(throws: SensitivityError.outputCount(expected: 9, got: 8, design: "a Morris design of 3 trajectories in 2 inputs")) {
            try MorrisEffects.estimate(outputs: Array(repeating: 1.0, count: 8), design: design, generator: generator)
        }
        // Input 1 left with a single effect.
        var outputs: [Double?] = design.points.map { $0[0] }
        for t in 0..<2 { outputs[design.position(trajectory: t, point: 0)] = nil; outputs[design.position(trajectory: t, point: 2)] = nil }
        #expect(throws: SensitivityError.self) { try MorrisEffects.estimate(outputs: outputs, design: design, generator: generator) }
        #expect(SensitivityError.levels(got: 3).description.contains("even"))
    }
}
