import ArgumentParser
import Foundation
import Results

/// Opens the results store of a sweep folder (or a `.sqlite` file given directly).
func openStore(_ path: String) throws -> (store: ResultStore, directory: URL) {
    var url = URL(fileURLWithPath: path)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
        printError("\(path): no such folder or file")
        throw ExitCode(ExitStatus.noInput)
    }
    if isDirectory.boolValue { url = url.appendingPathComponent("results.sqlite") }
    guard FileManager.default.fileExists(atPath: url.path) else {
        printError("\(path) holds no results.sqlite; run `lspsim sweep` into it first (or `lspsim merge` for shards)")
        throw ExitCode(ExitStatus.noInput)
    }
    do {
        let store = try ResultStore(path: url.path)
        guard try store.hasSweep() else {
            printError("\(url.path) is not an lspsim results store (it has no sweep table)")
            throw ExitCode(ExitStatus.invalidInput)
        }
        return (store, url.deletingLastPathComponent())
    } catch let error as ExitCode {
        throw error
    } catch {
        printError("cannot read \(url.path): \(error)")
        throw ExitCode(ExitStatus.invalidInput)
    }
}

/// Resolves metric names, explaining the valid ones.
func metricIndices(_ names: [String], valid: [String]) throws -> [Int] {
    try names.map { name in
        guard let index = valid.firstIndex(of: name) else {
            throw ValidationError("unknown metric '\(name)'; valid metrics: \(valid.joined(separator: ", "))")
        }
        return index
    }
}
