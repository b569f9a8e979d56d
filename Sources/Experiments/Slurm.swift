import Dispatch
import Foundation
import PartnershipModel
import Results

// Sweeps on Slurm (`lspsim slurm`): the state of shard stores, the job scripts, and running the
// Slurm tools.

// MARK: - Shards on disk

/// How far one shard's store in DIR/shards has got.
public struct ShardStatus: Sendable {
    public let index: Int
    /// Runs of the shard in all, stored ones (ok or failed), and failed ones.
    public let expected: Int, stored: Int, failed: Int
    public let exists: Bool
    /// Why the store cannot be continued by this sweep (it holds another sweep or shard).
    public let problem: String?
    public var complete: Bool { stored >= expected }

    /// The state of each shard I of `count` of `plan` in `directory`; throws `invalidInput` when
    /// the folder holds another partition's shards or a shard store cannot be read.
    public static func inspect(plan: SweepPlan, directory: URL, count: Int) throws -> [ShardStatus] {
        let folder = directory.appendingPathComponent("shards")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let otherPartitions = Set(names.compactMap { name -> Int? in
            guard name.hasPrefix("shard-"), name.hasSuffix(".sqlite"), let range = name.range(of: "-of-") else { return nil }
            return Int(name[range.upperBound...].dropLast(".sqlite".count))
        }).subtracting([count]).sorted()
        if !otherPartitions.isEmpty {
            throw ClassifiedError(.invalidInput, "\(folder.path) holds shards of a \(otherPartitions.map(String.init).joined(separator: "- and "))-way partition, and `lspsim merge` cannot combine different partitions: use --tasks \(otherPartitions[0]) to continue that sweep, or another --out (or remove those files) to start a \(count)-way one")
        }
        let replications = plan.spec.replications
        let runs = plan.runCount
        var present = [Bool](repeating: false, count: runs)
        return try (1...count).map { index in
            let shard = Shard(index: index, count: count)
            let expected = runs / count + (index - 1 < runs % count ? 1 : 0)
            let path = SweepStore.path(directory: directory, shard: shard).path
            guard FileManager.default.fileExists(atPath: path) else {
                return ShardStatus(index: index, expected: expected, stored: 0, failed: 0, exists: false, problem: nil)
            }
            do {
                let store = try ResultStore(path: path)
                guard let record = try store.sweep() else {
                    // Created but killed before its sweep was recorded: its task starts it afresh.
                    return ShardStatus(index: index, expected: expected, stored: 0, failed: 0, exists: true, problem: nil)
                }
                let changes = try SweepStore.differences(stored: record, in: store, plan: plan, shard: shard)
                if !changes.isEmpty {
                    return ShardStatus(index: index, expected: expected, stored: 0, failed: 0, exists: true,
                                       problem: "\(path) belongs to another sweep: \(changes.joined(separator: "; "))")
                }
                for i in present.indices { present[i] = false }
                try store.storedRuns(replications: replications, into: &present)
                var stored = 0
                for run in stride(from: index - 1, to: runs, by: count) where present[run] { stored += 1 }
                return ShardStatus(index: index, expected: expected, stored: stored, failed: try store.runCounts().failed,
                                   exists: true, problem: nil)
            } catch let error as ExitCodeClassified {
                throw error
            } catch {
                throw ClassifiedError(.invalidInput, "cannot read the shard store \(path): \(error)")
            }
        }
    }
}

// MARK: - Scripts

/// The job scripts of a sweep on Slurm.
public struct SlurmScripts: Sendable {
    public struct Options: Sendable {
        public var partition: String?
        public var time: String?
        public var cpusPerTask: Int
        public var mem: String?
        public var account: String?

        public init(partition: String?, time: String?, cpusPerTask: Int, mem: String?, account: String?) {
            self.partition = partition
            self.time = time
            self.cpusPerTask = cpusPerTask
            self.mem = mem
            self.account = account
        }
    }

    /// Where the scripts, logs and the record of submissions go: DIR/slurm/.
    public struct Layout: Sendable {
        public let directory: URL
        public init(directory: URL) { self.directory = directory }
        public var folder: URL { directory.appendingPathComponent("slurm") }
        public var logs: URL { folder.appendingPathComponent("logs") }
        public var arrayScript: URL { folder.appendingPathComponent("array.sbatch") }
        public var mergeScript: URL { folder.appendingPathComponent("merge.sbatch") }
        /// One line per submission: time, array job id, shards, merge job id.
        public var submissions: URL { folder.appendingPathComponent("submissions.log") }

        public func record(arrayID: String?, shards: [Int], of count: Int, mergeID: String?) throws {
            var line = Timestamp.now()
            if let arrayID { line += " array=\(arrayID) shards=\(SlurmScripts.arraySpec(shards)) of=\(count)" }
            if let mergeID { line += " merge=\(mergeID)" }
            line += "\n"
            if let handle = try? FileHandle(forWritingTo: submissions) {
                defer { try? handle.close() }
                try handle.seekToEnd()
                try handle.write(contentsOf: Data(line.utf8))
            } else {
                try line.write(to: submissions, atomically: true, encoding: .utf8)
            }
        }

        /// Job ids recorded by earlier submissions.
        public func recordedJobIDs() -> [String] {
            guard let text = try? String(contentsOf: submissions, encoding: .utf8) else { return [] }
            return text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { word in
                for key in ["array=", "merge="] where word.hasPrefix(key) { return String(word.dropFirst(key.count)) }
                return nil
            }
        }
    }

    public let plan: SweepPlan
    public let sweepPath: String
    public let directory: URL
    public let executable: String
    public let tasks: Int
    public let options: Options
    public let commandLine: [String]

    public init(plan: SweepPlan, sweepPath: String, directory: URL, executable: String, tasks: Int, options: Options,
                commandLine: [String]) {
        self.plan = plan
        self.sweepPath = sweepPath
        self.directory = directory
        self.executable = executable
        self.tasks = tasks
        self.options = options
        self.commandLine = commandLine
    }

    var jobName: String {
        let stem = URL(fileURLWithPath: sweepPath).deletingPathExtension().lastPathComponent
        let safe = String(stem.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
        return "lspsim-" + safe
    }

    /// The #SBATCH lines both scripts share: the options given, and only those.
    func commonDirectives(cpus: Int) -> [String] {
        var lines = ["#SBATCH --chdir=\(directory.path)", "#SBATCH --ntasks=1", "#SBATCH --cpus-per-task=\(cpus)"]
        if let partition = options.partition { lines.append("#SBATCH --partition=\(partition)") }
        if let time = options.time { lines.append("#SBATCH --time=\(time)") }
        if let mem = options.mem { lines.append("#SBATCH --mem=\(mem)") }
        if let account = options.account { lines.append("#SBATCH --account=\(account)") }
        return lines
    }

    func header(_ title: String) -> [String] {
        [
            "#!/bin/bash",
            "# \(title)",
            "#",
            "# Written by lspsim \(LspsimVersion.current) on \(Timestamp.now()):",
            "#   " + commandLine.map(shellQuoted).joined(separator: " "),
            "# Sweep \"\(plan.spec.name)\" (\(sweepPath)):",
            "#   \(plan.points.count) design points x \(plan.spec.replications) replications = \(plan.runCount) runs, seed \(plan.spec.seed).",
        ]
    }

    /// The job array: task I computes shard I/N; `indices` are the shards to run.
    public func arrayScript(indices: [Int], resumed: Bool) -> String {
        let shardFile = "\(directory.path)/shards/shard-I-of-\(tasks).sqlite"
        var lines = header("lspsim sweep as a Slurm job array: one array task per shard.")
        lines += [
            "# Shards: \(tasks); run number i (point-major, then replication) belongs to shard (i mod \(tasks)) + 1,",
            "#   so each shard holds \(shardSizeText(plan.runCount, tasks)) runs, spread over every design point.",
            "#   Task I writes only \(shardFile).",
        ]
        if resumed {
            lines.append("# Resubmission (--resume): only shards \(SlurmScripts.arraySpec(indices)) were missing or incomplete; the others are complete.")
        }
        lines += [
            "# Every task continues its shard's store (--resume), so a task that is rerun after a failure,",
            "#   a time limit or a cancellation computes only the runs its shard still lacks.",
            "#",
            "# Submit:  array=$(sbatch --parsable \(shellQuoted(directory.path + "/slurm/array.sbatch")))",
            "# then:    sbatch --dependency=afterany:${array%%;*} \(shellQuoted(directory.path + "/slurm/merge.sbatch"))",
            "#",
            "#SBATCH --job-name=\(jobName)",
            "#SBATCH --array=\(SlurmScripts.arraySpec(indices))",
            "#SBATCH --output=\(directory.path)/slurm/logs/shard-%a-of-\(tasks)-job%A.out",
        ]
        lines += commonDirectives(cpus: options.cpusPerTask)
        lines += [
            "",
            "set -euo pipefail",
            "",
            "# Threads: the CPUs Slurm gave this task (--cpus-per-task).",
            "exec \(shellQuoted(executable)) sweep \(shellQuoted(sweepPath)) \\",
            "    --shard \"${SLURM_ARRAY_TASK_ID}/\(tasks)\" --out \(shellQuoted(directory.path)) \\",
            "    --jobs \(options.cpusPerTask) --resume --quiet",
            "",
        ]
        return lines.joined(separator: "\n")
    }

    /// The merge job: combines the shards and reports what is missing.
    public func mergeScript() -> String {
        var lines = header("Merges the \(tasks) shards of an lspsim sweep into \(directory.path)/results.sqlite.")
        lines += [
            "# `lspsim merge` checks that every run of the design is present exactly once, lists what is",
            "#   missing or failed by shard, and exits 0 only when the design is complete (65 otherwise),",
            "#   so this job's state (sacct, squeue) says whether the sweep is done. Safe to run again.",
            "# Submitted with --dependency=afterany:<array job id>, it starts when every task has ended,",
            "#   even a failed one, and then reports which shards need `lspsim slurm ... --resume --submit`.",
            "#",
            "#SBATCH --job-name=\(jobName)-merge",
            "#SBATCH --output=\(directory.path)/slurm/logs/merge-job%j.out",
        ]
        lines += commonDirectives(cpus: 1)
        lines += [
            "",
            "set -euo pipefail",
            "",
            "exec \(shellQuoted(executable)) merge \(shellQuoted(directory.path))",
            "",
        ]
        return lines.joined(separator: "\n")
    }

    public static func writeExecutable(_ text: String, to url: URL) throws {
        try text.write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }

    // MARK: Validation of Slurm values

    /// A Slurm time limit: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S (minutes and seconds below 60), not zero.
    public static func isValidTime(_ text: String) -> Bool {
        let isNumber = { (part: Substring) in !part.isEmpty && part.count <= 9 && part.allSatisfy { $0.isASCII && $0.isNumber } }
        var days = 0
        var rest = Substring(text)
        if let dash = text.firstIndex(of: "-") {
            guard isNumber(text[..<dash]) else { return false }
            days = Int(text[..<dash])!
            rest = text[text.index(after: dash)...]
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.allSatisfy(isNumber) else { return false }
        let values = parts.map { Int($0)! }
        let seconds: Int
        if days > 0 || text.contains("-") {
            // D-H, D-H:M, D-H:M:S
            guard (1...3).contains(values.count), values.dropFirst().allSatisfy({ $0 < 60 }) else { return false }
            let padded = values + Array(repeating: 0, count: 3 - values.count)
            seconds = days * 86400 + padded[0] * 3600 + padded[1] * 60 + padded[2]
        } else {
            switch values.count {
            case 1: seconds = values[0] * 60
            case 2: guard values[1] < 60 else { return false }; seconds = values[0] * 60 + values[1]
            case 3: guard values[1] < 60, values[2] < 60 else { return false }; seconds = values[0] * 3600 + values[1] * 60 + values[2]
            default: return false
            }
        }
        return seconds > 0
    }

    /// Memory: a positive whole number with an optional unit K, M, G or T.
    public static func isValidMemory(_ text: String) -> Bool {
        var digits = Substring(text)
        if let last = text.last, "KMGTkmgt".contains(last) { digits = text.dropLast() }
        guard !digits.isEmpty, digits.count <= 15, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        return Int(digits)! > 0
    }

    /// A partition or account name, safe on an #SBATCH line.
    public static func isValidName(_ text: String, allowCommas: Bool) -> Bool {
        let names = allowCommas ? text.split(separator: ",", omittingEmptySubsequences: false) : [Substring(text)]
        return names.allSatisfy { name in
            !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-+".contains($0)) }
        }
    }

    /// Why `path` cannot be the output folder of #SBATCH lines (--chdir, --output), if it cannot.
    public static func unsafeFolderProblem(_ path: String) -> String? {
        if path.isEmpty { return "must name a folder" }
        let bad = path.filter { $0.isWhitespace || "\"'%\\$`".contains($0) }
        guard bad.isEmpty else {
            let shown = Set(bad).map { $0.isWhitespace ? "whitespace" : "'\($0)'" }.sorted().joined(separator: ", ")
            return "\(path) holds \(shown), which #SBATCH lines and Slurm's log file patterns cannot carry; choose a folder without"
        }
        return nil
    }

    /// Array indices as Slurm writes them: consecutive runs become ranges, `1-4,7,9-10`.
    public static func arraySpec(_ indices: [Int]) -> String {
        let sorted = Array(Set(indices)).sorted()
        var parts: [String] = []
        var i = 0
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count && sorted[j + 1] == sorted[j] + 1 { j += 1 }
            parts.append(i == j ? "\(sorted[i])" : "\(sorted[i])-\(sorted[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }
}

/// "900" or "900-901": the sizes of the shards of `runs` runs in `count` shards.
public func shardSizeText(_ runs: Int, _ count: Int) -> String {
    let small = runs / count
    return runs % count == 0 ? "\(small)" : "\(small)-\(small + 1)"
}

// MARK: - Running tools

/// A word quoted for the shell, only when it needs quoting.
public func shellQuoted(_ word: String) -> String {
    let plain = !word.isEmpty && word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_./:@%+=,-".contains($0)) }
    return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// The absolute path of `program` on PATH, if any.
public func findOnPath(_ program: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    for folder in path.split(separator: ":") where !folder.isEmpty {
        let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(program).path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
           FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
    }
    return nil
}

public struct ToolResult: Sendable {
    public let status: Int32
    public let stdout: String, stderr: String
}

/// Runs `executable` with `arguments` and collects its output.
public func runTool(_ executable: String, _ arguments: [String]) throws -> ToolResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read both pipes while it runs, so that neither can fill up and block it.
    let errorData = ErrorData()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) {
        errorData.data = err.fileHandleForReading.readDataToEndOfFile()
    }
    let outputData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ToolResult(status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
                      stderr: String(decoding: errorData.data, as: UTF8.self))
}

private final class ErrorData: @unchecked Sendable {
    var data = Data()
}

// MARK: - Submitting

/// Checks with and submissions to Slurm's tools, for `lspsim slurm --submit`.
public enum SlurmTools {
    /// The lspsim binary the jobs run, as an absolute path.
    public static func resolveBinary(_ binary: String?) throws(ClassifiedError) -> String {
        if let binary {
            let path = URL(fileURLWithPath: binary).standardizedFileURL.path
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw ClassifiedError(.noInput, "--lspsim \(binary): no executable file at \(path)")
            }
            return path
        }
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"), path.hasPrefix("/") {
            return path
        }
        if let path = Bundle.main.executableURL?.standardizedFileURL.path, FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        throw ClassifiedError(.usage, "cannot tell where this lspsim binary is; name the binary the jobs should run with --lspsim PATH")
    }

    /// Refuses an array larger than the cluster's MaxArraySize (when scontrol can tell it).
    public static func checkArraySize(tasks: Int) throws(ClassifiedError) {
        guard let scontrol = findOnPath("scontrol"),
              let result = try? runTool(scontrol, ["show", "config"]), result.status == 0 else { return }
        for line in result.stdout.split(separator: "\n") where line.hasPrefix("MaxArraySize") {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let maximum = Int(parts[1].trimmingCharacters(in: .whitespaces)) else { return }
            if maximum == 0 {
                throw ClassifiedError(.unavailable, "this cluster disables job arrays (MaxArraySize = 0); ask its administrators, or submit one `lspsim sweep SWEEP --shard I/N --out DIR --resume` job per shard yourself")
            }
            if tasks >= maximum {
                throw ClassifiedError(.usage, "this cluster's MaxArraySize is \(maximum), so array task ids go up to \(maximum - 1) at most; use --tasks \(maximum - 1) or fewer (with more --cpus-per-task), see docs/CLUSTER.md")
            }
        }
    }

    /// Refuses to submit while a job of an earlier submission into DIR is still queued or running:
    /// two tasks of one shard would be two writers of one SQLite file (`temporaryFailure`, exit 75).
    /// Returns warnings when it cannot tell (no squeue, squeue failed).
    public static func checkNoActiveJobs(layout: SlurmScripts.Layout) throws(ClassifiedError) -> [String] {
        let earlier = layout.recordedJobIDs()
        guard !earlier.isEmpty else { return [] }
        guard let squeue = findOnPath("squeue") else {
            return ["squeue is not on PATH, so lspsim cannot check that the jobs of earlier submissions (\(earlier.joined(separator: ", "))) have ended; make sure they have, or a shard could get two writers"]
        }
        let result: ToolResult
        do {
            result = try runTool(squeue, ["--noheader", "--states=all", "--jobs=" + earlier.joined(separator: ","), "--format=%i %T"])
        } catch {
            return ["could not run squeue (\(error)); make sure the jobs \(earlier.joined(separator: ", ")) have ended"]
        }
        if result.status != 0 {
            // Jobs that ended long ago are forgotten by the controller: "Invalid job id specified".
            if !result.stderr.contains("Invalid job id") {
                return ["squeue failed (\(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))); make sure the jobs \(earlier.joined(separator: ", ")) have ended"]
            }
            return []
        }
        let ended: Set<String> = ["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "SPECIAL_EXIT", "REVOKED"]
        let active = result.stdout.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            guard fields.count >= 2, !ended.contains(String(fields[1])) else { return nil }
            return "\(fields[0]) \(fields[1])"
        }
        guard active.isEmpty else {
            let ids = Set(active.compactMap { Int($0.prefix { $0.isNumber }) }).sorted().map(String.init).joined(separator: ",")
            throw ClassifiedError(.temporaryFailure, "jobs of an earlier submission into \(layout.directory.path) have not ended yet: \(active.prefix(8).joined(separator: ", "))\(active.count > 8 ? ", ..." : ""). Submitting now could give a shard two writers. Wait for them (squeue -j \(ids)) or cancel them (scancel \(ids)), then run this again.")
        }
        return []
    }

    /// Runs sbatch and returns the job id it printed; `unavailable` when it cannot run or refuses.
    public static func submit(_ sbatch: String, _ arguments: [String], what: String) throws(ClassifiedError) -> String {
        let result: ToolResult
        do {
            result = try runTool(sbatch, arguments)
        } catch {
            throw ClassifiedError(.unavailable, "could not run \(sbatch) to submit \(what): \(error)")
        }
        let message = (result.stderr + result.stdout).trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.status == 0 else {
            throw ClassifiedError(.unavailable, "sbatch refused \(what) (exit \(result.status)): \(message.isEmpty ? "no message" : message)\n  command: sbatch \(arguments.map(shellQuoted).joined(separator: " "))")
        }
        // --parsable prints "jobid" or "jobid;cluster".
        let line = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let id = String(line.split(separator: ";").first ?? "").trimmingCharacters(in: .whitespaces)
        guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw ClassifiedError(.unavailable, "sbatch submitted \(what) but printed no job id: \(message)")
        }
        return id
    }
}
