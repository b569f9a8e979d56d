import CGSL

/// GSL's Sobol quasi-random sequence (`gsl_qrng_sobol`, Antonov and Saleev's variant), in [0, 1)^d.
///
/// The first point GSL returns is (0.5, ..., 0.5); GSL supports up to 40 dimensions.
public final class SobolSequence {
    private let qrng: OpaquePointer
    /// The number of dimensions.
    public let dimensions: Int

    /// Starts the sequence in `dimensions` dimensions (1...40).
    public init(dimensions: Int) throws(GSLError) {
        GSL.configure()
        guard dimensions >= 1, dimensions <= 40,
              let qrng = gsl_qrng_alloc(cgsl_qrng_sobol(), UInt32(dimensions)) else {
            throw GSLError(status: Int32(GSL_EINVAL), context: "starting a Sobol sequence in \(dimensions) dimensions (GSL allows 1 to 40)")
        }
        self.qrng = OpaquePointer(qrng)
        self.dimensions = dimensions
    }

    deinit { gsl_qrng_free(UnsafeMutablePointer(qrng)) }

    /// The next point of the sequence.
    public func next() throws(GSLError) -> [Double] {
        var point = [Double](repeating: 0, count: dimensions)
        let status = point.withUnsafeMutableBufferPointer { gsl_qrng_get(UnsafeMutablePointer(qrng), $0.baseAddress!) }
        try GSL.check(status, "drawing a Sobol point")
        return point
    }
}
