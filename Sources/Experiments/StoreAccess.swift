import Foundation
import PartnershipModel
import Results

extension SweepStore {
    /// Opens the results store of a sweep folder (or a `.sqlite` file given directly) for the
    /// analysis commands; returns it with the folder that holds it.
    ///
    /// Throws `noInput` when there is no such folder or file, or no `results.sqlite` in the folder,
    /// and `invalidInput` when the file is not an lspsim results store. An error that is already
    /// classified (e.g. a busy store) keeps its category.
    public static func openForReading(_ path: String) throws -> (store: ResultStore, directory: URL) {
        var url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw ClassifiedError(.noInput, "\(path): no such folder or file")
        }
        if isDirectory.boolValue { url = url.appendingPathComponent("results.sqlite") }
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ClassifiedError(.noInput, "\(path) holds no results.sqlite; run `lspsim sweep` into it first (or `lspsim merge` for shards)")
        }
        let store = try ClassifiedError.classifying(.invalidInput, "cannot read \(url.path)") { () throws -> ResultStore in
            let store = try ResultStore(path: url.path)
            guard try store.hasSweep() else {
                throw ClassifiedError(.invalidInput, "\(url.path) is not an lspsim results store (it has no sweep table)")
            }
            return store
        }
        return (store, url.deletingLastPathComponent())
    }
}

extension Analysis {
    /// The indices of the measures `names` in `measures`; an unknown name is a usage error that
    /// lists the valid ones.
    public static func measureIndices(_ names: [String]) throws -> [Int] {
        try names.map { name in
            guard let index = measures.firstIndex(of: name) else {
                throw ClassifiedError(.usage, "unknown metric '\(name)'; valid metrics: \(measures.joined(separator: ", "))")
            }
            return index
        }
    }
}
