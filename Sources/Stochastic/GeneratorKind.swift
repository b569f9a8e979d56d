import CGSL

/// The GSL random number generator algorithms lspsim offers.
///
/// `mt19937` (Matsumoto and Nishimura's Mersenne Twister) is the default. `taus2` (L'Ecuyer's
/// maximally equidistributed Tausworthe) is the fastest to re-seed; `ranlxd2` (Lüscher's RANLUX,
/// double precision, luxury level 2) has the strongest statistical guarantees and is slowest.
public enum GeneratorKind: String, CaseIterable, Sendable, Codable {
    case mt19937
    case taus2
    case ranlxd1
    case ranlxd2
    case ranlxs2
    case ranlux389
    case gfsr4
    case mrg
    case cmrg

    /// The default generator of every run.
    public static let standard: GeneratorKind = .mt19937

    var gslType: UnsafePointer<gsl_rng_type> {
        switch self {
        case .mt19937: return cgsl_rng_mt19937()
        case .taus2: return cgsl_rng_taus2()
        case .ranlxd1: return cgsl_rng_ranlxd1()
        case .ranlxd2: return cgsl_rng_ranlxd2()
        case .ranlxs2: return cgsl_rng_ranlxs2()
        case .ranlux389: return cgsl_rng_ranlux389()
        case .gfsr4: return cgsl_rng_gfsr4()
        case .mrg: return cgsl_rng_mrg()
        case .cmrg: return cgsl_rng_cmrg()
        }
    }

    /// GSL's own name of the algorithm, as `gsl_rng_name` reports it.
    public var gslName: String { String(cString: gslType.pointee.name) }
}
