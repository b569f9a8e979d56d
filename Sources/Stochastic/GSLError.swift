import CGSL

/// A failure reported by GSL, turned into a Swift error.
///
/// GSL's default handler aborts the process; `GSL.configure()` turns it off once, so that every
/// status code reaches Swift and is thrown as this error instead.
public struct GSLError: Error, CustomStringConvertible, Sendable, Equatable {
    /// GSL's status code (`GSL_EDOM`, `GSL_ENOMEM`, ...).
    public let status: Int32
    /// What was being done when GSL failed.
    public let context: String

    public init(status: Int32, context: String) {
        self.status = status
        self.context = context
    }

    public var description: String {
        let reason = String(cString: gsl_strerror(status))
        return "GSL error \(status) (\(reason)) while \(context)"
    }
}

/// Process-wide GSL set-up.
public enum GSL {
    private static let handlerOff: Void = {
        gsl_set_error_handler_off()
    }()

    /// Turns GSL's aborting error handler off (idempotent, thread-safe).
    public static func configure() {
        _ = handlerOff
    }

    /// The version of the GSL library linked in, e.g. "2.7.1".
    public static var version: String { String(cString: cgsl_version()) }

    /// Throws a `GSLError` for a non-zero GSL status code.
    @inline(__always)
    public static func check(_ status: Int32, _ context: @autoclosure () -> String) throws(GSLError) {
        if status != Int32(GSL_SUCCESS) { throw GSLError(status: status, context: context()) }
    }
}
