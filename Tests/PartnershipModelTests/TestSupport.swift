import Foundation
import PartnershipModel
import Stochastic

/// Paths shared by the tests.
enum TestPaths {
    /// The package root (three levels above this file).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The reference cases of SPEC.md (Tests/Fixtures/reference; see ORIGIN.md there).
    static let reference = root.appendingPathComponent("Tests/Fixtures/reference")
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let scenarios = root.appendingPathComponent("scenarios")
}

/// Relative closeness (absolute near zero), as the reference cases specify.
func close(_ a: Double, _ b: Double, relative: Double = 1e-9, absolute: Double = 1e-12) -> Bool {
    if a == b { return true }
    let difference = abs(a - b)
    if abs(b) < absolute || abs(a) < absolute { return difference <= absolute }
    return difference <= relative * max(abs(a), abs(b))
}

/// Reads a CSV file into rows of fields (no quoting needed for lspsim's outputs).
func readCSV(_ url: URL) throws -> [[String]] {
    let text = try String(contentsOf: url, encoding: .utf8)
    return text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
}

/// Random small scenarios for property tests, drawn with GSL from a seed.
enum RandomScenario {
    static func make(seed: UInt, twoTier: Bool? = nil, version: ModelVersion = .current) throws -> Scenario {
        let g = try Generator(kind: .taus2, seed: seed)
        func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(g.uniform() * Double(range.count)) }
        func real(_ a: Double, _ b: Double) -> Double { g.uniform(min: a, max: b) }
        let isTwoTier = twoTier ?? (g.uniform() < 0.5)
        let k = int(1...6)
        var indicators: [Indicator] = []
        for c in 0..<k {
            let baseline = real(-50, 100)
            let higher = g.uniform() < 0.5
            indicators.append(Indicator(
                id: "I\(c)", name: "Indicator \(c)", baseline: baseline,
                target: baseline + real(-5, 5), higherIsBetter: higher, trend: real(-0.5, 0.5),
                responsiveness: real(0, 2), noiseSD: g.uniform() < 0.3 ? 0 : real(0, 0.5),
                laaTarget: c == 0 || g.uniform() < 0.6))
        }
        let n = int(1...8)
        let kinds = PartnerKind.allCases
        var partners: [Partner] = []
        for i in 0..<n {
            var tier = PartnerTier.area
            if isTwoTier {
                // Partner 0 stays at county level so that the lead board is never empty.
                tier = i == 0 ? .county : (g.uniform() < 0.6 ? .district("D\(int(0...2))") : .county)
            }
            var interests: [(id: String, weight: Double)] = []
            var capability: [(id: String, value: Double)] = []
            for c in 0..<k {
                if g.uniform() < 0.6 { interests.append(("I\(c)", real(0, 4))) }
                if g.uniform() < 0.6 { capability.append(("I\(c)", real(0, 1))) }
            }
            interests.append(("I0", real(0.1, 2)))
            partners.append(Partner(
                id: "p\(i)", name: "Partner \(i)", kind: kinds[int(0...(kinds.count - 1))], tier: tier,
                budget: real(1, 900), discretionary: real(0, 0.2), namedPartner: g.uniform() < 0.5,
                openness: real(0, 1), trust: real(0, 1), interests: interests, capability: capability))
        }
        if isTwoTier && !partners.contains(where: { $0.tier.districtName != nil }) {
            partners[partners.count - 1].tier = .district("D0")
            if partners.count == 1 {
                partners.append(Partner(id: "p1", name: "County", kind: .countyCouncil, tier: .county, budget: 100,
                                        discretionary: 0.05, openness: 0.5, trust: 0.5, interests: [("I0", 1)]))
            }
        }
        let levelSets: [Set<GovernanceLevel>] = [[], [.strategic], [.executive], [.thematic], [.strategic, .executive],
                                                 [.executive, .thematic], [.strategic, .executive, .thematic]]
        let rule = DecisionRule.allCases[int(0...2)]
        let governance = Governance(
            levels: levelSets[int(0...(levelSets.count - 1))], decisionRule: rule,
            leadPartner: partners[int(0...(partners.count - 1))].id, pooledFraction: real(0, 0.3),
            performanceManagement: real(0, 1), reviewEvery: int(1...4), leadership: real(0, 1),
            scrutiny: real(0, 1), centralBurden: real(0, 0.05), commissioning: real(0, 1))
        var model = ModelConstants(version: version)
        model.poolOverhead = real(0, 0.3)
        model.reviewCost = real(0, 0.05)
        model.disengagement = real(0, 1)
        model.budgetVolatility = real(0, 0.3)
        model.deliveryLag = int(0...3)
        model.peerWeight = real(0, 1)
        model.returns = real(0.2, 1)
        model.reprioritisation = real(0, 2)
        model.trustLearning = real(0, 0.3)
        model.freeRidingSensitivity = real(0, 1)
        model.cultureBuilding = real(0, 0.1)
        model.namedBoost = real(0, 2)
        model.rewardPot = real(0, 10)
        return Scenario(name: "random \(seed)", tier: isTwoTier ? .twoTier : .single, quarters: int(1...16),
                        indicators: indicators, partners: partners, governance: governance, model: model)
    }
}
