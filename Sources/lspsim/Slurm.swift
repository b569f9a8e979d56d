import ArgumentParser
import Experiments
import Foundation
import PartnershipModel
import Results

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
            let plan = try SweepLoader.load(path: sweep)
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

            let shards = try ShardStatus.inspect(plan: plan, directory: directory, count: tasks)
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
                throw ExitCode(ExitStatus.temporaryFailure)
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
