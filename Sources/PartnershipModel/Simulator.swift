import Foundation
import Stochastic

/// Runs replications of one compiled model: the quarter loop of SPEC.md, versions 1 and 2.
///
/// A simulator owns its working buffers (allocated once) and is reused for every replication a
/// worker runs; it is not thread-safe, so each thread has its own. After `run`, the trajectories
/// of that run can be read from `indicatorValue(quarter:indicator:)` and `quarterRecord(_:)`.
/// One quarter costs O(N*K) time: peer means come from board sums less each partner's own term.
///
/// The quarter is a sequence of named steps in SPEC.md's order (`influence`, `spend`, `outcomes`,
/// `performanceReview`, `updateTrust` and `moveDistricts`, then the record), each matching a
/// section of docs/MODEL.md (7.2-7.7). Trust reads y(t) and the plan, never p, so the review
/// before it changes nothing there; the aligned share, which reads p(t-1), is taken before it. Where the two model versions differ, the difference is one named rule
/// (`compareWithPlan`, `disengagementChance`, `pooledDelivery`, `betrayal`, ...), not a second loop.
public final class Simulator {
    /// The model simulated.
    public let model: CompiledModel
    let n: Int, k: Int, quarters: Int, lag: Int, boards: Int
    /// Whether version 2's rules apply.
    private let v2: Bool

    // Fixed model arrays, copied into raw buffers for the quarter loop.
    private let interests: UnsafeMutablePointer<Double>
    private let capability: UnsafeMutablePointer<Double>

    // State and scratch.
    private var x: UnsafeMutablePointer<Double>          // x(t-1), N x K
    private var xNext: UnsafeMutablePointer<Double>      // x(t), N x K
    private let ask: UnsafeMutablePointer<Double>        // q_i(p(t-1)), N x K
    private let districtAsk: UnsafeMutablePointer<Double> // q_i(p_d(t-1)) for district partners, N x K
    private let performanceAsk: UnsafeMutablePointer<Double> // q_i(pa), the performance ask aimed by capability, N x K (V2.5)
    private let fit: UnsafeMutablePointer<Double>        // overlap(w_i, p(t-1)), N (V2.3)
    // Version 2's rules read only the LAA indicators (p and pa are 0 elsewhere), so they work on
    // compact copies of those columns: contiguous loops instead of gathers.
    private let laaInterests: UnsafeMutablePointer<Double>   // w_ik, k in the LAA, N x L
    private let laaCapability: UnsafeMutablePointer<Double>  // cap_ik, k in the LAA, N x L
    private let laaPriorities: UnsafeMutablePointer<Double>  // p_k, k in the LAA, L
    private let laaPerformanceShares: UnsafeMutablePointer<Double> // pa_k, k in the LAA, L
    // The LAA indicators' columns (where p and the performance ask can be non-zero: loops over p
    // or pa skip the rest, whose terms are exactly 0).
    private let laaColumns: UnsafeMutablePointer<Int>
    private let laaCount: Int
    private let trust: UnsafeMutablePointer<Double>      // tau, N
    private let engaged: UnsafeMutablePointer<Bool>      // this quarter's engagement, N
    private let priorities: UnsafeMutablePointer<Double> // p, K
    private let gap: UnsafeMutablePointer<Double>        // a review's gaps, K
    private let planNow: UnsafeMutablePointer<Double>    // plan_k(t) this quarter, K
    private let onTrack: UnsafeMutablePointer<Double>    // 1 where y_k(t) is on or ahead of plan, else 0; K
    private let districtPriorities: UnsafeMutablePointer<Double> // p_d(t), D x K
    private let boardSum: UnsafeMutablePointer<Double>   // sum of tau_j x_j per board, B x K
    private let boardWeight: UnsafeMutablePointer<Double> // sum of tau_j per board, B
    private let spend: UnsafeMutablePointer<Double>      // sum_i S_ik, K
    private let contribution: UnsafeMutablePointer<Double> // sum_i c_ik, K
    private let contributionSquares: UnsafeMutablePointer<Double> // sum_i c_ik^2, K
    private let pooledCapability: UnsafeMutablePointer<Double> // sum_i P_i cap_ik, K (V2.4)
    private let indicator: UnsafeMutablePointer<Double>  // y(t), K
    private let effort: UnsafeMutablePointer<Double>     // Q ring buffer, (lag + 1) x K

    /// Whether `ask` is q_i(p) for the current p.
    private var askIsCurrent = false
    /// Whether a performance ask is in force (V2.5).
    private var performancePull = false

    // Trajectories of the last run.
    private let values: UnsafeMutablePointer<Double>     // y(t), (T + 1) x K
    private let records: UnsafeMutablePointer<QuarterRecord> // T

    /// Allocates a simulator for `model`.
    public init(model: CompiledModel) {
        self.model = model
        n = model.partnerCount
        k = model.indicatorCount
        quarters = model.quarters
        lag = model.deliveryLag
        boards = model.boardCount
        v2 = model.version == .v2
        func copy(_ array: [Double]) -> UnsafeMutablePointer<Double> {
            let buffer = UnsafeMutablePointer<Double>.allocate(capacity: max(array.count, 1))
            buffer.initialize(repeating: 0, count: max(array.count, 1))
            for index in array.indices { buffer[index] = array[index] }
            return buffer
        }
        func zeros(_ count: Int) -> UnsafeMutablePointer<Double> {
            let buffer = UnsafeMutablePointer<Double>.allocate(capacity: max(count, 1))
            buffer.initialize(repeating: 0, count: max(count, 1))
            return buffer
        }
        interests = copy(model.interests)
        capability = copy(model.capability)
        districtAsk = copy(model.districtAsk)
        x = zeros(n * k)
        xNext = zeros(n * k)
        ask = zeros(n * k)
        performanceAsk = zeros(n * k)
        fit = zeros(n)
        let laa = (0..<k).filter { model.laaMask[$0] }
        laaCount = laa.count
        laaColumns = UnsafeMutablePointer<Int>.allocate(capacity: max(laa.count, 1))
        laaColumns.initialize(repeating: 0, count: max(laa.count, 1))
        for (j, c) in laa.enumerated() { laaColumns[j] = c }
        laaInterests = zeros(n * laa.count)
        laaCapability = zeros(n * laa.count)
        for i in 0..<n {
            for (j, c) in laa.enumerated() {
                laaInterests[i * laa.count + j] = model.interests[i * k + c]
                laaCapability[i * laa.count + j] = model.capability[i * k + c]
            }
        }
        laaPriorities = zeros(laa.count)
        laaPerformanceShares = zeros(laa.count)
        trust = zeros(n)
        engaged = UnsafeMutablePointer<Bool>.allocate(capacity: max(n, 1))
        engaged.initialize(repeating: true, count: max(n, 1))
        priorities = zeros(k)
        gap = zeros(k)
        planNow = zeros(k)
        onTrack = zeros(k)
        districtPriorities = copy(model.districtPriorities)
        boardSum = zeros(boards * k)
        boardWeight = zeros(boards)
        spend = zeros(k)
        contribution = zeros(k)
        contributionSquares = zeros(k)
        pooledCapability = zeros(k)
        indicator = zeros(k)
        effort = zeros((lag + 1) * k)
        values = zeros((quarters + 1) * k)
        records = UnsafeMutablePointer<QuarterRecord>.allocate(capacity: quarters)
        records.initialize(repeating: QuarterRecord(), count: quarters)
    }

    deinit {
        for buffer in [interests, capability, districtAsk, x, xNext, ask, performanceAsk, fit, laaInterests,
                       laaCapability, laaPriorities, laaPerformanceShares, trust, priorities,
                       gap, planNow, onTrack, districtPriorities, boardSum, boardWeight, spend, contribution, contributionSquares,
                       pooledCapability, indicator, effort, values] {
            buffer.deallocate()
        }
        engaged.deallocate()
        laaColumns.deallocate()
        records.deallocate()
    }

    /// One quarter's record of the last run (SPEC.md step 6).
    public struct QuarterRecord: Sendable, Equatable {
        /// Share of this quarter's spend aligned with p(t-1).
        public var alignedShare = 0.0
        /// Mean of tau(t).
        public var meanTrust = 0.0
        /// P, the money put into the pool, GBP million.
        public var pooled = 0.0
        /// Sum of o_i (and, in version 2, the pool's transaction cost), GBP million.
        public var overhead = 0.0
        /// Partners engaged.
        public var engaged = 0
        /// moved(t), GBP million: money spent differently because of the partnership (V2.8).
        public var moved = 0.0
    }

    /// y_k(t) of the last run, for t = 0..T.
    @inline(__always)
    public func indicatorValue(quarter: Int, indicator column: Int) -> Double {
        values[quarter * k + column]
    }

    /// The record of quarter t = 1..T of the last run.
    @inline(__always)
    public func quarterRecord(_ quarter: Int) -> QuarterRecord { records[quarter - 1] }

    /// Runs one replication with `generator`, already seeded for it.
    public func run(generator: Generator) -> RunSummary {
        var observer = NoObserver()
        return simulate(generator: generator, observer: &observer)
    }

    /// Runs one replication, handing a snapshot of each quarter to `observer`.
    public func run<Observer: QuarterObserver>(generator: Generator, observer: inout Observer) -> RunSummary {
        simulate(generator: generator, observer: &observer)
    }

    // MARK: The quarter loop

    /// The money flows of one quarter (step 2), GBP million.
    private struct Flows {
        /// Sum of D_i.
        var drawn = 0.0
        /// Sum of S_ik.
        var spent = 0.0
        /// P, the money put into the pool.
        var pool = 0.0
        /// P_spent, what the pool spends after its transaction cost.
        var poolSpent = 0.0
        /// Sum of o_i plus the pool's transaction cost.
        var overhead = 0.0
        /// moved(t) (V2.8).
        var moved = 0.0
        var engagedCount = 0
        /// Sum of B_i over disengaged partners (version 1's free-riding).
        var disengagedBudget = 0.0
    }

    private func simulate<Observer: QuarterObserver>(generator: Generator, observer: inout Observer) -> RunSummary {
        let m = model
        start()
        let totalBudget = m.totalBudget, quarterlyBudget = totalBudget / 4
        var alignedTotal = 0.0, pooledTotal = 0.0, overheadTotal = 0.0, movedShareTotal = 0.0

        for t in 1...quarters {
            let reviews = isReviewQuarter(t)
            influence()                                                   // step 1
            let flows = spend(generator: generator, reviewQuarter: reviews) // step 2
            let meanTrustBefore = meanTrust()
            let fragmentation = currentFragmentation()
            outcomes(t, flows: flows, meanTrustBefore: meanTrustBefore, fragmentation: fragmentation,
                     generator: generator)                                // step 3
            let aligned = alignedShare(flows)                             // (step 6 reads p(t-1))
            compareWithPlan(t)                                            // (steps 4 and 5 read it)
            if reviews { performanceReview(t) }                           // step 4
            let meanTrustAfter = updateTrust(t, flows: flows, totalBudget: totalBudget) // step 5
            if v2 { moveDistricts() }                                     // step 5 (V2.6)

            // Step 6. Record the quarter.
            records[t - 1] = QuarterRecord(
                alignedShare: aligned, meanTrust: meanTrustAfter, pooled: flows.pool, overhead: flows.overhead,
                engaged: flows.engagedCount, moved: flows.moved)
            alignedTotal += aligned
            pooledTotal += flows.pool
            overheadTotal += flows.overhead
            movedShareTotal += flows.moved / quarterlyBudget
            observer.observe(QuarterSnapshot(
                quarter: t, priorities: UnsafeBufferPointer(start: x, count: n * k),
                agreedPriorities: UnsafeBufferPointer(start: priorities, count: k),
                trust: UnsafeBufferPointer(start: trust, count: n), discretionaryDrawn: flows.drawn,
                spent: flows.spent, pooled: flows.pool, poolSpent: flows.poolSpent, overhead: flows.overhead,
                engaged: flows.engagedCount, fragmentation: fragmentation, moved: flows.moved))
        }
        return summarize(alignedTotal: alignedTotal, pooledTotal: pooledTotal, overheadTotal: overheadTotal,
                         movedShareMean: movedShareTotal / Double(quarters))
    }

    /// The state at quarter 0: x_i = w_i, tau(0), p(0), p_d(0), y(0), no effort in the pipeline.
    private func start() {
        let m = model
        x.update(from: interests, count: n * k)
        for i in 0..<n { trust[i] = m.initialTrust[i] }
        for c in 0..<k {
            priorities[c] = m.initialPriorities[c]
            indicator[c] = m.baseline[c]
            values[c] = m.baseline[c]
        }
        if v2 {
            districtPriorities.update(from: m.districtPriorities, count: m.districtPriorities.count)
            districtAsk.update(from: m.districtAsk, count: n * k)
        }
        effort.update(repeating: 0, count: (lag + 1) * k)
        askIsCurrent = false
        performancePull = false
    }

    /// Whether quarter t ends with a performance review: [E] = 1, t mod review_every = 0, t < T.
    @inline(__always)
    private func isReviewQuarter(_ t: Int) -> Bool {
        model.hasExecutive && t % model.reviewEvery == 0 && t < quarters
    }

    // MARK: Step 1. Influence

    /// x_i(t): Friedkin-Johnsen influence anchored on own interests, pulled toward the LAA, the
    /// district board, peers and (version 2, after a review) the performance ask.
    @inline(__always)
    private func influence() {
        let m = model
        if !askIsCurrent { refreshAsks() }
        // Buffers bound to locals: stores through xNext could otherwise make every read reload them.
        let x = self.x, xNext = self.xNext, k = self.k, n = self.n, boards = self.boards
        let interests = self.interests, ask = self.ask, districtAsk = self.districtAsk
        let performanceAsk = self.performanceAsk
        let boardSum = self.boardSum, boardWeight = self.boardWeight, trust = self.trust
        boardSum.update(repeating: 0, count: boards * k)
        for b in 0..<boards {
            var weight = 0.0
            let sumRow = b * k
            for slot in m.boardStart[b]..<m.boardStart[b + 1] {
                let j = m.boardMembers[slot]
                let tau = trust[j]
                weight += tau
                let row = j * k
                for c in 0..<k { boardSum[sumRow + c] += tau * x[row + c] }
            }
            boardWeight[b] = weight
        }
        let reach = m.reach, peerWeight = m.peerWeight
        let performance = performancePull ? m.performanceStrength : 0
        for i in 0..<n {
            let row = i * k
            let tau = trust[i]
            let lambda = m.openness[i]
            var g = lambda * reach * tau * m.laaPullFactor[i]
            var h = m.isDistrictPartner[i] ? lambda * reach * tau : 0
            var peer = lambda * peerWeight
            var e = performance * lambda * tau * m.tierFactor[i]
            let pull = g + h + peer + e
            if pull > 1 { g /= pull; h /= pull; peer /= pull; e /= pull }
            let anchor = 1 - g - h - peer - e
            let home = m.homeBoard[i]
            let others = m.boardStart[home + 1] - m.boardStart[home] - 1
            let otherWeight = boardWeight[home] - tau
            let sumRow = home * k
            let peersKnown = others > 0 && otherWeight > 1e-12
            @inline(__always) func pulled(_ c: Int) -> Double {
                let peerMean = peersKnown ? (boardSum[sumRow + c] - tau * x[row + c]) / otherWeight : interests[row + c]
                return anchor * interests[row + c] + g * ask[row + c] + h * districtAsk[row + c] + peer * peerMean
            }
            // One loop in two copies, the second adding version 2's performance pull (the last term).
            if e == 0 {
                for c in 0..<k { xNext[row + c] = pulled(c) }
            } else {
                for c in 0..<k { xNext[row + c] = pulled(c) + e * performanceAsk[row + c] }
            }
        }
        self.x = xNext
        self.xNext = x
    }

    /// q_i(p) for the current agreed priorities (version 2: with each partner's fit, in
    /// `refreshAsksAndFit`).
    private func refreshAsks() {
        if v2 { return refreshAsksAndFit() }
        for i in 0..<n { capabilityAimedAsk(from: priorities, row: i * k, into: ask, columns: laaColumns, count: laaCount) }
        askIsCurrent = true
    }

    /// q(v) = normalize(v * cap_i), or v where that sum is 0, into `out`'s row (version 1's
    /// arithmetic: each entry divided by the sum).
    ///
    /// Only `columns` (`count` of them) are visited: v must be 0 in every other column, and `out`'s
    /// row 0 there already (then skipping them leaves every value, and the sum's rounding, as they
    /// would be).
    @inline(__always)
    private func capabilityAimedAsk(from v: UnsafeMutablePointer<Double>, row: Int, into out: UnsafeMutablePointer<Double>,
                                    columns: UnsafeMutablePointer<Int>, count: Int) {
        let capability = self.capability
        var total = 0.0
        for j in 0..<count { let c = columns[j]; total += v[c] * capability[row + c] }
        if total > 0 {
            for j in 0..<count { let c = columns[j]; out[row + c] = v[c] * capability[row + c] / total }
        } else {
            for j in 0..<count { let c = columns[j]; out[row + c] = v[c] }
        }
    }

    /// sum_k min(a_k, b_k) over K entries.
    @inline(__always)
    private func overlap(_ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>) -> Double {
        let k = self.k
        var total = 0.0
        for c in 0..<k { total += min(a[c], b[c]) }
        return total
    }

    // MARK: Step 2. Engagement and spending

    /// Draws each partner's budget and engagement, takes overhead and pool contributions, and
    /// spends the rest by x_i(t) (engaged) or w_i (disengaged). Fills `spend`, `contribution`,
    /// `contributionSquares` and (version 2) `pooledCapability`.
    @inline(__always)
    private func spend(generator: Generator, reviewQuarter: Bool) -> Flows {
        let m = model
        spend.update(repeating: 0, count: k)
        contribution.update(repeating: 0, count: k)
        contributionSquares.update(repeating: 0, count: k)
        let volatility = m.budgetVolatility, volatilityDrift = volatility * volatility / 2
        let overheadRate = reviewQuarter && v2 ? m.overheadRate + m.reviewCost : m.overheadRate
        let x = self.x, k = self.k, n = self.n, interests = self.interests, capability = self.capability
        let spend = self.spend, contribution = self.contribution, contributionSquares = self.contributionSquares
        let engaged = self.engaged, pooledCapability = self.pooledCapability
        if v2 { pooledCapability.update(repeating: 0, count: k) }
        var flows = Flows()
        for i in 0..<n {
            let zeta = generator.standardNormal()
            let u = generator.uniform()
            let budget = m.quarterlyDiscretionary[i] * exp(volatility * zeta - volatilityDrift)
            let isEngaged = !(u < disengagementChance(i))
            engaged[i] = isEngaged
            let cost = overheadRate * budget
            let net = budget - cost
            let contributed = isEngaged ? m.poolShare[i] * net : 0
            let amount = net - contributed
            let plan = isEngaged ? x : interests
            let row = i * k
            var kept = 0.0
            @inline(__always) func spendColumn(_ c: Int) {
                let s = amount * plan[row + c]
                spend[c] += s
                let delivered = capability[row + c] * s
                contribution[c] += delivered
                contributionSquares[c] += delivered * delivered
            }
            // One loop in two copies, the second also summing version 2's pooled capability (V2.4).
            if v2 && contributed != 0 {
                for c in 0..<k {
                    spendColumn(c)
                    kept += min(x[row + c], interests[row + c])
                    pooledCapability[c] += contributed * capability[row + c]
                }
            } else {
                for c in 0..<k {
                    spendColumn(c)
                    if isEngaged { kept += min(x[row + c], interests[row + c]) }
                }
            }
            flows.drawn += budget
            flows.spent += amount
            flows.pool += contributed
            flows.overhead += cost
            if isEngaged {
                flows.engagedCount += 1
                flows.moved += amount * (1 - kept)
            } else {
                flows.disengagedBudget += m.budget[i]
            }
        }
        // V2.4: the pool pays a transaction cost, counted as overhead.
        flows.poolSpent = (1 - m.poolOverhead) * flows.pool
        if v2 { flows.overhead += m.poolOverhead * flows.pool }
        flows.moved += flows.poolSpent
        return flows
    }

    /// The chance that partner i withdraws this quarter: psi (1 - tau_i)(1 - s) in version 1;
    /// version 2 (V2.3) multiplies by (1 - fit_i), so partners whose interests lie outside the
    /// agreed priorities question the value of joint work.
    @inline(__always)
    private func disengagementChance(_ i: Int) -> Double {
        let base = model.disengagement * (1 - model.scrutiny) * (1 - trust[i])
        return v2 ? base * (1 - fit[i]) : base
    }

    // MARK: Step 3. Outcomes

    /// Q_k(t) = I_k J_k F_k enters the delivery pipeline; y_k(t) moves by its trend, the effort
    /// delivered `lag` quarters ago and noise.
    @inline(__always)
    private func outcomes(_ t: Int, flows: Flows, meanTrustBefore: Double, fragmentation: Double, generator: Generator) {
        let m = model
        let k = self.k, effort = self.effort, values = self.values, indicator = self.indicator
        let contribution = self.contribution, contributionSquares = self.contributionSquares
        let slot = (t % (lag + 1)) * k
        let delayedSlot = ((t - lag) % (lag + 1)) * k
        for c in 0..<k {
            let pooled = pooledDelivery(c, flows: flows)
            let total = contribution[c] + pooled
            let concentration = total == 0 ? 1 : (contributionSquares[c] + pooled * pooled) / (total * total)
            let synergy = 1 + m.synergy * meanTrustBefore * (1 - concentration)
            let cohesion = 1 - m.fragmentationPenalty * fragmentation * m.fragmentationExposure[c]
            effort[slot + c] = total * synergy * cohesion
            let delivered = t - lag >= 1 ? effort[delayedSlot + c] : 0
            let noise = generator.standardNormal()
            indicator[c] += m.trend[c] + m.direction[c] * m.responsiveness[c] * pow(delivered, m.returns)
                + m.noiseSD[c] * noise
            values[t * k + c] = indicator[c]
        }
    }

    /// c_Pk, what the pool delivers for indicator k. Version 1: the most capable partner spends it
    /// all, (1 + b_P) max_i cap_ik P p_k. Version 2 (V2.4): commissioning skill omega blends the
    /// contributors' own capability with the best, on what is left after the transaction cost.
    @inline(__always)
    private func pooledDelivery(_ c: Int, flows: Flows) -> Double {
        let m = model, priorities = self.priorities, pooledCapability = self.pooledCapability
        guard v2 else { return (1 + m.poolBonus) * m.maxCapability[c] * (flows.pool * priorities[c]) }
        let own = flows.pool == 0 ? 0 : pooledCapability[c] / flows.pool
        let skill = m.commissioning
        return (1 + m.poolBonus) * ((1 - skill) * own + skill * m.maxCapability[c]) * (flows.poolSpent * priorities[c])
    }

    /// frag = sum_d omega_d (1 - overlap(p_d, p)) with the current district and agreed priorities.
    private func currentFragmentation() -> Double {
        var fragmentation = 0.0
        for d in 0..<(boards - 1) {
            fragmentation += model.districtWeights[d] * (1 - overlap(districtPriorities + d * k, priorities))
        }
        return fragmentation
    }

    /// The share of this quarter's spend (partners' and the pool's) aligned with p(t-1).
    @inline(__always)
    private func alignedShare(_ flows: Flows) -> Double {
        let k = self.k, spend = self.spend, priorities = self.priorities
        var spendTotal = 0.0
        for c in 0..<k { spendTotal += spend[c] + flows.poolSpent * priorities[c] }
        guard spendTotal != 0 else { return 0 }
        var aligned = 0.0
        for c in 0..<k { aligned += min((spend[c] + flows.poolSpent * priorities[c]) / spendTotal, priorities[c]) }
        return aligned
    }

    // MARK: Step 4. Performance management

    /// plan_k(t), the planned trajectory, and whether each indicator is on track (read by the
    /// review and by trust). Version 1: a straight line from quarter 0. Version 2 (V2.2): the line
    /// starts once delivery can arrive, after the delivery lag.
    @inline(__always)
    private func compareWithPlan(_ t: Int) {
        let m = model
        let k = self.k, planNow = self.planNow, onTrack = self.onTrack, indicator = self.indicator
        let elapsed = Double(max(0, t - lag)), span = Double(max(1, quarters - lag))
        let fraction = Double(t) / Double(quarters)
        for c in 0..<k {
            let plan = v2 ? m.baseline[c] + ((m.target[c] - m.baseline[c]) * elapsed) / span
                : m.baseline[c] + (m.target[c] - m.baseline[c]) * fraction
            planNow[c] = plan
            onTrack[c] = m.direction[c] * (indicator[c] - plan) >= 0 ? 1 : 0
        }
    }

    /// At the end of a review quarter: p(t) leans toward lagging targets; in version 2 (V2.5) the
    /// lagging targets also become a performance ask that pulls on partners until the next review.
    private func performanceReview(_ t: Int) {
        let m = model
        let k = self.k, gap = self.gap, priorities = self.priorities, planNow = self.planNow
        let indicator = self.indicator
        var total = 0.0
        for c in 0..<k {
            let scale = max(abs(m.target[c] - m.baseline[c]), 1e-12)
            gap[c] = min(1, max(0, m.direction[c] * (planNow[c] - indicator[c])) / scale)
            priorities[c] *= 1 + m.reprioritisation * m.performanceStrength * gap[c]
            total += priorities[c]
        }
        for c in 0..<k { priorities[c] /= total }
        askIsCurrent = false
        guard v2 else { return }
        var askTotal = 0.0
        for c in 0..<k {
            gap[c] *= priorities[c]
            askTotal += gap[c]
        }
        performancePull = askTotal > 0
        guard performancePull else { return }
        // pa is 0 outside the LAA indicators (so is the gap times p).
        if performancePull {
            for j in 0..<laaCount { laaPerformanceShares[j] = gap[laaColumns[j]] / askTotal }
        }
        refreshAsksAndFit()
    }

    /// Version 2, at the start and after each review: q_i(p), fit_i with p (V2.3) and, while a
    /// performance ask is in force, q_i(pa) (V2.5), in one pass over each partner's LAA columns. p and pa are 0
    /// elsewhere, and so are both asks (their rows stay 0 there), and min(w_ik, 0) = 0 adds nothing
    /// to the fit: visiting the LAA columns alone, in order, gives every sum as a full pass would.
    /// q_i(pa) = normalize(pa * cap_i) is formed with the reciprocal of its sum.
    private func refreshAsksAndFit() {
        let count = laaCount, laa = laaColumns, k = self.k, performance = performancePull
        let p = laaPriorities, pa = laaPerformanceShares, ask = self.ask, performanceAsk = self.performanceAsk, fit = self.fit
        for j in 0..<count { p[j] = priorities[laa[j]] }
        for i in 0..<n {
            let interests = laaInterests + i * count, capability = laaCapability + i * count
            var askSum = 0.0, performanceSum = 0.0, fitSum = 0.0
            for j in 0..<count {
                askSum += p[j] * capability[j]
                performanceSum += pa[j] * capability[j]
                fitSum += min(interests[j], p[j])
            }
            fit[i] = fitSum
            let askRow = ask + i * k
            if askSum > 0 {
                for j in 0..<count { askRow[laa[j]] = p[j] * capability[j] / askSum }
            } else {
                for j in 0..<count { askRow[laa[j]] = p[j] }
            }
            guard performance else { continue }
            let performanceRow = performanceAsk + i * k
            if performanceSum > 0 {
                let scale = 1 / performanceSum
                for j in 0..<count { performanceRow[laa[j]] = pa[j] * capability[j] * scale }
            } else {
                for j in 0..<count { performanceRow[laa[j]] = pa[j] }
            }
        }
        askIsCurrent = true
    }

    // MARK: Step 5. Trust

    /// tau_i(t): learning from on-track outcomes, erosion by visible free-riding, culture building.
    /// Returns the mean of tau(t).
    @inline(__always)
    private func updateTrust(_ t: Int, flows: Flows, totalBudget: Double) -> Double {
        let m = model
        let k = self.k, n = self.n, interests = self.interests, onTrack = self.onTrack, trust = self.trust
        let engaged = self.engaged
        let erosionFactor = m.freeRidingSensitivity * (1 - m.scrutiny)
        let cultureGain = m.cultureBuilding * m.leadership
        let freeRiding = flows.disengagedBudget / totalBudget
        let anyWithdrawal = flows.engagedCount < n
        var withheld = 0.0
        if v2 && anyWithdrawal {
            for j in 0..<n where !engaged[j] { withheld += m.discretionaryBudget[j] }
        }
        let atStake = m.totalDiscretionaryBudget
        var meanTrust = 0.0
        for i in 0..<n {
            // success_i = sum_k w_ik on_k (adding w * 0 leaves a sum exactly as skipping it would)
            var success = 0.0
            let row = i * k
            for c in 0..<k { success += interests[row + c] * onTrack[c] }
            let tau = trust[i]
            let erosion = v2 ? erosionFactor * (anyWithdrawal ? betrayal(i, withheld: withheld, atStake: atStake) : 0) * tau : erosionFactor * freeRiding
            let updated = tau + m.trustLearning * (success - 0.5) - erosion + cultureGain * (1 - tau)
            trust[i] = min(1, max(0, updated))
            meanTrust += trust[i]
        }
        return meanTrust / Double(n)
    }

    /// FR_i (V2.7): the share of the others' annual discretionary money whose holders withdrew
    /// this quarter (0 where the others have none), from the quarter's totals less i's own term.
    /// Version 1 uses one area-wide share of budgets instead.
    @inline(__always)
    private func betrayal(_ i: Int, withheld: Double, atStake: Double) -> Double {
        let own = model.discretionaryBudget[i]
        let others = atStake - own
        return others == 0 ? 0 : (engaged[i] ? withheld : withheld - own) / others
    }

    /// Mean trust now.
    @inline(__always)
    private func meanTrust() -> Double {
        var total = 0.0
        for i in 0..<n { total += trust[i] }
        return total / Double(n)
    }

    // MARK: Step 6 (version 2). Districts move toward the LAA

    /// V2.6: p_d(t) = (1 - a_d) p_d(0) + a_d p(t), a_d = min(1, (1 - kappa) r taubar_d(t)); then the
    /// district partners' asks q_i(p_d(t)) = normalize(p_d(t) * cap_i) for the next quarter, over
    /// every indicator (a district's own priorities need not be 0 outside the LAA), multiplied by
    /// the reciprocal of the sum (the same value as dividing, to within a rounding).
    private func moveDistricts() {
        let m = model
        let k = self.k, districtPriorities = self.districtPriorities, priorities = self.priorities, trust = self.trust
        let districtAsk = self.districtAsk, capability = self.capability
        guard boards > 1 else { return }
        for d in 0..<(boards - 1) {
            let first = m.boardStart[1 + d], end = m.boardStart[2 + d]
            guard end > first else { continue }
            var trustSum = 0.0
            for slot in first..<end { trustSum += trust[m.boardMembers[slot]] }
            let a = min(1, m.districtMovement * (trustSum / Double(end - first)))
            let row = d * k
            for c in 0..<k {
                districtPriorities[row + c] = (1 - a) * m.districtPriorities[row + c] + a * priorities[c]
            }
            let moved = districtPriorities + row
            for slot in first..<end {
                let capabilities = capability + m.boardMembers[slot] * k, ask = districtAsk + m.boardMembers[slot] * k
                var total = 0.0
                for c in 0..<k { total += moved[c] * capabilities[c] }
                if total > 0 {
                    let scale = 1 / total
                    for c in 0..<k { ask[c] = moved[c] * capabilities[c] * scale }
                } else {
                    for c in 0..<k { ask[c] = moved[c] }
                }
            }
        }
    }

    // MARK: End of run

    private func summarize(alignedTotal: Double, pooledTotal: Double, overheadTotal: Double,
                           movedShareMean: Double) -> RunSummary {
        let m = model
        var total = 0, met = 0
        var progressSum = 0.0, reward = 0.0
        for c in 0..<k where m.laaMask[c] { total += 1 }
        let share = total > 0 ? m.rewardPot / Double(total) : 0
        for c in 0..<k where m.laaMask[c] {
            let d = m.direction[c]
            let final = indicator[c]
            let aimed = d * (m.target[c] - m.baseline[c])
            let progress: Double
            if aimed <= 0 {
                progress = d * (final - m.target[c]) >= 0 ? 1 : 0
            } else {
                progress = d * (final - m.baseline[c]) / aimed
            }
            if d * (final - m.target[c]) >= 0 { met += 1 }
            progressSum += progress
            if progress >= m.rewardThreshold { reward += share * min(progress, 1) }
        }
        return RunSummary(
            targetsTotal: total, targetsMet: met,
            targetsMetShare: Double(met) / Double(total),
            meanProgress: progressSum / Double(total), rewardGrant: reward,
            alignedShareMean: alignedTotal / Double(quarters), pooledTotal: pooledTotal,
            overheadTotal: overheadTotal, meanTrustFinal: meanTrust(), fragmentation: currentFragmentation(),
            moneyMovedShare: movedShareMean)
    }
}
