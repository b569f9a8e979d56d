import Foundation

/// A CSV file as lspsim writes it: a header line, then rows of plain fields (no quoting needed for
/// the numeric tables this module reads; quoted fields are still understood).
struct CSVTable {
    let file: String
    let header: [String]
    let rows: [[Substring]]

    /// Reads `url`; throws `ReportError.unreadable` where it is missing a column of `required`.
    init(url: URL, required: [String]) throws(ReportError) {
        file = url.lastPathComponent
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw .unreadable(file: url.path, reason: "cannot be read as UTF-8 text")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard !lines.isEmpty else { throw .unreadable(file: url.path, reason: "is empty; expected a header line with \(required.joined(separator: ", "))") }
        let names = Self.fields(lines.removeFirst()).map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        let missing = required.filter { !names.contains($0) }
        guard missing.isEmpty else {
            throw .unreadable(file: url.path, reason: "lacks the column(s) \(missing.joined(separator: ", ")); its header is \(names.joined(separator: ","))")
        }
        header = names
        rows = lines.map(Self.fields)
    }

    static func fields(_ line: Substring) -> [Substring] {
        var line = line
        if line.last == "\r" { line = line.dropLast() }
        guard line.contains("\"") else { return line.split(separator: ",", omittingEmptySubsequences: false) }
        var fields: [Substring] = [], current = "", quoted = false
        let characters = Array(line)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if quoted {
                if character == "\"" {
                    if index + 1 < characters.count && characters[index + 1] == "\"" {
                        current.append("\"")
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                fields.append(Substring(current))
                current = ""
            } else {
                current.append(character)
            }
            index += 1
        }
        fields.append(Substring(current))
        return fields
    }

    /// The index of `column` (which `init` checked).
    func column(_ name: String) -> Int { header.firstIndex(of: name)! }

    /// A column's numbers; throws naming the line where a field is not a number.
    func numbers(_ name: String) throws(ReportError) -> [Double] {
        let index = column(name)
        var values: [Double] = []
        values.reserveCapacity(rows.count)
        for (line, row) in rows.enumerated() {
            guard index < row.count, let value = Double(row[index]) else {
                throw .unreadable(file: file, reason: "line \(line + 2): \(name) is not a number")
            }
            values.append(value)
        }
        return values
    }
}
