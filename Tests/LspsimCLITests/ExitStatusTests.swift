import ArgumentParser
import Foundation
import PartnershipModel
import Reports
import ScenarioFile
import Testing
@testable import lspsim

/// The one mapping from errors to exit codes, without running the binary.
@Suite("exit codes of errors")
struct ExitStatusTests {
    @Test("each category has its sysexits code, 75 for try-again-later")
    func codes() {
        let codes = ExitCategory.allCases.map(ExitStatus.code(for:))
        #expect(codes == [64, 65, 66, 69, 70, 73, 75, 130])
        #expect(Set(codes).count == ExitCategory.allCases.count, "one code per category")
    }

    @Test("a library error chooses its category through ExitCodeClassified: a busy store exits 75")
    func classified() {
        struct StoreBusy: ExitCodeClassified, CustomStringConvertible {
            var exitCategory: ExitCategory { .temporaryFailure }
            var description: String { "the store is locked by another writer" }
        }
        #expect(ExitStatus.category(of: StoreBusy()) == .temporaryFailure)
        #expect(ExitStatus.category(of: ClassifiedError(.noInput, "x")) == .noInput)
        #expect(ExitStatus.category(of: ReportError.cannotWrite(file: "r.html", reason: "read-only")) == .cannotCreate)
        #expect(ExitStatus.category(of: ReportError.noSuchFolder("d")) == .noInput)
        #expect(ExitStatus.category(of: ValidationError("bad")) == nil, "ArgumentParser reports its own errors (64)")
    }

    @Test("a missing scenario file is noInput by the file system, not by the message; other problems are invalidInput")
    func scenarioFiles() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("lspsim-none-\(UUID().uuidString).yaml").path
        // The same message for a file that exists: the category follows the file system.
        let message = "no such file"
        #expect(ExitStatus.category(of: ScenarioFileError(diagnostics: [Diagnostic(file: missing, line: nil, column: nil, path: "", message: message)])) == .noInput)
        let existing = #filePath
        #expect(ExitStatus.category(of: ScenarioFileError(diagnostics: [Diagnostic(file: existing, line: nil, column: nil, path: "", message: message)])) == .invalidInput)
        #expect(ExitStatus.category(of: ScenarioFileError(diagnostics: [Diagnostic(file: missing, line: 3, column: 1, path: "name", message: "is required")])) == .invalidInput)
        #expect(ExitStatus.isCompilerStyle(ScenarioFileError(diagnostics: [])))
    }
}
