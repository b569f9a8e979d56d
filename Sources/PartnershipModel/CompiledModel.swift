/// A valid scenario turned into the flat arrays and derived quantities that one run needs
/// (SPEC.md, "Derived, fixed for the run"). Matrices are row-major, partner by indicator (N x K).
public struct CompiledModel: Sendable {
    /// An error for a scenario that is not valid.
    public struct InvalidScenario: Error, CustomStringConvertible, Sendable {
        public let issues: [ScenarioIssue]
        public var description: String { issues.map(\.description).joined(separator: "\n") }
    }

    /// The scenario compiled.
    public let scenario: Scenario
    /// Which dynamics of SPEC.md run: the differences live in the rules named in `Simulator`.
    public let version: ModelVersion
    /// N, K, T and the delivery lag.
    public let partnerCount: Int, indicatorCount: Int, quarters: Int, deliveryLag: Int

    // Indicators.
    let baseline: [Double], target: [Double], direction: [Double], trend: [Double]
    let responsiveness: [Double], noiseSD: [Double]
    /// 1 for designated LAA targets, else 0.
    let laaMask: [Bool]

    // Partners.
    let budget: [Double]
    /// Sum of B_i: the area's annual budgets (version 1's free-riding and money moved divide by it).
    let totalBudget: Double
    /// delta_i * B_i / 4: a quarter's discretionary budget before volatility.
    let quarterlyDiscretionary: [Double]
    let openness: [Double], initialTrust: [Double]
    /// n_i * chi_i: the LAA's pull factor beyond lambda_i * r * tau_i.
    let laaPullFactor: [Double]
    /// Whether partner i is a district partner (tier district:NAME).
    let isDistrictPartner: [Bool]
    /// chi_i: 1 - kappa for a district partner, else 1.
    let tierFactor: [Double]
    /// The share of a partner's net discretionary spend that the pool asks of it, before
    /// engagement: pi_eff in version 1, pi_eff * chi_i in version 2 (V2.4).
    let poolShare: [Double]
    /// delta_i * B_i: the annual discretionary budget, the weight of i's withdrawal (V2.7).
    let discretionaryBudget: [Double]
    /// Sum of delta_i * B_i over all partners.
    let totalDiscretionaryBudget: Double
    /// w_i, normalised (N x K).
    public let interests: [Double]
    /// cap_ik (N x K).
    let capability: [Double]
    /// q_i(p_d) for district partners, 0 elsewhere (N x K).
    let districtAsk: [Double]
    /// max_i cap_ik over all partners (K).
    let maxCapability: [Double]

    // Boards: board 0 is the lead board, board 1 + d is district d's.
    /// Members of each board, board b's being boardMembers[boardStart[b] ..< boardStart[b + 1]].
    let boardMembers: [Int], boardStart: [Int]
    /// Each partner's home board.
    let homeBoard: [Int]

    /// p(0), the agreed LAA priorities (K).
    public let initialPriorities: [Double]
    /// p_d, each district's priorities (D x K).
    public let districtPriorities: [Double]
    /// omega_d, each district's share of all district-tier budgets (D).
    public let districtWeights: [Double]
    /// How much of indicator k's fragmentation penalty applies: 1 in version 1, zeta_k (the share
    /// of k's capacity at district tier) in version 2 (V2.6).
    public let fragmentationExposure: [Double]
    /// a_d's factor before district trust: (1 - kappa) * r (V2.6; 0 in version 1).
    let districtMovement: Double

    // Governance, derived.
    /// r = L (a_S [S] + a_E [E] + a_H [H]).
    public let reach: Double
    /// beta, the overhead rate.
    public let overheadRate: Double
    let hasExecutive: Bool
    let pooledFraction: Double, performanceStrength: Double, synergy: Double, cultureBuilding: Double
    let reviewEvery: Int, leadership: Double, scrutiny: Double
    /// omega, the skill of pooled commissioning (V2.4).
    let commissioning: Double
    /// beta_P, the pool's transaction cost (V2.4; 0 in version 1).
    let poolOverhead: Double
    /// beta_R, the extra overhead rate of a review quarter (V2.5; 0 in version 1).
    let reviewCost: Double

    // Model constants used in the quarter loop.
    let peerWeight: Double, returns: Double, fragmentationPenalty: Double, reprioritisation: Double
    let trustLearning: Double, freeRidingSensitivity: Double, disengagement: Double
    let budgetVolatility: Double, poolBonus: Double, rewardThreshold: Double, rewardPot: Double

    /// Compiles `scenario`, which must be valid.
    public init(_ scenario: Scenario) throws(InvalidScenario) {
        let issues = scenario.validationIssues()
        guard issues.isEmpty else { throw InvalidScenario(issues: issues) }
        self.scenario = scenario
        let version = scenario.model.version
        self.version = version
        let n = scenario.partners.count, k = scenario.indicators.count
        let indicators = scenario.indicators, partners = scenario.partners
        let model = scenario.model, governance = scenario.governance
        partnerCount = n
        indicatorCount = k
        quarters = scenario.quarters
        deliveryLag = model.deliveryLag

        baseline = indicators.map(\.baseline)
        target = indicators.map(\.target)
        direction = indicators.map(\.direction)
        trend = indicators.map(\.trend)
        responsiveness = indicators.map(\.responsiveness)
        noiseSD = indicators.map(\.noiseSD)
        laaMask = indicators.map(\.laaTarget)
        var column: [String: Int] = [:]
        for (index, indicator) in indicators.enumerated() { column[indicator.id] = index }

        // Partners' dense interest and capability rows.
        var interests = [Double](repeating: 0, count: n * k)
        var capability = [Double](repeating: 0, count: n * k)
        for (i, partner) in partners.enumerated() {
            for entry in partner.interests { interests[i * k + column[entry.id]!] += entry.weight }
            for entry in partner.capability { capability[i * k + column[entry.id]!] = entry.value }
            Self.normalize(&interests, row: i, width: k)
        }
        self.interests = interests
        self.capability = capability
        var maxCapability = [Double](repeating: 0, count: k)
        for i in 0..<n {
            for c in 0..<k { maxCapability[c] = max(maxCapability[c], capability[i * k + c]) }
        }
        self.maxCapability = maxCapability

        budget = partners.map(\.budget)
        totalBudget = budget.reduce(0, +)
        quarterlyDiscretionary = partners.map { $0.discretionary * $0.budget / 4 }
        openness = partners.map(\.openness)
        initialTrust = partners.map(\.trust)
        isDistrictPartner = partners.map { $0.tier.districtName != nil }
        let nu = model.namedBoost, kappa = model.tierAttenuation
        tierFactor = partners.map { $0.tier.districtName != nil ? 1 - kappa : 1 }
        discretionaryBudget = partners.map { $0.discretionary * $0.budget }
        totalDiscretionaryBudget = discretionaryBudget.reduce(0, +)
        laaPullFactor = partners.map { partner in
            let named = (1 + nu * (partner.namedPartner ? 1 : 0)) / (1 + nu)
            let chi = partner.tier.districtName != nil ? 1 - kappa : 1
            return named * chi
        }

        // Boards.
        let districts = scenario.districtNames
        var districtIndex: [String: Int] = [:]
        for (d, name) in districts.enumerated() { districtIndex[name] = d }
        var members: [[Int]] = Array(repeating: [], count: 1 + districts.count)
        var home = [Int](repeating: 0, count: n)
        for (i, partner) in partners.enumerated() {
            if scenario.isOnLeadBoard(partner) { members[0].append(i) }
            if let name = partner.tier.districtName {
                let board = 1 + districtIndex[name]!
                members[board].append(i)
                home[i] = board
            }
        }
        boardMembers = members.flatMap { $0 }
        boardStart = members.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        homeBoard = home

        // Clout on a board, by the decision rule.
        func clout(_ board: [Int]) -> [Double] {
            switch governance.decisionRule {
            case .consensus:
                return board.map { _ in 1 }
            case .resourceWeighted:
                return board.map { partners[$0].budget }
            case .leadPartner:
                let others = Double(board.count - 1)
                return board.map { partners[$0].id == governance.leadPartner ? max(1, others) : 1 }
            }
        }

        var agreed = [Double](repeating: 0, count: k)
        for (member, c) in zip(members[0], clout(members[0])) {
            for col in 0..<k where indicators[col].laaTarget { agreed[col] += c * interests[member * k + col] }
        }
        Self.normalize(&agreed, row: 0, width: k)
        let hasStrategic = governance.levels.contains(.strategic)
        if version == .v2 && !hasStrategic,
           let drafted = Self.accountableBodyPriorities(scenario, leadBoard: members[0], interests: interests) {
            initialPriorities = drafted
        } else {
            initialPriorities = agreed
        }

        var districtPriorities = [Double](repeating: 0, count: districts.count * k)
        var districtBudget = [Double](repeating: 0, count: districts.count)
        for d in 0..<districts.count {
            let board = members[1 + d]
            for (member, c) in zip(board, clout(board)) {
                for col in 0..<k { districtPriorities[d * k + col] += c * interests[member * k + col] }
                districtBudget[d] += partners[member].budget
            }
            Self.normalize(&districtPriorities, row: d, width: k)
        }
        self.districtPriorities = districtPriorities
        let allDistrictBudget = districtBudget.reduce(0, +)
        districtWeights = districtBudget.map { allDistrictBudget > 0 ? $0 / allDistrictBudget : 0 }

        var districtAsk = [Double](repeating: 0, count: n * k)
        for (i, partner) in partners.enumerated() {
            guard let name = partner.tier.districtName else { continue }
            let d = districtIndex[name]!
            Self.capabilityAimedAsk(
                priorities: Array(districtPriorities[d * k ..< (d + 1) * k]),
                capability: Array(capability[i * k ..< (i + 1) * k]),
                into: &districtAsk, offset: i * k)
        }
        self.districtAsk = districtAsk

        // Governance, derived.
        let levels = governance.levels
        let s = levels.contains(.strategic), e = levels.contains(.executive), h = levels.contains(.thematic)
        reach = governance.leadership
            * ((s ? model.reachStrategic : 0) + (e ? model.reachExecutive : 0) + (h ? model.reachThematic : 0))
        overheadRate = scenario.overheadRate
        hasExecutive = e
        pooledFraction = e ? governance.pooledFraction : 0
        let pooled = pooledFraction, tiers = tierFactor
        poolShare = version == .v2 ? tiers.map { pooled * $0 } : tiers.map { _ in pooled }
        commissioning = governance.commissioning
        poolOverhead = version == .v2 ? model.poolOverhead : 0
        reviewCost = version == .v2 ? model.reviewCost : 0
        districtMovement = version == .v2 ? (1 - kappa) * reach : 0
        if version == .v2 {
            var atDistricts = [Double](repeating: 0, count: k), everywhere = [Double](repeating: 0, count: k)
            for (i, partner) in partners.enumerated() {
                let weight = partner.discretionary * partner.budget
                for col in 0..<k {
                    let capacity = weight * capability[i * k + col]
                    everywhere[col] += capacity
                    if partner.tier.districtName != nil { atDistricts[col] += capacity }
                }
            }
            fragmentationExposure = (0..<k).map { everywhere[$0] == 0 ? 0 : atDistricts[$0] / everywhere[$0] }
        } else {
            fragmentationExposure = [Double](repeating: 1, count: k)
        }
        performanceStrength = e ? governance.performanceManagement : 0
        synergy = h ? model.synergy : 0
        cultureBuilding = s ? model.cultureBuilding : 0
        reviewEvery = governance.reviewEvery
        leadership = governance.leadership
        scrutiny = governance.scrutiny

        peerWeight = model.peerWeight
        returns = model.returns
        fragmentationPenalty = model.fragmentationPenalty
        reprioritisation = model.reprioritisation
        trustLearning = model.trustLearning
        freeRidingSensitivity = model.freeRidingSensitivity
        disengagement = model.disengagement
        budgetVolatility = model.budgetVolatility
        poolBonus = model.poolBonus
        rewardThreshold = model.rewardThreshold
        rewardPot = model.rewardPot
    }

    /// V2.1: without a strategic forum the accountable body drafts the LAA alone: p(0) is its own
    /// interests masked to the LAA indicators. The body is `governance.lead_partner` if given,
    /// else the lead-board member of kind unitary or county council with the largest budget, else
    /// the lead-board member with the largest budget (first in file order on ties). Nil where its
    /// masked interests sum to 0 (version 1's rule then applies).
    static func accountableBodyPriorities(_ scenario: Scenario, leadBoard: [Int], interests: [Double]) -> [Double]? {
        let partners = scenario.partners, k = scenario.indicators.count
        func largest(_ candidates: [Int]) -> Int? {
            var best: Int?
            for i in candidates where best == nil || partners[i].budget > partners[best!].budget { best = i }
            return best
        }
        let body: Int?
        if let lead = scenario.governance.leadPartner {
            body = partners.firstIndex { $0.id == lead }
        } else {
            body = largest(leadBoard.filter { [.unitaryCouncil, .countyCouncil].contains(partners[$0].kind) })
                ?? largest(leadBoard)
        }
        guard let a = body else { return nil }
        var drafted = [Double](repeating: 0, count: k)
        for col in 0..<k where scenario.indicators[col].laaTarget { drafted[col] = interests[a * k + col] }
        guard drafted.reduce(0, +) > 0 else { return nil }
        normalize(&drafted, row: 0, width: k)
        return drafted
    }

    /// Divides row `row` of a row-major matrix by its sum (left as is where the sum is 0).
    static func normalize(_ values: inout [Double], row: Int, width: Int) {
        let range = row * width ..< (row + 1) * width
        var total = 0.0
        for c in range { total += values[c] }
        guard total != 0 else { return }
        for c in range { values[c] /= total }
    }

    /// q(p) = normalize(p * cap), or p where that sum is 0, written at `offset`.
    static func capabilityAimedAsk(priorities: [Double], capability: [Double], into out: inout [Double], offset: Int) {
        var total = 0.0
        for c in priorities.indices { total += priorities[c] * capability[c] }
        for c in priorities.indices {
            out[offset + c] = total > 0 ? priorities[c] * capability[c] / total : priorities[c]
        }
    }

    /// Number of boards (1 + number of districts).
    public var boardCount: Int { boardStart.count - 1 }
}
