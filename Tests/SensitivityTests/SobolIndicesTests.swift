import Foundation
import Testing
@testable import Sensitivity
import Stochastic

/// The Ishigami function (Ishigami and Homma 1990) on [-pi, pi]^3 with a = 7, b = 0.1.
func ishigami(_ u: [Double]) -> Double {
    let x = u.map { -Double.pi + 2 * Double.pi * $0 }
    return sin(x[0]) + 7 * pow(sin(x[1]), 2) + 0.1 * pow(x[2], 4) * sin(x[0])
}

/// The Ishigami function's exact indices (a = 7, b = 0.1): V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2.
let ishigamiFirst = [0.3139, 0.4424, 0.0]
let ishigamiTotal = [0.5576, 0.4424, 0.2437]

/// Evaluates `f` on a design's points in its order.
func outputs(_ design: SaltelliDesign, _ f: ([Double]) -> Double) -> [Double?] { design.points().map(f) }

@Suite("Saltelli design and Sobol indices")
struct SobolIndicesTests {
    @Test("the design has N (D + 2) points: A, AB_1 ... AB_D, B per base sample, AB_i = A with column i from B")
    func layout() throws {
        let design = try SaltelliDesign(dimensions: 3, baseSamples: 16)
        let points = design.points()
        #expect(points.count == 16 * 5)
        #expect(design.pointCount == 80)
        // Points 2 ... N + 1 of GSL's 6-dimensional Sobol sequence: first 3 coordinates A, last 3 B.
        let sequence = try SobolSequence(dimensions: 6)
        _ = try sequence.next()
        for j in 0..<16 {
            let q = try sequence.next()
            #expect(points[design.position(sample: j, role: .a)] == Array(q[0..<3]), "A row \(j)")
            #expect(points[design.position(sample: j, role: .b)] == Array(q[3..<6]), "B row \(j)")
            #expect(design.position(sample: j, role: .a) == 5 * j)
            #expect(design.position(sample: j, role: .b) == 5 * j + 4)
            for i in 0..<3 {
                let ab = points[design.position(sample: j, role: .ab(i))]
                #expect(design.position(sample: j, role: .ab(i)) == 5 * j + 1 + i)
                for c in 0..<3 { #expect(ab[c] == (c == i ? q[3 + c] : q[c]), "AB_\(i) row \(j) column \(c)") }
            }
        }
        #expect(points.allSatisfy { $0.allSatisfy { $0 >= 0 && $0 < 1 } })
        // A and B differ in every row (the sequence's first point, where they would coincide, is skipped).
        #expect(zip(design.a, design.b).allSatisfy { $0 != $1 })
    }

    @Test("Ishigami, N = 8192: every index within 0.02 of the exact value, and inside its 95% interval")
    func ishigamiIndices() throws {
        // N = 8192 base samples x (3 + 2) = 40,960 evaluations.
        let design = try SaltelliDesign(dimensions: 3, baseSamples: 8192)
        let result = try SobolIndices.estimate(outputs: outputs(design, ishigami), dimensions: 3,
                                               generator: try Generator(kind: .mt19937, seed: 1))
        // Exact variance: 49/8 + 0.1 pi^4 / 5 + 0.01 pi^8 / 18 + 1/2 = 13.8446.
        #expect(abs(result.variance - 13.8446) < 0.3, "V = \(result.variance)")
        #expect(result.samplesUsed == 8192 && result.samplesExcluded == 0)
        #expect(result.resamplesUsed == 1000)
        for i in 0..<3 {
            let s = result.firstOrder[i], t = result.totalOrder[i]
            #expect(abs(s.estimate - ishigamiFirst[i]) < 0.02, "S\(i + 1) = \(s)")
            #expect(abs(t.estimate - ishigamiTotal[i]) < 0.02, "ST\(i + 1) = \(t)")
            #expect(s.contains(ishigamiFirst[i]), "S\(i + 1) = \(s)")
            #expect(t.contains(ishigamiTotal[i]), "ST\(i + 1) = \(t)")
            // Intervals are informative: narrower than 0.1.
            #expect(s.upper - s.lower < 0.1 && t.upper - t.lower < 0.1, "S\(i + 1) = \(s), ST\(i + 1) = \(t)")
        }
    }

    @Test("swapped or mis-scaled estimators are far from Ishigami's exact indices")
    func wrongEstimatorsFail() throws {
        // The exact first- and total-order indices differ by at least 0.24 for x1 and x3, so an
        // implementation returning one for the other cannot pass the 0.02 tolerance above.
        for i in [0, 2] { #expect(abs(ishigamiFirst[i] - ishigamiTotal[i]) > 0.2) }
        // And x2, which has no interactions, has equal indices: S2 = ST2.
        let design = try SaltelliDesign(dimensions: 3, baseSamples: 4096)
        let result = try SobolIndices.estimate(outputs: outputs(design, ishigami), dimensions: 3,
                                               generator: try Generator(kind: .mt19937, seed: 2))
        #expect(abs(result.firstOrder[1].estimate - result.totalOrder[1].estimate) < 0.02)
        // x3 acts only through its interaction with x1: S3 about 0, ST3 about 0.24.
        #expect(abs(result.firstOrder[2].estimate) < 0.02 && result.totalOrder[2].estimate > 0.2)
    }

    @Test("an additive linear function: S_i = ST_i = c_i^2 / sum c_j^2 (uniform inputs of equal range)")
    func linear() throws {
        let c = [1.0, 2.0, -3.0, 0.0]
        let design = try SaltelliDesign(dimensions: 4, baseSamples: 2048)
        let result = try SobolIndices.estimate(outputs: outputs(design) { u in zip(c, u).map(*).reduce(0, +) + 10 },
                                               dimensions: 4, generator: try Generator(seed: 3))
        let total = c.map { $0 * $0 }.reduce(0, +)
        for i in 0..<4 {
            let exact = c[i] * c[i] / total
            #expect(abs(result.firstOrder[i].estimate - exact) < 0.01, "S\(i + 1) = \(result.firstOrder[i])")
            #expect(abs(result.totalOrder[i].estimate - exact) < 0.01, "ST\(i + 1) = \(result.totalOrder[i])")
        }
        // An input with no effect has total index exactly 0: f(A) = f(AB_4) in every row.
        #expect(result.totalOrder[3].estimate == 0 && result.totalOrder[3].lower == 0 && result.totalOrder[3].upper == 0)
        // Variance of sum c_i U_i: sum c_i^2 / 12.
        #expect(abs(result.variance - total / 12) < 0.05 * total / 12)
        #expect(abs(result.mean - (10 + (1 + 2 - 3) * 0.5)) < 0.01)
    }

    @Test("missing outputs exclude their whole base sample; the rest are estimated as before")
    func missing() throws {
        let design = try SaltelliDesign(dimensions: 3, baseSamples: 1024)
        var values = outputs(design, ishigami)
        let full = try SobolIndices.estimate(outputs: values, dimensions: 3, generator: try Generator(seed: 4))
        values[design.position(sample: 7, role: .ab(1))] = nil
        values[design.position(sample: 500, role: .b)] = nil
        values[design.position(sample: 501, role: .a)] = nil
        let partial = try SobolIndices.estimate(outputs: values, dimensions: 3, generator: try Generator(seed: 4))
        #expect(partial.samplesUsed == 1021 && partial.samplesExcluded == 3)
        for i in 0..<3 { #expect(abs(partial.totalOrder[i].estimate - full.totalOrder[i].estimate) < 0.02) }
        // Equal to estimating on the design without those base samples.
        let kept = (0..<1024).filter { ![7, 500, 501].contains($0) }
        let compact = kept.flatMap { j in (0..<5).map { values[5 * j + $0] } }
        let direct = try SobolIndices.estimate(outputs: compact, dimensions: 3, generator: try Generator(seed: 4))
        #expect(direct.firstOrder.map(\.estimate) == partial.firstOrder.map(\.estimate))
        #expect(direct.totalOrder.map(\.estimate) == partial.totalOrder.map(\.estimate))
    }

    @Test("the same generator seed gives the same intervals; another seed, slightly different ones")
    func reproducible() throws {
        let design = try SaltelliDesign(dimensions: 3, baseSamples: 256)
        let values = outputs(design, ishigami)
        let one = try SobolIndices.estimate(outputs: values, dimensions: 3, generator: try Generator(seed: 9))
        let two = try SobolIndices.estimate(outputs: values, dimensions: 3, generator: try Generator(seed: 9))
        let other = try SobolIndices.estimate(outputs: values, dimensions: 3, generator: try Generator(seed: 10))
        #expect(one.firstOrder == two.firstOrder && one.totalOrder == two.totalOrder)
        #expect(one.firstOrder.map(\.estimate) == other.firstOrder.map(\.estimate))
        #expect(one.firstOrder.map(\.lower) != other.firstOrder.map(\.lower))
    }

    @Test("edge cases are clear errors: constant output, too few samples, wrong sizes, non-finite values")
    func edges() throws {
        let generator = try Generator(seed: 1)
        let design = try SaltelliDesign(dimensions: 2, baseSamples: 8)
        #expect(throws: SensitivityError.constantOutput(value: 4)) {
            try SobolIndices.estimate(outputs: design.points().map { _ in 4.0 }, dimensions: 2, generator: generator)
        }
        #expect(throws: SensitivityError.tooFewSamples(got: 1, needed: 2, what: "base samples")) {
            try SaltelliDesign(dimensions: 2, baseSamples: 1)
        }
        #expect(throws: SensitivityError.self) { try SaltelliDesign(dimensions: 21, baseSamples: 8) }
        #expect(throws: SensitivityError.self) { try SaltelliDesign(dimensions: 0, baseSamples: 8) }
        #expect(throws: SensitivityError.self) {
            try SobolIndices.estimate(outputs: Array(repeating: 1.0, count: 31), dimensions: 2, generator: generator)
        }
        var values: [Double?] = design.points().map { $0[0] + $0[1] }
        values[3] = .nan
        do {
            _ = try SobolIndices.estimate(outputs: values, dimensions: 2, generator: generator)
            Issue.record("a NaN output was accepted")
        } catch {
            guard case .nonFiniteOutput(position: 3, _) = error else { Issue.record("unexpected \(error)"); return }
        }
        // Every base sample but one has a missing output.
        let sparse: [Double?] = design.points().enumerated().map { $0.offset < 4 || $0.offset % 4 == 1 ? $0.element[0] : nil }
        #expect(throws: SensitivityError.tooFewUsable(used: 1, of: 8, needed: 2, what: "base samples")) {
            try SobolIndices.estimate(outputs: sparse, dimensions: 2, generator: generator)
        }
        #expect(throws: SensitivityError.bootstrap(resamples: 10, confidence: 0.95)) {
            try SobolIndices.estimate(outputs: design.points().map { $0[0] }, dimensions: 2, resamples: 10, generator: generator)
        }
        // The messages say what is wrong.
        #expect(SensitivityError.constantOutput(value: 4).description.contains("constant"))
    }
}
