import ArgumentParser
import Experiments
import Foundation
import PartnershipModel
import Results

extension ExitStatus {
    /// A program lspsim needs (sbatch) is missing, or Slurm refused a submission (EX_UNAVAILABLE).
    static let unavailable: Int32 = 69
    /// Jobs of an earlier submission are still queued or running: try again later (EX_TEMPFAIL).
    static let tryLater: Int32 = 75
}

extension LSPSim {
    struct Slurm: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write (and with --submit, submit) Slurm job scripts that run a sweep as a job array of shards.",
            discussion: """
                Writes DIR/slurm/array.sbatch, a job array with one task per shard (task I runs \
                `lspsim sweep SWEEP --shard I/N --out DIR --resume`), and DIR/slurm/merge.sbatch, which runs \
                `lspsim merge DIR` to combine the shards into DIR/results.sqlite and report anything missing. \
                DIR must be on a filesystem that the compute nodes share; each task writes only its own \
                shard file. With --submit, submits the array and then the merge job, which starts once every \
                task has ended (afterany), and prints both job ids. With --resume, only the shards that are \
                missing or incomplete are (re)submitted, plus a new merge job. See docs/CLUSTER.md.

                Examples:
                  lspsim slurm scenarios/governance-options.yaml --tasks 8 --out /scratch/gov
                  lspsim slurm big.yaml --tasks 64 --out /scratch/big --time 1:00:00 --submit
                  lspsim slurm big.yaml --tasks 64 --out /scratch/big --time 1:00:00 --resume --submit
                """
        )

        @Argument(help: "The sweep file (YAML).")
        var sweep: String

        @Option(help: "Number of array tasks N: task I computes shard I of N.")
        var tasks: Int

        @Option(name: [.short, .long], help: "Output folder, on a filesystem shared with the compute nodes.")
        var out: String

        @Option(help: "Slurm partition (default: the cluster's default partition).")
        var partition: String?

        @Option(help: "Time limit of each task, e.g. 01:30:00 or 2-00:00:00 (default: the partition's).")
        var time: String?

        @Option(help: "CPUs of each task; its shard runs on that many threads.")
        var cpusPerTask: Int = 1

        @Option(help: "Memory of each task, e.g. 2G or 500M (default: the partition's).")
        var mem: String?

        @Option(help: "Account to charge (default: your default account).")
        var account: String?

        @Flag(help: "Submit the scripts with sbatch (otherwise only write them and print how to submit them).")
        var submit = false

        @Flag(help: "Only (re)submit shards that are missing or incomplete in DIR/shards, plus a new merge job.")
        var resume = false

        @Option(name: .customLong("lspsim"), help: "The lspsim binary the jobs run, reachable from the compute nodes (default: this one).")
        var binary: String?

        func validate() throws {
            guard tasks >= 1 else { throw ValidationError("--tasks must be at least 1, got \(tasks)") }
            guard cpusPerTask >= 1 else { throw ValidationError("--cpus-per-task must be at least 1, got \(cpusPerTask)") }
            if let time, !SlurmScripts.isValidTime(time) {
                throw ValidationError("--time must be a Slurm time limit: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (minutes and seconds below 60, not zero), e.g. 01:30:00; got '\(time)'")
            }
            if let mem, !SlurmScripts.isValidMemory(mem) {
                throw ValidationError("--mem must be a positive whole number with an optional unit K, M, G or T (megabytes without one), e.g. 2G; got '\(mem)'")
            }
            if let partition, !SlurmScripts.isValidName(partition, allowCommas: true) {
                throw ValidationError("--partition must be a partition name (letters, digits, '.', '_', '-', '+'; a comma-separated list for several); got '\(partition)'")
            }
            if let account, !SlurmScripts.isValidName(account, allowCommas: false) {
                throw ValidationError("--account must be an account name (letters, digits, '.', '_', '-', '+'); got '\(account)'")
            }
            if let problem = SlurmScripts.unsafeFolderProblem(out) {
                throw ValidationError("--out \(problem)")
            }
        }

        func run() throws {
            let plan: SweepPlan
            do {
                plan = try SweepLoader.load(path: sweep)
            } catch {
                printError(error.description)
                let missing = error.diagnostics.count == 1 && error.diagnostics[0].message == "no such file"
                throw ExitCode(missing ? ExitStatus.noInput : ExitStatus.invalidInput)
            }
            guard tasks <= plan.runCount else {
                printError("--tasks \(tasks) is more than the sweep's \(plan.runCount) runs (\(plan.points.count) design points x \(plan.spec.replications) replications); use at most \(plan.runCount) tasks")
                throw ExitCode(ExitStatus.usage)
            }

            // Absolute paths: jobs start in another folder, on another machine.
            let sweepPath = URL(fileURLWithPath: sweep).standardizedFileURL.path
            let directory = URL(fileURLWithPath: out).standardizedFileURL
            let executable = try resolveBinary()

            // Refuse early what cannot work, before writing anything.
            var sbatch: String?
            if submit {
                guard let found = findOnPath("sbatch") else {
                    printError("--submit needs Slurm's sbatch, which is not on PATH (\(ProcessInfo.processInfo.environment["PATH"] ?? "PATH is not set")). Run this on a Slurm login node (perhaps after `module load slurm`), or leave out --submit to only write the scripts.")
                    throw ExitCode(ExitStatus.unavailable)
                }
                sbatch = found
                try checkArraySize()
            }

            // Before opening any shard store: a task still writing one must be left alone.
            let layout = SlurmScripts.Layout(directory: directory)
            if submit { try checkNoActiveJobs(layout: layout) }

            let shards: [ShardStatus]
            do {
                shards = try ShardStatus.inspect(plan: plan, directory: directory, count: tasks)
            } catch let error as ShardStatus.FolderError {
                printError(error.message)
                throw ExitCode(ExitStatus.invalidInput)
            }
            let foreign = shards.filter { $0.problem != nil }
            if !foreign.isEmpty {
                for shard in foreign { printError(shard.problem!) }
                printError("its task would refuse to continue that store; remove it (or choose another --out) and try again")
                throw ExitCode(ExitStatus.invalidInput)
            }

            let selected = resume ? shards.filter { !$0.complete }.map(\.index) : Array(1...tasks)
            let spec = plan.spec
            print("\(spec.name): \(plan.points.count) design points x \(spec.replications) replications = \(plan.runCount) runs in \(tasks) shards of \(shardSizeText(plan.runCount, tasks)) runs.")
            if resume {
                for shard in shards where shard.exists {
                    let state = shard.complete ? "complete" : "incomplete"
                    var line = "  shard \(shard.index)/\(tasks): \(shard.stored) of \(shard.expected) runs stored (\(state))"
                    if shard.failed > 0 { line += ", \(shard.failed) failed: resubmitting does not rerun failed runs" }
                    print(line)
                }
                let absent = shards.filter { !$0.exists }.map(\.index)
                if !absent.isEmpty { print("  no store yet for shard(s) \(SlurmScripts.arraySpec(absent))") }
            } else {
                let existing = shards.filter(\.exists)
                if !existing.isEmpty {
                    print("Note: \(existing.count) of \(tasks) shard stores exist already in \(directory.path)/shards; their tasks only compute what is missing (with --resume, only incomplete shards are submitted).")
                }
            }

            let options = SlurmScripts.Options(partition: partition, time: time, cpusPerTask: cpusPerTask, mem: mem, account: account)
            let scripts = SlurmScripts(plan: plan, sweepPath: sweepPath, directory: directory, executable: executable,
                                       tasks: tasks, options: options, commandLine: CommandLine.arguments)
            do {
                try FileManager.default.createDirectory(at: layout.logs, withIntermediateDirectories: true)
                if !selected.isEmpty {
                    try SlurmScripts.writeExecutable(scripts.arrayScript(indices: selected, resumed: resume), to: layout.arrayScript)
                }
                try SlurmScripts.writeExecutable(scripts.mergeScript(), to: layout.mergeScript)
            } catch {
                printError("cannot write the job scripts into \(layout.folder.path): \(error.localizedDescription)")
                throw ExitCode(ExitStatus.cannotCreate)
            }

            if selected.isEmpty {
                print("Every shard is complete: nothing to resubmit.")
            } else {
                print("Wrote \(layout.arrayScript.path) (\(selected.count) array task\(selected.count == 1 ? "" : "s"): shard\(selected.count == 1 ? "" : "s") \(SlurmScripts.arraySpec(selected)) of \(tasks), \(cpusPerTask) CPU\(cpusPerTask == 1 ? "" : "s") each)")
            }
            print("Wrote \(layout.mergeScript.path) (lspsim merge \(directory.path))")

            guard let sbatch else {
                print("")
                print("Submit them on the cluster with:")
                if selected.isEmpty {
                    print("  sbatch \(shellQuoted(layout.mergeScript.path))      # or run: lspsim merge \(shellQuoted(directory.path))")
                } else {
                    print("  array=$(sbatch --parsable \(shellQuoted(layout.arrayScript.path)))")
                    print("  sbatch --dependency=afterany:${array%%;*} \(shellQuoted(layout.mergeScript.path))")
                }
                print("or add --submit to this command to let lspsim submit them and print the job ids.")
                return
            }

            var arrayID: String?
            if !selected.isEmpty {
                arrayID = try runSbatch(sbatch, ["--parsable", layout.arrayScript.path], what: "the array job")
            }
            var mergeArguments = ["--parsable"]
            if let arrayID { mergeArguments.append("--dependency=afterany:\(arrayID)") }
            let mergeID: String
            do {
                mergeID = try runSbatch(sbatch, mergeArguments + [layout.mergeScript.path], what: "the merge job")
            } catch {
                if let arrayID {
                    printError("the array job \(arrayID) was submitted; submit the merge job yourself: sbatch --dependency=afterany:\(arrayID) \(shellQuoted(layout.mergeScript.path))")
                    try? layout.record(arrayID: arrayID, shards: selected, of: tasks, mergeID: nil)
                }
                throw error
            }
            try? layout.record(arrayID: arrayID, shards: selected, of: tasks, mergeID: mergeID)

            let ids = [arrayID, mergeID].compactMap { $0 }.joined(separator: ",")
            print("")
            if let arrayID {
                print("Submitted array job \(arrayID) (tasks \(SlurmScripts.arraySpec(selected)): shard I of \(tasks) each)")
                print("Submitted merge job \(mergeID) (starts when every task of \(arrayID) has ended, even a failed one)")
            } else {
                print("Submitted merge job \(mergeID)")
            }
            print("Watch them:   squeue -j \(ids)")
            print("Afterwards:   sacct -j \(ids) --format=JobID,JobName,State,Elapsed,ExitCode")
            print("Logs:         \(layout.logs.path)/ (the merge job's report: merge-job\(mergeID).out)")
            print("Results:      \(directory.path)/results.sqlite once the merge job has completed (exit 0), then: lspsim summarize \(shellQuoted(directory.path))")
            print("If the merge job fails because shards are missing, resubmit only those:")
            print("  \(resumeCommand(sweepPath: sweepPath, directory: directory))")
        }

        // MARK: Helpers

        /// The lspsim binary the jobs run, as an absolute path.
        func resolveBinary() throws -> String {
            if let binary {
                let path = URL(fileURLWithPath: binary).standardizedFileURL.path
                guard FileManager.default.isExecutableFile(atPath: path) else {
                    printError("--lspsim \(binary): no executable file at \(path)")
                    throw ExitCode(ExitStatus.noInput)
                }
                return path
            }
            if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"), path.hasPrefix("/") {
                return path
            }
            if let path = Bundle.main.executableURL?.standardizedFileURL.path, FileManager.default.isExecutableFile(atPath: path) {
                return path
            }
            printError("cannot tell where this lspsim binary is; name the binary the jobs should run with --lspsim PATH")
            throw ExitCode(ExitStatus.usage)
        }

        /// The command that resubmits missing shards, as the user would type it.
        func resumeCommand(sweepPath: String, directory: URL) -> String {
            var words = ["lspsim", "slurm", sweepPath, "--tasks", String(tasks), "--out", directory.path]
            if let partition { words += ["--partition", partition] }
            if let time { words += ["--time", time] }
            if cpusPerTask != 1 { words += ["--cpus-per-task", String(cpusPerTask)] }
            if let mem { words += ["--mem", mem] }
            if let account { words += ["--account", account] }
            if let binary { words += ["--lspsim", URL(fileURLWithPath: binary).standardizedFileURL.path] }
            return (words + ["--resume", "--submit"]).map(shellQuoted).joined(separator: " ")
        }

        /// Refuses an array larger than the cluster's MaxArraySize (when scontrol can tell it).
        func checkArraySize() throws {
            guard let scontrol = findOnPath("scontrol"),
                  let result = try? runTool(scontrol, ["show", "config"]), result.status == 0 else { return }
            for line in result.stdout.split(separator: "\n") where line.hasPrefix("MaxArraySize") {
                let parts = line.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, let maximum = Int(parts[1].trimmingCharacters(in: .whitespaces)) else { return }
                if maximum == 0 {
                    printError("this cluster disables job arrays (MaxArraySize = 0); ask its administrators, or submit one `lspsim sweep SWEEP --shard I/N --out DIR --resume` job per shard yourself")
                    throw ExitCode(ExitStatus.unavailable)
                }
                if tasks >= maximum {
                    printError("this cluster's MaxArraySize is \(maximum), so array task ids go up to \(maximum - 1) at most; use --tasks \(maximum - 1) or fewer (with more --cpus-per-task), see docs/CLUSTER.md")
                    throw ExitCode(ExitStatus.usage)
                }
            }
        }

        /// Refuses to submit while a job of an earlier submission into DIR is still queued or running:
        /// two tasks of one shard would be two writers of one SQLite file.
        func checkNoActiveJobs(layout: SlurmScripts.Layout) throws {
            let earlier = layout.recordedJobIDs()
            guard !earlier.isEmpty else { return }
            guard let squeue = findOnPath("squeue") else {
                printError("warning: squeue is not on PATH, so lspsim cannot check that the jobs of earlier submissions (\(earlier.joined(separator: ", "))) have ended; make sure they have, or a shard could get two writers")
                return
            }
            let result: ToolResult
            do {
                result = try runTool(squeue, ["--noheader", "--states=all", "--jobs=" + earlier.joined(separator: ","), "--format=%i %T"])
            } catch {
                printError("warning: could not run squeue (\(error)); make sure the jobs \(earlier.joined(separator: ", ")) have ended")
                return
            }
            if result.status != 0 {
                // Jobs that ended long ago are forgotten by the controller: "Invalid job id specified".
                if !result.stderr.contains("Invalid job id") {
                    printError("warning: squeue failed (\(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))); make sure the jobs \(earlier.joined(separator: ", ")) have ended")
                }
                return
            }
            let ended: Set<String> = ["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "SPECIAL_EXIT", "REVOKED"]
            let active = result.stdout.split(separator: "\n").compactMap { line -> String? in
                let fields = line.split(separator: " ")
                guard fields.count >= 2, !ended.contains(String(fields[1])) else { return nil }
                return "\(fields[0]) \(fields[1])"
            }
            guard active.isEmpty else {
                let ids = Set(active.compactMap { Int($0.prefix { $0.isNumber }) }).sorted().map(String.init).joined(separator: ",")
                printError("jobs of an earlier submission into \(layout.directory.path) have not ended yet: \(active.prefix(8).joined(separator: ", "))\(active.count > 8 ? ", ..." : ""). Submitting now could give a shard two writers. Wait for them (squeue -j \(ids)) or cancel them (scancel \(ids)), then run this again.")
                throw ExitCode(ExitStatus.tryLater)
            }
        }

        /// Runs sbatch and returns the job id it printed.
        func runSbatch(_ sbatch: String, _ arguments: [String], what: String) throws -> String {
            let result: ToolResult
            do {
                result = try runTool(sbatch, arguments)
            } catch {
                printError("could not run \(sbatch) to submit \(what): \(error)")
                throw ExitCode(ExitStatus.unavailable)
            }
            let message = (result.stderr + result.stdout).trimmingCharacters(in: .whitespacesAndNewlines)
            guard result.status == 0 else {
                printError("sbatch refused \(what) (exit \(result.status)): \(message.isEmpty ? "no message" : message)\n  command: sbatch \(arguments.map(shellQuoted).joined(separator: " "))")
                throw ExitCode(ExitStatus.unavailable)
            }
            // --parsable prints "jobid" or "jobid;cluster".
            let line = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
            let id = String(line.split(separator: ";").first ?? "").trimmingCharacters(in: .whitespaces)
            guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
                printError("sbatch submitted \(what) but printed no job id: \(message)")
                throw ExitCode(ExitStatus.unavailable)
            }
            return id
        }
    }
}

// MARK: - Shards on disk

/// How far one shard's store in DIR/shards has got.
struct ShardStatus {
    let index: Int
    /// Runs of the shard in all, stored ones (ok or failed), and failed ones.
    let expected: Int, stored: Int, failed: Int
    let exists: Bool
    /// Why the store cannot be continued by this sweep (it holds another sweep or shard).
    let problem: String?
    var complete: Bool { stored >= expected }

    struct FolderError: Error { let message: String }

    /// The state of each shard I of `count` of `plan` in `directory`.
    static func inspect(plan: SweepPlan, directory: URL, count: Int) throws -> [ShardStatus] {
        let folder = directory.appendingPathComponent("shards")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let otherPartitions = Set(names.compactMap { name -> Int? in
            guard name.hasPrefix("shard-"), name.hasSuffix(".sqlite"), let range = name.range(of: "-of-") else { return nil }
            return Int(name[range.upperBound...].dropLast(".sqlite".count))
        }).subtracting([count]).sorted()
        if !otherPartitions.isEmpty {
            throw FolderError(message: "\(folder.path) holds shards of a \(otherPartitions.map(String.init).joined(separator: "- and "))-way partition, and `lspsim merge` cannot combine different partitions: use --tasks \(otherPartitions[0]) to continue that sweep, or another --out (or remove those files) to start a \(count)-way one")
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
                let wanted = SweepStore.record(plan, shard: shard, createdAt: "")
                let changes = SweepFingerprint.differences(stored: record, wanted: wanted)
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
            } catch {
                throw FolderError(message: "cannot read the shard store \(path): \(error)")
            }
        }
    }
}

// MARK: - Scripts

/// The job scripts of a sweep on Slurm.
struct SlurmScripts {
    struct Options {
        var partition: String?
        var time: String?
        var cpusPerTask: Int
        var mem: String?
        var account: String?
    }

    /// Where the scripts, logs and the record of submissions go: DIR/slurm/.
    struct Layout {
        let directory: URL
        var folder: URL { directory.appendingPathComponent("slurm") }
        var logs: URL { folder.appendingPathComponent("logs") }
        var arrayScript: URL { folder.appendingPathComponent("array.sbatch") }
        var mergeScript: URL { folder.appendingPathComponent("merge.sbatch") }
        /// One line per submission: time, array job id, shards, merge job id.
        var submissions: URL { folder.appendingPathComponent("submissions.log") }

        func record(arrayID: String?, shards: [Int], of count: Int, mergeID: String?) throws {
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
        func recordedJobIDs() -> [String] {
            guard let text = try? String(contentsOf: submissions, encoding: .utf8) else { return [] }
            return text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { word in
                for key in ["array=", "merge="] where word.hasPrefix(key) { return String(word.dropFirst(key.count)) }
                return nil
            }
        }
    }

    let plan: SweepPlan
    let sweepPath: String
    let directory: URL
    let executable: String
    let tasks: Int
    let options: Options
    let commandLine: [String]

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
    func arrayScript(indices: [Int], resumed: Bool) -> String {
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
    func mergeScript() -> String {
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

    static func writeExecutable(_ text: String, to url: URL) throws {
        try text.write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }

    // MARK: Validation of Slurm values

    /// A Slurm time limit: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S (minutes and seconds below 60), not zero.
    static func isValidTime(_ text: String) -> Bool {
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
    static func isValidMemory(_ text: String) -> Bool {
        var digits = Substring(text)
        if let last = text.last, "KMGTkmgt".contains(last) { digits = text.dropLast() }
        guard !digits.isEmpty, digits.count <= 15, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        return Int(digits)! > 0
    }

    /// A partition or account name, safe on an #SBATCH line.
    static func isValidName(_ text: String, allowCommas: Bool) -> Bool {
        let names = allowCommas ? text.split(separator: ",", omittingEmptySubsequences: false) : [Substring(text)]
        return names.allSatisfy { name in
            !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-+".contains($0)) }
        }
    }

    /// Why `path` cannot be the output folder of #SBATCH lines (--chdir, --output), if it cannot.
    static func unsafeFolderProblem(_ path: String) -> String? {
        if path.isEmpty { return "must name a folder" }
        let bad = path.filter { $0.isWhitespace || "\"'%\\$`".contains($0) }
        guard bad.isEmpty else {
            let shown = Set(bad).map { $0.isWhitespace ? "whitespace" : "'\($0)'" }.sorted().joined(separator: ", ")
            return "\(path) holds \(shown), which #SBATCH lines and Slurm's log file patterns cannot carry; choose a folder without"
        }
        return nil
    }

    /// Array indices as Slurm writes them: consecutive runs become ranges, `1-4,7,9-10`.
    static func arraySpec(_ indices: [Int]) -> String {
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
func shardSizeText(_ runs: Int, _ count: Int) -> String {
    let small = runs / count
    return runs % count == 0 ? "\(small)" : "\(small)-\(small + 1)"
}

// MARK: - Running tools

/// A word quoted for the shell, only when it needs quoting.
func shellQuoted(_ word: String) -> String {
    let plain = !word.isEmpty && word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_./:@%+=,-".contains($0)) }
    return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// The absolute path of `program` on PATH, if any.
func findOnPath(_ program: String) -> String? {
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

struct ToolResult {
    let status: Int32
    let stdout: String, stderr: String
}

/// Runs `executable` with `arguments` and collects its output.
func runTool(_ executable: String, _ arguments: [String]) throws -> ToolResult {
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
