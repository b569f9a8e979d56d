import Foundation
import PartnershipModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one writer of a results store: `STORE.lock` beside the store, held with an exclusive
/// advisory lock (`flock`) for as long as the writer runs, and naming it (pid, command, start).
///
/// The lock file's text is written to a temporary file that is locked before it is renamed into
/// place, so a reader never sees half of it and the file at the lock's path is always the locked
/// one. The operating system drops the `flock` when its process ends in any way, so the lock file
/// of a crashed writer is stale: the next writer finds it unlocked and takes it over.
public final class WriterLock: @unchecked Sendable {
    /// The store is being written by another process.
    public struct Busy: ExitCodeClassified, CustomStringConvertible, Sendable {
        /// Try again later: `lspsim` exits 75 (EX_TEMPFAIL).
        public var exitCategory: ExitCategory { .temporaryFailure }
        /// The store's path.
        public let store: String
        /// The other writer, as its lock file names it (nil where the file could not be read).
        public let pid: Int32?, command: String?, started: String?

        public var description: String {
            var writer = "another process"
            if let pid { writer = "process \(pid)" }
            if let command { writer += " (\(command))" }
            if let started { writer += ", started \(started)," }
            return "\(store) is being written by \(writer); one process at a time may write a results store. Wait for it to finish (or stop it), then run this again; to run in parallel, write shards (--shard I/N) or use another --out"
        }
    }

    /// The lock file's path (`STORE.lock`).
    public let path: String
    private var descriptor: Int32 = -1

    /// The lock file's path for the store at `store`.
    public static func path(forStore store: String) -> String { store + ".lock" }

    /// Takes the lock of the store at `store`, or throws `Busy` at once if another process holds it.
    public init(store: String) throws {
        path = Self.path(forStore: store)
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw ResultStore.StoreError("cannot create the lock file \(path): \(String(cString: strerror(errno)))") }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let reason = errno
                close(fd)
                guard reason == EWOULDBLOCK || reason == EAGAIN else {
                    throw ResultStore.StoreError("cannot lock \(path): \(String(cString: strerror(reason)))")
                }
                throw Self.busy(store: store, lockFile: path)
            }
            // The file may have been replaced or removed between open and flock: lock the current one.
            if Self.sameFile(fd, path) {
                descriptor = fd
                break
            }
            close(fd)
        }
        try writeOwner()
    }

    /// Replaces the lock file by one naming this process, locked before it takes the lock's path.
    private func writeOwner() throws {
        let temporary = path + ".\(getpid()).tmp"
        let fd = open(temporary, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ResultStore.StoreError("cannot write the lock file \(temporary): \(String(cString: strerror(errno)))") }
        let text = Self.ownerText(pid: getpid(), command: CommandLine.arguments.joined(separator: " "), started: Timestamp.now())
        let written = text.withCString { write(fd, $0, strlen($0)) }
        guard written == text.utf8.count, flock(fd, LOCK_EX | LOCK_NB) == 0, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            unlink(temporary)
            throw ResultStore.StoreError("cannot write the lock file \(path): \(reason)")
        }
        close(descriptor)
        descriptor = fd
    }

    /// Removes the lock file and drops the lock.
    public func release() {
        guard descriptor >= 0 else { return }
        if Self.sameFile(descriptor, path) { unlink(path) }
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }

    static func sameFile(_ fd: Int32, _ path: String) -> Bool {
        var open = stat(), named = stat()
        guard fstat(fd, &open) == 0, stat(path, &named) == 0 else { return false }
        return open.st_dev == named.st_dev && open.st_ino == named.st_ino
    }

    static func ownerText(pid: Int32, command: String, started: String) -> String {
        "pid: \(pid)\ncommand: \(command.replacingOccurrences(of: "\n", with: " "))\nstarted: \(started)\n"
    }

    /// `Busy` with what the lock file says of its holder.
    static func busy(store: String, lockFile: String) -> Busy {
        let text = (try? String(contentsOfFile: lockFile, encoding: .utf8)) ?? ""
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        }
        return Busy(store: store, pid: fields["pid"].flatMap { Int32($0) }, command: fields["command"], started: fields["started"])
    }
}
