/// One problem in a scenario file: where (file, line, column, field path) and what.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    /// The file as the user named it.
    public var file: String
    /// 1-based line and column, where the YAML parser gives one.
    public var line: Int?
    public var column: Int?
    /// The field path, e.g. `partners[3].interests.NI999` (empty for the whole file).
    public var path: String
    /// What is wrong and what would be valid.
    public var message: String

    public init(file: String, line: Int?, column: Int?, path: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }

    /// `file:line:column: error: path: message`, the form compilers use.
    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return path.isEmpty ? "\(location): error: \(message)" : "\(location): error: \(path): \(message)"
    }
}

/// A scenario file that cannot be used, with every problem found in it.
public struct ScenarioFileError: Error, Sendable, CustomStringConvertible {
    /// The problems, in file order.
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    public var description: String {
        let count = diagnostics.count
        let header = count == 1 ? "" : "\(count) errors:\n"
        return header + diagnostics.map(\.description).joined(separator: "\n")
    }
}
