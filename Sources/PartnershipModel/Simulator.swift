import Foundation
import Stochastic

/// Runs replications of one compiled model: the quarter loop of SPEC.md.
///
/// A simulator owns its working buffers (allocated once) and is reused for every replication a
/// worker runs; it is not thread-safe, so each thread has its own. After `run`, the trajectories
/// of that run can be read from `indicatorValue(quarter:indicator:)` and `quarterRecord(_:)`.
/// One quarter costs O(N*K) time: peer means come from board sums less each partner's own term.
public final class Simulator {
    /// The model simulated.
    public let model: CompiledModel
    let n: Int, k: Int, quarters: Int, lag: Int, boards: Int

    // Fixed model arrays, copied into raw buffers for the quarter loop.
    private let interests: UnsafeMutablePointer<Double>
    private let capability: UnsafeMutablePointer<Double>
    private let districtAsk: UnsafeMutablePointer<Double>

    // State and scratch.
    private let x: UnsafeMutablePointer<Double>          // x(t-1), N x K
    private let xNext: UnsafeMutablePointer<Double>      // x(t), N x K
    private let ask: UnsafeMutablePointer<Double>        // q_i(p), N x K
    private let trust: UnsafeMutablePointer<Double>      // tau, N
    private let priorities: UnsafeMutablePointer<Double> // p, K
    private let boardSum: UnsafeMutablePointer<Double>   // sum of tau_j x_j per board, B x K
    private let boardWeight: UnsafeMutablePointer<Double> // sum of tau_j per board, B
    private let spend: UnsafeMutablePointer<Double>      // sum_i S_ik, K
    private let contribution: UnsafeMutablePointer<Double> // sum_i c_ik, K
    private let contributionSquares: UnsafeMutablePointer<Double> // sum_i c_ik^2, K
    private let indicator: UnsafeMutablePointer<Double>  // y(t), K
    private let effort: UnsafeMutablePointer<Double>     // Q ring buffer, (lag + 1) x K

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
        func copy(_ array: [Double]) -> UnsafeMutablePointer<Double> {
            let buffer = UnsafeMutablePointer<Double>.allocate(capacity: max(array.count, 1))
            buffer.initialize(repeating: 0, count: max(array.count, 1))
            for index in array.indices { buffer[index] = array[index] }
            return buffer
        }
        func zeros(_ count: Int) -> UnsafeMutablePointer<Double> {
            copy([Double](repeating: 0, count: count))
        }
        interests = copy(model.interests)
        capability = copy(model.capability)
        districtAsk = copy(model.districtAsk)
        x = zeros(n * k)
        xNext = zeros(n * k)
        ask = zeros(n * k)
        trust = zeros(n)
        priorities = zeros(k)
        boardSum = zeros(boards * k)
        boardWeight = zeros(boards)
        spend = zeros(k)
        contribution = zeros(k)
        contributionSquares = zeros(k)
        indicator = zeros(k)
        effort = zeros((lag + 1) * k)
        values = zeros((quarters + 1) * k)
        records = UnsafeMutablePointer<QuarterRecord>.allocate(capacity: quarters)
        records.initialize(repeating: QuarterRecord(), count: quarters)
    }

    deinit {
        for buffer in [interests, capability, districtAsk, x, xNext, ask, trust, priorities, boardSum,
                       boardWeight, spend, contribution, contributionSquares, indicator, effort, values] {
            buffer.deallocate()
        }
        records.deallocate()
    }

    /// One quarter's record of the last run (SPEC.md step 6).
    public struct QuarterRecord: Sendable, Equatable {
        /// Share of this quarter's spend aligned with p(t-1).
        public var alignedShare = 0.0
        /// Mean of tau(t).
        public var meanTrust = 0.0
        /// P, GBP million.
        public var pooled = 0.0
        /// Sum of o_i, GBP million.
        public var overhead = 0.0
        /// Partners engaged.
        public var engaged = 0
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

    private func simulate<Observer: QuarterObserver>(generator: Generator, observer: inout Observer) -> RunSummary {
        let m = model
        let n = n, k = k, quarters = quarters, lag = lag, boards = boards
        let interests = interests, capability = capability, districtAsk = districtAsk
        var x = x, xNext = xNext
        let ask = ask, trust = trust, priorities = priorities
        let boardSum = boardSum, boardWeight = boardWeight
        let spend = spend, contribution = contribution, contributionSquares = contributionSquares
        let indicator = indicator, effort = effort, values = values

        // Initial state.
        x.update(from: interests, count: n * k)
        for i in 0..<n { trust[i] = m.initialTrust[i] }
        for c in 0..<k {
            priorities[c] = m.initialPriorities[c]
            indicator[c] = m.baseline[c]
            values[c] = m.baseline[c]
        }
        effort.update(repeating: 0, count: (lag + 1) * k)
        var askIsCurrent = false

        let reach = m.reach, peerWeight = m.peerWeight
        let volatility = m.budgetVolatility, volatilityDrift = volatility * volatility / 2
        let disengageFactor = m.disengagement * (1 - m.scrutiny)
        let erosionFactor = m.freeRidingSensitivity * (1 - m.scrutiny)
        let cultureGain = m.cultureBuilding * m.leadership
        let totalBudget = m.budget.reduce(0, +)
        var alignedTotal = 0.0, pooledTotal = 0.0, overheadTotal = 0.0
        let fallbackWeight = 1e-12

        for t in 1...quarters {
            // 1. Influence (Friedkin-Johnsen). q_i(p(t-1)) is recomputed only when p changed.
            if !askIsCurrent {
                for i in 0..<n {
                    let row = i * k
                    var total = 0.0
                    for c in 0..<k { total += priorities[c] * capability[row + c] }
                    if total > 0 {
                        for c in 0..<k { ask[row + c] = priorities[c] * capability[row + c] / total }
                    } else {
                        for c in 0..<k { ask[row + c] = priorities[c] }
                    }
                }
                askIsCurrent = true
            }
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
            for i in 0..<n {
                let row = i * k
                let tau = trust[i]
                let lambda = m.openness[i]
                var g = lambda * reach * tau * m.laaPullFactor[i]
                var h = m.isDistrictPartner[i] ? lambda * reach * tau : 0
                var peer = lambda * peerWeight
                let pull = g + h + peer
                if pull > 1 { g /= pull; h /= pull; peer /= pull }
                let anchor = 1 - g - h - peer
                let home = m.homeBoard[i]
                let others = m.boardStart[home + 1] - m.boardStart[home] - 1
                let otherWeight = boardWeight[home] - tau
                let sumRow = home * k
                if others > 0 && otherWeight > fallbackWeight {
                    for c in 0..<k {
                        let peerMean = (boardSum[sumRow + c] - tau * x[row + c]) / otherWeight
                        xNext[row + c] = anchor * interests[row + c] + g * ask[row + c]
                            + h * districtAsk[row + c] + peer * peerMean
                    }
                } else {
                    for c in 0..<k {
                        xNext[row + c] = anchor * interests[row + c] + g * ask[row + c]
                            + h * districtAsk[row + c] + peer * interests[row + c]
                    }
                }
            }
            swap(&x, &xNext)

            // 2. Engagement and spending.
            spend.update(repeating: 0, count: k)
            contribution.update(repeating: 0, count: k)
            contributionSquares.update(repeating: 0, count: k)
            var pool = 0.0, overhead = 0.0, drawn = 0.0, spent = 0.0
            var engagedCount = 0, disengagedBudget = 0.0
            for i in 0..<n {
                let zeta = generator.standardNormal()
                let u = generator.uniform()
                let budget = m.quarterlyDiscretionary[i] * exp(volatility * zeta - volatilityDrift)
                let engaged = !(u < disengageFactor * (1 - trust[i]))
                let cost = m.overheadRate * budget
                let net = budget - cost
                let contributed = engaged ? m.pooledFraction * net : 0
                let amount = net - contributed
                let plan = engaged ? x : interests
                let row = i * k
                for c in 0..<k {
                    let s = amount * plan[row + c]
                    spend[c] += s
                    let delivered = capability[row + c] * s
                    contribution[c] += delivered
                    contributionSquares[c] += delivered * delivered
                }
                drawn += budget
                spent += amount
                pool += contributed
                overhead += cost
                if engaged { engagedCount += 1 } else { disengagedBudget += m.budget[i] }
            }

            // 3. Outcomes.
            var meanTrustBefore = 0.0
            for i in 0..<n { meanTrustBefore += trust[i] }
            meanTrustBefore /= Double(n)
            let fragmentation = currentFragmentation()
            let cohesion = 1 - m.fragmentationPenalty * fragmentation
            let slot = (t % (lag + 1)) * k
            let delayedSlot = ((t - lag) % (lag + 1)) * k
            for c in 0..<k {
                let pooledDelivery = (1 + m.poolBonus) * m.maxCapability[c] * (pool * priorities[c])
                let total = contribution[c] + pooledDelivery
                let concentration = total == 0 ? 1
                    : (contributionSquares[c] + pooledDelivery * pooledDelivery) / (total * total)
                let synergy = 1 + m.synergy * meanTrustBefore * (1 - concentration)
                effort[slot + c] = total * synergy * cohesion
                let delivered = t - lag >= 1 ? effort[delayedSlot + c] : 0
                let noise = generator.standardNormal()
                indicator[c] += m.trend[c] + m.direction[c] * m.responsiveness[c] * pow(delivered, m.returns)
                    + m.noiseSD[c] * noise
                values[t * k + c] = indicator[c]
            }

            // 6 (first part). Aligned share of this quarter's spend with p(t-1).
            var spendTotal = 0.0
            for c in 0..<k { spendTotal += spend[c] + pool * priorities[c] }
            var aligned = 0.0
            if spendTotal != 0 {
                for c in 0..<k { aligned += min((spend[c] + pool * priorities[c]) / spendTotal, priorities[c]) }
            }

            // 5. Trust.
            let freeRiding = disengagedBudget / totalBudget
            let fraction = Double(t) / Double(quarters)
            var meanTrust = 0.0
            for i in 0..<n {
                var success = 0.0
                let row = i * k
                for c in 0..<k {
                    let plan = m.baseline[c] + (m.target[c] - m.baseline[c]) * fraction
                    if m.direction[c] * (indicator[c] - plan) >= 0 { success += interests[row + c] }
                }
                let tau = trust[i]
                let updated = tau + m.trustLearning * (success - 0.5) - erosionFactor * freeRiding
                    + cultureGain * (1 - tau)
                trust[i] = min(1, max(0, updated))
                meanTrust += trust[i]
            }
            meanTrust /= Double(n)

            records[t - 1] = QuarterRecord(
                alignedShare: aligned, meanTrust: meanTrust, pooled: pool, overhead: overhead,
                engaged: engagedCount)
            alignedTotal += aligned
            pooledTotal += pool
            overheadTotal += overhead
            observer.observe(QuarterSnapshot(
                quarter: t, priorities: UnsafeBufferPointer(start: x, count: n * k),
                agreedPriorities: UnsafeBufferPointer(start: priorities, count: k),
                trust: UnsafeBufferPointer(start: trust, count: n), discretionaryDrawn: drawn,
                spent: spent, pooled: pool, overhead: overhead, engaged: engagedCount,
                fragmentation: fragmentation))

            // 4. Performance management: p(t) from the gaps to the planned trajectory.
            if m.hasExecutive && t % m.reviewEvery == 0 && t < quarters {
                var total = 0.0
                for c in 0..<k {
                    let plan = m.baseline[c] + (m.target[c] - m.baseline[c]) * fraction
                    let scale = max(abs(m.target[c] - m.baseline[c]), 1e-12)
                    let gap = min(1, max(0, m.direction[c] * (plan - indicator[c])) / scale)
                    priorities[c] *= 1 + m.reprioritisation * m.performanceStrength * gap
                    total += priorities[c]
                }
                for c in 0..<k { priorities[c] /= total }
                askIsCurrent = false
            }
        }
        // Keep the latest x in self.x for the next run's buffers (the two buffers were swapped).
        if x != self.x { self.x.update(from: x, count: n * k) }

        return summarize(alignedTotal: alignedTotal, pooledTotal: pooledTotal, overheadTotal: overheadTotal)
    }

    /// frag = sum_d omega_d (1 - overlap(p_d, p)) for the current agreed priorities p.
    private func currentFragmentation() -> Double {
        var fragmentation = 0.0
        for d in 0..<(boards - 1) {
            var overlap = 0.0
            let row = d * k
            for c in 0..<k { overlap += min(model.districtPriorities[row + c], priorities[c]) }
            fragmentation += model.districtWeights[d] * (1 - overlap)
        }
        return fragmentation
    }

    private func summarize(alignedTotal: Double, pooledTotal: Double, overheadTotal: Double) -> RunSummary {
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
        var meanTrust = 0.0
        for i in 0..<n { meanTrust += trust[i] }
        meanTrust /= Double(n)
        let fragmentation = currentFragmentation()
        return RunSummary(
            targetsTotal: total, targetsMet: met,
            targetsMetShare: Double(met) / Double(total),
            meanProgress: progressSum / Double(total), rewardGrant: reward,
            alignedShareMean: alignedTotal / Double(quarters), pooledTotal: pooledTotal,
            overheadTotal: overheadTotal, meanTrustFinal: meanTrust, fragmentation: fragmentation)
    }
}
