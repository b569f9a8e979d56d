import CGSL
import Foundation

extension Distribution {
    /// The probability density at `x` (GSL's `gsl_ran_*_pdf`); 0 outside the support.
    ///
    /// The uniform density is 1 / (max - min) on [min, max] (GSL's `gsl_ran_flat_pdf` is 0 at max;
    /// here the closed interval is used, as `support` is closed). The normal is GSL's Gaussian
    /// density shifted by the mean, the gamma's second parameter is GSL's scale, the lognormal's
    /// `zeta` and `sigma` are `mu` and `sigma`.
    public func density(_ x: Double) -> Double {
        guard x.isFinite, support.contains(x) else { return 0 }
        switch self {
        case let .uniform(a, b): return 1 / (b - a)
        case let .normal(mean, sd): return gsl_ran_gaussian_pdf(x - mean, sd)
        case let .beta(a, b): return gsl_ran_beta_pdf(x, a, b)
        case let .gamma(shape, scale): return gsl_ran_gamma_pdf(x, shape, scale)
        case let .lognormal(mu, sigma): return gsl_ran_lognormal_pdf(x, mu, sigma)
        }
    }

    /// The natural logarithm of `density(x)`; -infinity outside the support.
    public func logDensity(_ x: Double) -> Double { Foundation.log(density(x)) }

    /// Whether `x` is a value the distribution can take: inside the support, and with a positive
    /// density (a beta with a < 1 has an infinite density at 0, which counts as positive).
    public func admits(_ x: Double) -> Bool { density(x) > 0 }
}
