import Foundation
import Testing
import PartnershipModel
import ScenarioFile
import Stochastic

/// Hand-computed test cases: two small deterministic scenarios whose every output was worked out
/// on paper from SPEC.md (Fixtures/hand-computed.md), independently of the simulator's code.
///
/// The expected numbers are the exact (rational) answers rounded once to a Double; the simulator's
/// floating-point arithmetic must agree to a relative 1e-9 (absolute 1e-12 near zero).
@Suite("Hand-computed cases worked from SPEC.md")
struct HandComputedTests {
    @Test("y_k(t), quarter records and run summary agree with the working", arguments: HandComputedCase.all)
    func agreesWithWorking(_ expected: HandComputedCase) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(expected.fixture)")
        let template = try ScenarioLoader.load(path: url.path)
        let model = try #require(template.fixedModel, "\(expected.fixture) should have no distributions")
        let simulator = Simulator(model: model)
        let generator = try Generator(kind: .mt19937, seed: 1)
        let summary = simulator.run(generator: generator)
        let name = expected.fixture

        let lastQuarter = expected.values.count - 1
        for quarter in 0...lastQuarter {
            for (column, id) in expected.indicators.enumerated() {
                let got = simulator.indicatorValue(quarter: quarter, indicator: column)
                let want = expected.values[quarter][column]
                #expect(agrees(got, want), "\(name): y_\(id)(\(quarter)) = \(got), hand-computed \(want)")
            }
        }

        for quarter in 1...lastQuarter {
            let got = simulator.quarterRecord(quarter)
            let want = expected.quarters[quarter - 1]
            #expect(agrees(got.alignedShare, want.alignedShare),
                    "\(name): quarter \(quarter) aligned share = \(got.alignedShare), hand-computed \(want.alignedShare)")
            #expect(agrees(got.meanTrust, want.meanTrust),
                    "\(name): quarter \(quarter) mean trust = \(got.meanTrust), hand-computed \(want.meanTrust)")
            #expect(agrees(got.pooled, want.pooled),
                    "\(name): quarter \(quarter) pooled = \(got.pooled), hand-computed \(want.pooled)")
            #expect(agrees(got.overhead, want.overhead),
                    "\(name): quarter \(quarter) overhead = \(got.overhead), hand-computed \(want.overhead)")
            #expect(got.engaged == want.engaged,
                    "\(name): quarter \(quarter) engaged = \(got.engaged), hand-computed \(want.engaged)")
            if let moved = want.moved {
                #expect(agrees(got.moved, moved), "\(name): quarter \(quarter) moved = \(got.moved), hand-computed \(moved)")
            }
        }

        #expect(summary.targetsTotal == expected.targetsTotal, "\(name): targets_total = \(summary.targetsTotal)")
        #expect(summary.targetsMet == expected.targetsMet, "\(name): targets_met = \(summary.targetsMet)")
        let measures: [(String, Double, Double)] = [
            ("targets_met_share", summary.targetsMetShare, expected.targetsMetShare),
            ("mean_progress", summary.meanProgress, expected.meanProgress),
            ("reward_grant", summary.rewardGrant, expected.rewardGrant),
            ("aligned_share_mean", summary.alignedShareMean, expected.alignedShareMean),
            ("pooled_total", summary.pooledTotal, expected.pooledTotal),
            ("overhead_total", summary.overheadTotal, expected.overheadTotal),
            ("mean_trust_final", summary.meanTrustFinal, expected.meanTrustFinal),
            ("fragmentation", summary.fragmentation, expected.fragmentation),
        ]
        if let moved = expected.moneyMovedShare {
            #expect(agrees(summary.moneyMovedShare, moved), "\(name): money_moved_share = \(summary.moneyMovedShare), hand-computed \(moved)")
        }
        for (measure, got, want) in measures {
            #expect(agrees(got, want), "\(name): \(measure) = \(got), hand-computed \(want)")
        }
    }
}

/// Relative 1e-9, or absolute 1e-12 where either value is near zero.
private func agrees(_ a: Double, _ b: Double) -> Bool {
    if a == b { return true }
    let difference = abs(a - b)
    if abs(a) < 1e-12 || abs(b) < 1e-12 { return difference <= 1e-12 }
    return difference <= 1e-9 * max(abs(a), abs(b))
}

/// One quarter's expected record (SPEC.md step 6).
struct HandComputedQuarter: Sendable {
    let alignedShare: Double
    let meanTrust: Double
    let pooled: Double
    let overhead: Double
    let engaged: Int
    /// moved(t), where the working computes it (the version 2 case).
    var moved: Double? = nil
}

/// A fixture and the outputs worked out by hand for it (seed 1, one replication).
struct HandComputedCase: Sendable, CustomTestStringConvertible {
    /// File name in Fixtures/.
    let fixture: String
    /// Indicator ids in file order (for messages).
    let indicators: [String]
    /// y_k(t): values[t][k] for t = 0...T.
    let values: [[Double]]
    /// Quarter records for t = 1...T.
    let quarters: [HandComputedQuarter]
    let targetsTotal: Int
    let targetsMet: Int
    let targetsMetShare: Double
    let meanProgress: Double
    let rewardGrant: Double
    let alignedShareMean: Double
    let pooledTotal: Double
    let overheadTotal: Double
    let meanTrustFinal: Double
    let fragmentation: Double
    /// Where the working computes it (the version 2 case).
    var moneyMovedShare: Double? = nil

    var testDescription: String { fixture }

    static let all: [HandComputedCase] = [singleTier, twoTier, versionTwo]

    /// hand-computed-v2.yaml: worked in exact arithmetic by hand-computed-v2.py (model version 2:
    /// district pooling and commissioning, the review's cost and the performance pull, moving
    /// district priorities, trust eroded by the money others withhold, money moved).
    static let versionTwo = HandComputedCase(
        fixture: "hand-computed-v2.yaml",
        indicators: ["JOBS", "PARKS"],
        values: [
            [50.0, 10.0],  // t = 0
            [49.5, 9.8],  // t = 1
            [50.05212338236115, 9.693392075662178],  // t = 2
        ],
        quarters: [
            HandComputedQuarter(alignedShare: 0.9085087682584857, meanTrust: 0.30522727272727274, pooled: 1.03897,
                                overhead: 0.3999485, engaged: 2, moved: 1.0773245),  // t = 1
            HandComputedQuarter(alignedShare: 0.9033176872638831, meanTrust: 0.278961673553719, pooled: 1.04111,
                                overhead: 0.3760555, engaged: 2, moved: 1.139884337376267),  // t = 2
        ],
        targetsTotal: 1, targetsMet: 0, targetsMetShare: 0,
        meanProgress: 0.02606169118057614, rewardGrant: 0,
        alignedShareMean: 0.9059132277611843, pooledTotal: 2.08008,
        overheadTotal: 0.776004, meanTrustFinal: 0.278961673553719,
        fragmentation: 0.46088771694214875, moneyMovedShare: 0.009640038423375075
    )

    /// hand-computed.yaml: hand-computed.md, part A.
    static let singleTier = HandComputedCase(
        fixture: "hand-computed.yaml",
        indicators: ["JOBS", "CRIME"],
        values: [
            [50.0, 20.0],  // t = 0
            [50.2, 19.7],  // t = 1
            [51.173606511365485, 19.03650009775023],  // t = 2
            [52.15069296455004, 18.38329465581452],  // t = 3
        ],
        quarters: [
            HandComputedQuarter(alignedShare: 0.9240447052947053, meanTrust: 0.6285, pooled: 1.0725, overhead: 0.275, engaged: 2),  // t = 1
            HandComputedQuarter(alignedShare: 0.9459224465204576, meanTrust: 0.625965, pooled: 1.0725, overhead: 0.275, engaged: 2),  // t = 2
            HandComputedQuarter(alignedShare: 0.9683459936208708, meanTrust: 0.62345535, pooled: 1.0725, overhead: 0.275, engaged: 2),  // t = 3
        ],
        targetsTotal: 2, targetsMet: 1, targetsMetShare: 0.5,
        meanProgress: 1.1668014995177458, rewardGrant: 8.584488274250063,
        alignedShareMean: 0.9461043818120113, pooledTotal: 3.2175,
        overheadTotal: 0.825, meanTrustFinal: 0.62345535,
        fragmentation: 0.0
    )

    /// hand-computed-two-tier.yaml: hand-computed.md, part B.
    static let twoTier = HandComputedCase(
        fixture: "hand-computed-two-tier.yaml",
        indicators: ["HOMES", "DELAYS", "LITTER"],
        values: [
            [100.0, 30.0, 10.0],  // t = 0
            [102.0, 30.3, 9.5],  // t = 1
            [104.90704985278451, 30.563538863081543, 9.0],  // t = 2
            [107.79661065089317, 30.815730422883547, 8.5],  // t = 3
        ],
        quarters: [
            HandComputedQuarter(alignedShare: 0.9724185844550586, meanTrust: 0.5, pooled: 0.973, overhead: 0.2835, engaged: 1),  // t = 1
            HandComputedQuarter(alignedShare: 0.949597051452693, meanTrust: 0.5, pooled: 0.973, overhead: 0.2835, engaged: 1),  // t = 2
            HandComputedQuarter(alignedShare: 0.8318605864913329, meanTrust: 0.5, pooled: 0.973, overhead: 0.2835, engaged: 1),  // t = 3
        ],
        targetsTotal: 2, targetsMet: 1, targetsMetShare: 0.5,
        meanProgress: 0.15884590847809751, rewardGrant: 3.0,
        alignedShareMean: 0.9179587407996949, pooledTotal: 2.919,
        overheadTotal: 0.8505, meanTrustFinal: 0.5,
        fragmentation: 0.26380368098159507
    )
}
