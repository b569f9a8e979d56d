import Foundation

/// lspsim's version, recorded in every manifest and results store.
public enum LspsimVersion {
    public static let current = "0.4.0"
}

/// Time stamps as lspsim records them: ISO 8601 in UTC with milliseconds.
public enum Timestamp {
    public static func string(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    public static func now() -> String { string(Date()) }
}
