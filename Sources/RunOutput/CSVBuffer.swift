/// A byte buffer that CSV rows are formatted into (LF line ends, no quoting needed for the
/// identifiers and numbers lspsim writes; text fields with commas or quotes are quoted).
public struct CSVBuffer {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    /// A Double with the fewest digits that round-trip it (Swift's `description`), e.g. `6.8`.
    @inline(__always)
    public mutating func append(_ value: Double) {
        bytes.append(contentsOf: value.description.utf8)
    }

    @inline(__always)
    public mutating func append<I: BinaryInteger>(integer value: I) {
        if value >= 0 && value < 10 {
            bytes.append(0x30 + UInt8(value))
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
    }

    /// A text field, quoted where it holds a comma, quote or line break.
    public mutating func append(text: String) {
        if text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
            bytes.append(0x22)
            for byte in text.utf8 {
                if byte == 0x22 { bytes.append(0x22) }
                bytes.append(byte)
            }
            bytes.append(0x22)
        } else {
            bytes.append(contentsOf: text.utf8)
        }
    }

    @inline(__always) public mutating func comma() { bytes.append(0x2C) }
    @inline(__always) public mutating func newline() { bytes.append(0x0A) }

    /// A header line of column names.
    public mutating func header(_ columns: [String]) {
        bytes.append(contentsOf: columns.joined(separator: ",").utf8)
        newline()
    }

    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }
}
