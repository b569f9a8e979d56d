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
                throw ClassifiedError(.usage, "--tasks \(tasks) is more than the sweep's \(plan.runCount) runs (\(plan.points.count) design points x \(plan.spec.replications) replications); use at most \(plan.runCount) tasks")
            }

            // Absolute paths: jobs start in another folder, on another machine.
            let sweepPath = URL(fileURLWithPath: sweep).standardizedFileURL.path
            let directory = URL(fileURLWithPath: out).standardizedFileURL
            let executable = try SlurmTools.resolveBinary(binary)

            // Refuse early what cannot work, before writing anything.
            var sbatch: String?
            if submit {
                guard let found = findOnPath("sbatch") else {
                    throw ClassifiedError(.unavailable, "--submit needs Slurm's sbatch, which is not on PATH (\(ProcessInfo.processInfo.environment["PATH"] ?? "PATH is not set")). Run this on a Slurm login node (perhaps after `module load slurm`), or leave out --submit to only write the scripts.")
                }
                sbatch = found
                try SlurmTools.checkArraySize(tasks: tasks)
            }

            // Before opening any shard store: a task still writing one must be left alone.
            let layout = SlurmScripts.Layout(directory: directory)
            if submit {
                for warning in try SlurmTools.checkNoActiveJobs(layout: layout) { printError("warning: " + warning) }
            }

            let shards = try ShardStatus.inspect(plan: plan, directory: directory, count: tasks)
            let foreign = shards.filter { $0.problem != nil }
            if !foreign.isEmpty {
                throw ClassifiedError(.invalidInput, foreign.map { $0.problem! }.joined(separator: "\nerror: ")
                    + "\nerror: its task would refuse to continue that store; remove it (or choose another --out) and try again")
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
            try ClassifiedError.classifying(.cannotCreate, "cannot write the job scripts into \(layout.folder.path)") {
                try FileManager.default.createDirectory(at: layout.logs, withIntermediateDirectories: true)
                if !selected.isEmpty {
                    try SlurmScripts.writeExecutable(scripts.arrayScript(indices: selected, resumed: resume), to: layout.arrayScript)
                }
                try SlurmScripts.writeExecutable(scripts.mergeScript(), to: layout.mergeScript)
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
                arrayID = try SlurmTools.submit(sbatch, ["--parsable", layout.arrayScript.path], what: "the array job")
            }
            var mergeArguments = ["--parsable"]
            if let arrayID { mergeArguments.append("--dependency=afterany:\(arrayID)") }
            let mergeID: String
            do {
                mergeID = try SlurmTools.submit(sbatch, mergeArguments + [layout.mergeScript.path], what: "the merge job")
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
    }
}
