import ArgumentParser
import Testing
@testable import lspsim

/// Every command's help gives examples, and every example is a valid command line: it parses,
/// and passes the command's own validation, with the parser of the command it documents.
@Suite("--help examples parse")
struct HelpExampleTests {
    static let commands: [ParsableCommand.Type] = [LSPSim.self] + LSPSim.configuration.subcommands

    /// The example command lines of a help text: the lines after an "Example:" or "Examples:" line
    /// that run lspsim (directly, or as `swift run -c release lspsim ...`), from the word "lspsim"
    /// on, split into words as a shell would (double and single quotes; a redirection `>` ends the
    /// command).
    static func examples(in help: String) -> [[String]] {
        var result: [[String]] = [], inExamples = false, pending = ""
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            var text = line.trimmingCharacters(in: .whitespaces)
            if text == "Example:" || text == "Examples:" {
                inExamples = true
                continue
            }
            guard inExamples else { continue }
            // A command continued on the next line (a trailing backslash, as in a shell).
            if text.hasSuffix("\\") {
                pending += text.dropLast() + " "
                continue
            }
            text = pending + text
            pending = ""
            let line = words(text)
            guard line.first == "lspsim" || line.first == "swift", let start = line.firstIndex(of: "lspsim") else {
                if !text.isEmpty { inExamples = false }
                continue
            }
            result.append(Array(line[start...]))
        }
        return result
    }

    static func words(_ text: String) -> [String] {
        var words: [String] = [], word = "", quote: Character?, inWord = false
        for c in text {
            if let q = quote {
                if c == q { quote = nil } else { word.append(c) }
            } else if c == "\"" || c == "'" {
                quote = c
                inWord = true
            } else if c == ">" {
                break
            } else if c == " " {
                if inWord { words.append(word) }
                word = ""
                inWord = false
            } else {
                word.append(c)
                inWord = true
            }
        }
        if inWord { words.append(word) }
        return words
    }

    @Test("the example splitter reads quotes and stops at a redirection")
    func splitter() {
        #expect(Self.words(#"lspsim discover out --where "targets_met_share >= 0.6" --box 3"#)
            == ["lspsim", "discover", "out", "--where", "targets_met_share >= 0.6", "--box", "3"])
        #expect(Self.words("lspsim sweep a.yaml --emit-point 5 > point5.yaml") == ["lspsim", "sweep", "a.yaml", "--emit-point", "5"])
        #expect(Self.examples(in: "Text.\n\nExamples:\n  lspsim run a.yaml\n  lspsim run b.yaml -r 3\n\nMore text.\n  lspsim x")
            == [["lspsim", "run", "a.yaml"], ["lspsim", "run", "b.yaml", "-r", "3"]])
        #expect(Self.examples(in: "Example:\n  swift run -c release lspsim bench a.yaml\nUSAGE: lspsim bench <scenarios> ...")
            == [["lspsim", "bench", "a.yaml"]])
        #expect(Self.examples(in: "Example:\n  lspsim new --name \"A B\" \\\n    --out a.yaml\n\nUSAGE: lspsim new")
            == [["lspsim", "new", "--name", "A B", "--out", "a.yaml"]])
    }

    @Test("each command's help has examples, each parses, and at least one is of that command", arguments: commands.map { "\($0.configuration.commandName ?? "\($0)")" })
    func examplesParse(_ name: String) throws {
        let command = try #require(Self.commands.first { ($0.configuration.commandName ?? "\($0)") == name })
        let help = command == LSPSim.self ? LSPSim.helpMessage() : LSPSim.helpMessage(for: command, columns: 1000)
        let examples = Self.examples(in: help)
        #expect(!examples.isEmpty, "\(name) --help gives no example:\n\(help)")
        var parsedAs: [String] = []
        for example in examples {
            do {
                parsedAs.append("\(type(of: try LSPSim.parseAsRoot(Array(example.dropFirst()))))")
            } catch {
                Issue.record("the example `\(example.joined(separator: " "))` of \(name) --help does not parse: \(LSPSim.message(for: error))")
            }
        }
        // (An example may show the command through another one, as `lspsim run --report` does for report.)
        if command != LSPSim.self {
            #expect(parsedAs.contains("\(command)"), "no example of \(name) itself; they parse as \(parsedAs)")
        }
    }
}
