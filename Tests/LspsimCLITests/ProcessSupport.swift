import Foundation
import Testing

/// Where the package and the built `lspsim` binary are.
enum LspsimBinary {
    /// The package folder (three levels above this file).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary built beside this test bundle (or `LSPSIM_BINARY`).
    static var url: URL {
        if let path = ProcessInfo.processInfo.environment["LSPSIM_BINARY"] { return URL(fileURLWithPath: path) }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("lspsim")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return packageRoot.appendingPathComponent(".build/debug/lspsim")
    }
}

/// How a finished process ended, and what it printed.
struct ProcessOutcome {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs `executable` to its end, reading stdout and stderr while it runs so that neither pipe can
/// fill up and block it. `environment` replaces the test's environment when given.
func runProcess(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                environment: [String: String]? = nil) throws -> ProcessOutcome {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    if let environment { process.environment = environment }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    nonisolated(unsafe) var errorData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errorData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outputData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ProcessOutcome(status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
                          stderr: String(decoding: errorData, as: UTF8.self))
}

/// The absolute path of `program` on `PATH`, if it is there.
func findExecutable(_ program: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> URL? {
    for folder in (path ?? "").split(separator: ":") where !folder.isEmpty {
        let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(program)
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
}

/// Tests that run the built `lspsim` binary.
protocol RunsLspsim {}

extension RunsLspsim {
    @discardableResult
    func lspsim(_ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil) throws -> ProcessOutcome {
        let binary = LspsimBinary.url
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "lspsim binary not found at \(binary.path)")
        return try runProcess(binary, arguments, in: directory, environment: environment)
    }

    func temporaryDirectory(prefix: String = "lspsim-cli") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
