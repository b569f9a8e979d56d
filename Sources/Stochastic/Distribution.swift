import Foundation

/// A probability distribution of an uncertain scenario input, sampled through GSL.
public enum Distribution: Sendable, Equatable, Hashable {
    /// Uniform on [min, max), min < max.
    case uniform(min: Double, max: Double)
    /// Normal with mean and standard deviation sd > 0.
    case normal(mean: Double, sd: Double)
    /// Beta on [0, 1] with shapes a, b > 0.
    case beta(a: Double, b: Double)
    /// Gamma with shape > 0 and scale > 0.
    case gamma(shape: Double, scale: Double)
    /// Lognormal: exp(N(mu, sigma^2)), sigma > 0.
    case lognormal(mu: Double, sigma: Double)

    /// The exact mean of the distribution.
    public var mean: Double {
        switch self {
        case let .uniform(a, b): return (a + b) / 2
        case let .normal(m, _): return m
        case let .beta(a, b): return a / (a + b)
        case let .gamma(k, theta): return k * theta
        case let .lognormal(mu, s): return Foundation.exp(mu + s * s / 2)
        }
    }

    /// The exact variance of the distribution.
    public var variance: Double {
        switch self {
        case let .uniform(a, b): return (b - a) * (b - a) / 12
        case let .normal(_, sd): return sd * sd
        case let .beta(a, b): return a * b / ((a + b) * (a + b) * (a + b + 1))
        case let .gamma(k, theta): return k * theta * theta
        case let .lognormal(mu, s): return (Foundation.exp(s * s) - 1) * Foundation.exp(2 * mu + s * s)
        }
    }

    /// The smallest and largest values a draw can take.
    public var support: ClosedRange<Double> {
        switch self {
        case let .uniform(a, b): return a...b
        case .normal: return -Double.infinity...Double.infinity
        case .beta: return 0...1
        case .gamma, .lognormal: return 0...Double.infinity
        }
    }

    /// The name used in scenario files (`dist:`).
    public var name: String {
        switch self {
        case .uniform: return "uniform"
        case .normal: return "normal"
        case .beta: return "beta"
        case .gamma: return "gamma"
        case .lognormal: return "lognormal"
        }
    }
}


extension Distribution {
    /// The distribution as a scenario file writes it, e.g. `uniform(min 0.2, max 0.8)`.
    public var text: String {
        switch self {
        case let .uniform(a, b): return "uniform(min \(a), max \(b))"
        case let .normal(m, s): return "normal(mean \(m), sd \(s))"
        case let .beta(a, b): return "beta(a \(a), b \(b))"
        case let .gamma(k, theta): return "gamma(shape \(k), scale \(theta))"
        case let .lognormal(mu, s): return "lognormal(mu \(mu), sigma \(s))"
        }
    }
}
