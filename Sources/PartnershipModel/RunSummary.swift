/// The end-of-run measures of one replication (SPEC.md, "End of run"), over the LAA indicators.
public struct RunSummary: Sendable, Equatable {
    /// Number of designated LAA targets.
    public var targetsTotal: Int
    /// LAA targets met at quarter T.
    public var targetsMet: Int
    /// targetsMet / targetsTotal.
    public var targetsMetShare: Double
    /// Mean of raw progress_k (can be below 0 or above 1).
    public var meanProgress: Double
    /// Reward grant earned, GBP million.
    public var rewardGrant: Double
    /// Mean over quarters of the share of spend aligned with the agreed priorities.
    public var alignedShareMean: Double
    /// Total pooled over the run, GBP million.
    public var pooledTotal: Double
    /// Total overhead over the run, GBP million.
    public var overheadTotal: Double
    /// Mean trust at the end of quarter T.
    public var meanTrustFinal: Double
    /// Fragmentation of district priorities from the agreed priorities p(T).
    public var fragmentation: Double
    /// Mean over quarters of moved(t) / sum_i (B_i / 4): the share of the partners' quarterly
    /// budgets spent differently because of the partnership (SPEC.md V2.8; both versions).
    public var moneyMovedShare: Double

    public init(
        targetsTotal: Int, targetsMet: Int, targetsMetShare: Double, meanProgress: Double,
        rewardGrant: Double, alignedShareMean: Double, pooledTotal: Double, overheadTotal: Double,
        meanTrustFinal: Double, fragmentation: Double, moneyMovedShare: Double
    ) {
        self.targetsTotal = targetsTotal
        self.targetsMet = targetsMet
        self.targetsMetShare = targetsMetShare
        self.meanProgress = meanProgress
        self.rewardGrant = rewardGrant
        self.alignedShareMean = alignedShareMean
        self.pooledTotal = pooledTotal
        self.overheadTotal = overheadTotal
        self.meanTrustFinal = meanTrustFinal
        self.fragmentation = fragmentation
        self.moneyMovedShare = moneyMovedShare
    }
}

/// What a quarter looked like, handed to a `QuarterObserver` after each quarter.
/// The buffers are valid only during the call.
public struct QuarterSnapshot {
    /// The quarter t = 1..T.
    public let quarter: Int
    /// x(t), partners' priorities (N x K, row-major).
    public let priorities: UnsafeBufferPointer<Double>
    /// p(t), the agreed priorities after this quarter's performance review, if any (K).
    public let agreedPriorities: UnsafeBufferPointer<Double>
    /// tau(t), trust after this quarter's update (N).
    public let trust: UnsafeBufferPointer<Double>
    /// Sum over partners of D_i, the discretionary budget drawn this quarter.
    public let discretionaryDrawn: Double
    /// Sum over partners and indicators of S_ik.
    public let spent: Double
    /// P, the money put into the pool.
    public let pooled: Double
    /// P_spent, what the pool spends after its transaction cost (= P in version 1).
    public let poolSpent: Double
    /// Sum of o_i.
    public let overhead: Double
    /// Partners engaged this quarter.
    public let engaged: Int
    /// frag, computed with p(t-1) (and, in version 2, p_d(t-1)).
    public let fragmentation: Double
    /// moved(t), GBP million (V2.8).
    public let moved: Double
}

/// Receives a snapshot after every quarter of a run (used by tests and diagnostics).
public protocol QuarterObserver {
    mutating func observe(_ snapshot: QuarterSnapshot)
}

/// An observer that ignores everything.
public struct NoObserver: QuarterObserver {
    public init() {}
    @inline(__always) public mutating func observe(_ snapshot: QuarterSnapshot) {}
}
