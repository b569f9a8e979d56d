import Foundation
import Testing
@testable import Experiments
import Results

@Suite("Robustness metrics against values computed by hand")
struct RobustnessTests {
    // Three options in four worlds (each value: an option's mean share of targets met in a world).
    static let example = Robustness(options: ["A", "B", "C"], values: [
        [0.5, 0.7, 0.6, 0.8],
        [0.6, 0.6, 0.7, 0.5],
        [0.4, 0.9, 0.6, 0.7],
    ], threshold: 0.65)

    @Test("mean, 10th percentile, regret (mean, 90th percentile, maximum) and satisficing")
    func metrics() throws {
        let m = Self.example.metrics
        // Best per world: 0.6, 0.9, 0.7, 0.8. Regrets: A 0.1 0.2 0.1 0; B 0 0.3 0 0.3; C 0.2 0 0.1 0.1.
        let expected: [(mean: Double, p10: Double, rMean: Double, rP90: Double, rMax: Double, met: Int)] = [
            (0.65, 0.53, 0.1, 0.17, 0.2, 2),   // p10: 0.5 + 0.3 x 0.1; regret p90: 0.1 + 0.7 x 0.1
            (0.60, 0.53, 0.15, 0.3, 0.3, 1),
            (0.65, 0.46, 0.1, 0.17, 0.2, 2),   // p10: 0.4 + 0.3 x 0.2
        ]
        for (got, want) in zip(m, expected) {
            #expect(abs(got.mean - want.mean) < 1e-12)
            #expect(abs(got.p10 - want.p10) < 1e-12)
            #expect(abs(got.regretMean - want.rMean) < 1e-12)
            #expect(abs(got.regretP90 - want.rP90) < 1e-12)
            #expect(abs(got.regretMax - want.rMax) < 1e-12)
            #expect(got.satisficed == want.met)
            #expect(abs(got.satisficing - Double(want.met) / 4) < 1e-12)
        }
        // Wilson 95% for 2 of 4: centre 0.5, half-width 1.96/(1+1.96^2/4) x sqrt(1/16 + 1.96^2/64) = 0.34997.
        #expect(abs(m[0].satisficingLower - 0.15003) < 1e-4)
        #expect(abs(m[0].satisficingUpper - 0.84997) < 1e-4)
    }

    @Test("pairwise: A beats B in half the worlds; ties (equal values) count for neither")
    func pairwise() {
        let beats = Self.example.beats
        #expect(beats[0][1] == 0.5 && beats[1][0] == 0.5)
        #expect(beats[0][2] == 0.5 && beats[2][0] == 0.25)   // world 3: 0.6 against 0.6
        #expect(beats[1][2] == 0.5 && beats[2][1] == 0.5)
        #expect(beats[0][0] == 0)
    }

    @Test("the conclusion names the winners of each criterion and says where they disagree")
    func conclusion() {
        let verdicts = Self.example.verdicts
        #expect(verdicts.map(\.winners) == [["A", "C"], ["A", "B"], ["A", "C"], ["A", "C"], ["A", "C"], ["A", "C"]])
        let text = Self.example.conclusion
        // A wins (or ties) every criterion: no disagreement, but the ties are named.
        #expect(text.contains("Every metric picks 'A' (tied on the highest mean share of targets met with 'C'; on the highest 10th percentile with 'B';"))
        let single = Robustness(options: ["X", "Y"], values: [[0.7, 0.8], [0.5, 0.6]])
        #expect(single.conclusion.contains("Every metric picks 'X'"))
        let split = Robustness(options: ["Steady", "Bold"], values: [[0.6, 0.6, 0.6, 0.6], [0.9, 0.9, 0.9, 0.3]])
        // Bold: mean 0.75, regret 0, 0, 0, 0.3 (mean 0.075, p90 0.21); Steady: mean 0.6, regret 0.3, 0.3, 0.3, 0
        // (mean 0.225, p90 0.3); both have maximum regret 0.3. Steady's p10 is 0.6, Bold's 0.48; only
        // Steady meets 0.6 in every world.
        #expect(split.verdicts.map(\.winners) == [["Bold"], ["Steady"], ["Bold"], ["Bold"], ["Steady", "Bold"], ["Steady"]])
        #expect(split.conclusion.contains("The metrics disagree. 'Bold' wins 4 of 6 criteria (tied on the lowest maximum regret with 'Steady'); highest 10th percentile (best in the worst tenth of worlds) picks 'Steady'; highest satisficing share (worlds meeting 60.0% of targets) picks 'Steady'."))
        #expect(split.conclusion.contains("'Bold' beats 'Steady' in 75.0% of worlds and loses in 25.0%."))
    }

    /// A robust sweep's data by hand: options "current" and "Pool 10%" in worlds 1-3, two
    /// replications each; `model.returns` is the uncertainty, the pooled fraction the option's.
    static func data(failWorld3: Bool = false) -> SweepData {
        let factors = ["scenario", "option", "world", "governance.pooled_fraction", "model.returns"]
        var values: [[String]] = [], numbers: [[Double?]] = []
        let returns = [0.5, 0.7, 0.9]
        for (option, pool) in [("current", 0.05), ("Pool 10%", 0.1)] {
            for w in 0..<3 {
                values.append(["unitary.yaml", option, "\(w + 1)", "\(pool)", "\(returns[w])"])
                numbers.append([nil, nil, Double(w + 1), pool, returns[w]])
            }
        }
        var runs: [StoredRun] = []
        for point in 1...6 {
            for r in 1...2 {
                var measures = [Double](repeating: 0, count: ResultStore.measureColumns.count)
                // Share of targets met: point/10 + (replication 1: 0, 2: 0.02).
                measures[Analysis.shareIndex] = Double(point) / 10 + (r == 2 ? 0.02 : 0)
                let failed = failWorld3 && point == 6
                runs.append(StoredRun(point: point, replication: r, measures: failed ? nil : measures, error: failed ? "x" : nil))
            }
        }
        return SweepData(factors: factors, pointValues: values, pointNumbers: numbers, runs: runs)
    }

    @Test("a store's runs become option x world means, and the uncertainties are recognised")
    func fromData() throws {
        let data = try RobustData(Self.data())
        #expect(data.options == ["current", "Pool 10%"])
        #expect(data.worlds == ["1", "2", "3"])
        #expect(data.uncertainties == ["model.returns"])
        #expect(data.worldValues.map { $0[0].number } == [0.5, 0.7, 0.9])
        let share = data.means[Analysis.shareIndex]
        for (o, row) in share.enumerated() {
            for (w, value) in row.enumerated() { #expect(abs(value - (Double(3 * o + w + 1) / 10 + 0.01)) < 1e-12) }
        }
        // Pool 10% is better in every world by 0.3: current's regret is 0.3 everywhere.
        let m = data.robustness().metrics
        #expect(abs(m[0].regretMax - 0.3) < 1e-12 && m[1].regretMax == 0)

        let partial = try RobustData(Self.data(failWorld3: true))
        #expect(partial.worlds == ["1", "2"] && partial.droppedWorlds == 1 && partial.failedRuns == 2)

        let plain = SweepData(factors: ["scenario", "governance.pooled_fraction"], pointValues: [["u", "0"]], pointNumbers: [[nil, 0]], runs: [])
        #expect(throws: RobustData.Problem.self) { try RobustData(plain) }
    }

    @Test("vulnerabilities: PRIM finds the range of the uncertainty in which the option fails, and not the irrelevant one")
    func vulnerability() throws {
        // 200 worlds; option A meets 70% of targets where x < 0.5 and 50% above; B always 65%.
        let n = 200
        let x = (0..<n).map { (Double($0) + 0.5) / Double(n) }
        let y = (0..<n).map { Double(($0 * 37) % n) / Double(n) }
        var values: [[String]] = [], numbers: [[Double?]] = [], runs: [StoredRun] = []
        for option in ["A", "B"] {
            for w in 0..<n {
                values.append(["u", option, "\(w + 1)", "\(x[w])", "\(y[w])"])
                numbers.append([nil, nil, Double(w + 1), x[w], y[w]])
                var measures = [Double](repeating: 0, count: ResultStore.measureColumns.count)
                measures[Analysis.shareIndex] = option == "B" ? 0.65 : (x[w] < 0.5 ? 0.7 : 0.5)
                runs.append(StoredRun(point: values.count, replication: 1, measures: measures, error: nil))
            }
        }
        let data = try RobustData(SweepData(factors: ["scenario", "option", "world", "x", "y"], pointValues: values, pointNumbers: numbers, runs: runs))
        let found = try Vulnerability(data, option: "A", threshold: 0.6, tolerance: 0.01)
        #expect(found.vulnerable == 100 && found.worlds == 200)
        // Only x is restricted, from below, close to 0.5 (peeling takes slices of 5% of the box).
        #expect(found.limits.count == 1)
        let limit = try #require(found.limits.first)
        #expect(limit.hasPrefix("x is at least "))
        let low = try #require(Double(limit.dropFirst("x is at least ".count)))
        #expect(low >= 0.5 && low <= 0.53)
        #expect(found.sentence.contains("in 100.0% of worlds"))
        #expect(throws: RobustData.Problem.self) { try Vulnerability(data, option: "Z", threshold: 0.6, tolerance: 0.01) }
        // B (65% everywhere) never misses 60%, and is beaten by 0.05 exactly where x < 0.5.
        let beaten = try Vulnerability(data, option: "B", threshold: 0.6, tolerance: 0.01, condition: .beaten)
        #expect(beaten.vulnerable == 100 && beaten.limits.count == 1 && beaten.limits[0].hasPrefix("x is at most 0.4"))
        #expect(throws: (any Error).self) { try Vulnerability(data, option: "B", threshold: 0.6, tolerance: 0.01, condition: .misses) }
    }
}
