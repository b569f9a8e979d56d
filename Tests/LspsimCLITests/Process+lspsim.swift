import Foundation
import Testing

struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// The lspsim binary built beside the test bundle (or `LSPSIM_BINARY`).
var lspsimBinary: URL {
    if let path = ProcessInfo.processInfo.environment["LSPSIM_BINARY"] { return URL(fileURLWithPath: path) }
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("lspsim")
    if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/lspsim")
}

/// Runs an executable to completion, reading its output as it goes.
func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil) throws -> CommandResult {
    try #require(FileManager.default.isExecutableFile(atPath: executable.path), "\(executable.path) not found")
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
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
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
                         stderr: String(decoding: errorData, as: UTF8.self))
}

/// Runs the lspsim binary.
@discardableResult
func lspsim(_ arguments: [String], in directory: URL? = nil) throws -> CommandResult {
    try run(lspsimBinary, arguments, in: directory)
}
