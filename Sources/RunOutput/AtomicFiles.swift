import Foundation

/// Output files written under temporary names and renamed into place only when all are complete,
/// so that a run never leaves half-written results and a failed run leaves earlier files untouched.
public final class AtomicFiles {
    /// An output file could not be written.
    public struct WriteError: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    public let directory: URL
    private var handles: [String: FileHandle] = [:]
    private var order: [String] = []
    private let suffix: String

    /// Prepares `directory` (created if missing).
    public init(directory: URL) throws(WriteError) {
        self.directory = directory
        suffix = ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: directory.path, reason: "cannot create the directory (\(error.localizedDescription))")
        }
    }

    private func temporaryURL(_ name: String) -> URL { directory.appendingPathComponent(".\(name)\(suffix)") }

    /// Opens `name` (a file name inside the directory) for writing under its temporary name.
    public func open(_ name: String) throws(WriteError) {
        let url = temporaryURL(name)
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: url) else {
            throw WriteError(path: url.path, reason: "cannot create the file")
        }
        handles[name] = handle
        order.append(name)
    }

    /// Appends bytes to an open file.
    public func write(_ name: String, _ bytes: [UInt8]) throws(WriteError) {
        guard let handle = handles[name] else { throw WriteError(path: name, reason: "not open") }
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            throw WriteError(path: temporaryURL(name).path, reason: error.localizedDescription)
        }
    }

    /// Flushes every file to disk and renames each to its final name.
    public func commit() throws(WriteError) {
        for name in order {
            let handle = handles[name]!
            do {
                try handle.synchronize()
                try handle.close()
            } catch {
                throw WriteError(path: temporaryURL(name).path, reason: error.localizedDescription)
            }
        }
        for name in order {
            let final = directory.appendingPathComponent(name)
            if rename(temporaryURL(name).path, final.path) != 0 {
                throw WriteError(path: final.path, reason: String(cString: strerror(errno)))
            }
        }
        handles.removeAll()
        order.removeAll()
    }

    /// Closes and deletes every temporary file; the final names are left as they were.
    public func abandon() {
        for name in order {
            try? handles[name]?.close()
            try? FileManager.default.removeItem(at: temporaryURL(name))
        }
        handles.removeAll()
        order.removeAll()
    }

    deinit { abandon() }
}
