/// Choosing an item with probability proportional to its weight, from one uniform draw
/// (inverse-CDF sampling over the cumulative normalised weights).
public struct WeightedChoice: Sendable, Equatable {
    /// Cumulative normalised weights; the last is 1 up to rounding.
    public let cumulative: [Double]

    /// Weights >= 0 with a positive sum (not necessarily normalised).
    public init(weights: [Double]) {
        precondition(!weights.isEmpty, "a weighted choice among no items")
        let total = weights.reduce(0, +)
        precondition(total > 0, "weights must have a positive sum")
        var running = 0.0
        cumulative = weights.map { running += $0 / total; return running }
    }

    /// The item a uniform u in [0, 1) selects: the first whose cumulative weight exceeds u
    /// (the last item where rounding leaves u above every cumulative weight).
    public func index(for u: Double) -> Int {
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > u { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
