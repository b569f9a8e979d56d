/// The catalogue of end-of-run measures: the one place that names them.
///
/// Every table, store, report and analysis that lists run measures takes them from here: the
/// column name (as in `summary.csv` and the results store), a readable label, a unit, whether the
/// value is a share that reads best as a per cent, and how to read it from a `RunSummary`.
/// The order is `summary.csv`'s column order (SCENARIO.md).
public struct RunMeasure: Sendable, Hashable, CustomStringConvertible {
    /// The column name, e.g. `targets_met_share`.
    public let name: String
    /// A readable label, e.g. "share of LAA targets met".
    public let label: String
    /// The unit, where there is one (e.g. "GBP m"); nil for counts and shares.
    public let unit: String?
    /// Whether the value is a share in [0, 1] that reads best as a per cent.
    public let isShare: Bool
    /// Whether the value is an integer count.
    public let isCount: Bool

    public var description: String { name }

    /// The measure's value in `summary`.
    public func value(in summary: RunSummary) -> Double {
        switch name {
        case "targets_total": return Double(summary.targetsTotal)
        case "targets_met": return Double(summary.targetsMet)
        case "targets_met_share": return summary.targetsMetShare
        case "mean_progress": return summary.meanProgress
        case "reward_grant": return summary.rewardGrant
        case "aligned_share_mean": return summary.alignedShareMean
        case "pooled_total": return summary.pooledTotal
        case "overhead_total": return summary.overheadTotal
        case "mean_trust_final": return summary.meanTrustFinal
        case "fragmentation": return summary.fragmentation
        case "money_moved_share": return summary.moneyMovedShare
        default: preconditionFailure("RunMeasure \(name) has no accessor")
        }
    }

    init(_ name: String, _ label: String, unit: String? = nil, share: Bool = false, count: Bool = false) {
        self.name = name
        self.label = label
        self.unit = unit
        self.isShare = share
        self.isCount = count
    }

    public static let targetsTotal = RunMeasure("targets_total", "LAA targets", count: true)
    public static let targetsMet = RunMeasure("targets_met", "LAA targets met", count: true)
    public static let targetsMetShare = RunMeasure("targets_met_share", "share of LAA targets met", share: true)
    public static let meanProgress = RunMeasure("mean_progress", "mean progress to target")
    public static let rewardGrant = RunMeasure("reward_grant", "reward grant", unit: "GBP m")
    public static let alignedShareMean = RunMeasure("aligned_share_mean", "aligned share of spend", share: true)
    public static let pooledTotal = RunMeasure("pooled_total", "pooled over the run", unit: "GBP m")
    public static let overheadTotal = RunMeasure("overhead_total", "overhead over the run", unit: "GBP m")
    public static let meanTrustFinal = RunMeasure("mean_trust_final", "mean trust at the end", unit: "0\u{2013}1")
    public static let fragmentation = RunMeasure("fragmentation", "fragmentation")
    public static let moneyMovedShare = RunMeasure("money_moved_share", "money moved (share of budgets)", share: true)

    /// Every measure, in `summary.csv`'s column order.
    public static let all: [RunMeasure] = [
        targetsTotal, targetsMet, targetsMetShare, meanProgress, rewardGrant, alignedShareMean,
        pooledTotal, overheadTotal, meanTrustFinal, fragmentation, moneyMovedShare,
    ]

    /// The measure named `name`, if any.
    public static func named(_ name: String) -> RunMeasure? { all.first { $0.name == name } }

    /// The names of every measure, in order.
    public static var names: [String] { all.map(\.name) }
}
