/// A bad answer to one of `lspsim new`'s or `lspsim assess`'s questions: which field, what is wrong
/// and what would be valid.
public struct AreaAnswerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The answer's field, as the answers file spells it (e.g. `population`, `indicators[2]`).
    public let field: String
    /// What is wrong and what would be valid.
    public let message: String

    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
