import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The shipped sweep with `replications` replications, written to `folder`, its base scenario by
/// absolute path (the sweep file's `scenarios:` are relative to the file).
func writeSweep(replications: Int, seed: Int = 2026, into folder: URL, name: String = "sweep.yaml") throws -> URL {
    let root = LspsimBinary.packageRoot
    var text = try String(contentsOf: root.appendingPathComponent("scenarios/governance-options.yaml"), encoding: .utf8)
    let scenario = root.appendingPathComponent("scenarios/unitary.yaml").path
    text = text.replacingOccurrences(of: "\nreplications: 200\n", with: "\nreplications: \(replications)\n")
        .replacingOccurrences(of: "\nseed: 2026\n", with: "\nseed: \(seed)\n")
        .replacingOccurrences(of: "\nscenarios: [unitary.yaml]", with: "\nscenarios: [\(scenario)]")
    #expect(text.contains("\nreplications: \(replications)\n") && text.contains(scenario), "the shipped sweep's format changed")
    let url = folder.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url
}

/// Runs of the shipped sweep's design per replication: 3 x 3 x 4 design points.
let sweepPoints = 36

/// Every row of a store's runs table, every value as an exact SQL literal (sqlite3's quote mode
/// writes doubles with 17 significant digits), in (point, replication) order.
func runsTable(_ store: URL) throws -> [Substring] {
    let sqlite3 = try #require(findExecutable("sqlite3"), "the sqlite3 command-line tool is needed: the Debian package `sqlite3` is missing; install it with `apt-get install sqlite3` (or `bash .ci/install-prerequisites`)")
    let result = try runProcess(sqlite3, ["-quote", store.path, "SELECT * FROM runs ORDER BY point_id, replication"])
    try #require(result.status == 0, "sqlite3 \(store.path): \(result.stderr)")
    return result.stdout.split(separator: "\n")
}

/// Expects two stores' runs tables to be identical, row by row, and to hold `count` runs.
func expectSameRuns(_ store: URL, as reference: URL, count: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let got = try runsTable(store), expected = try runsTable(reference)
    #expect(expected.count == count, "the reference holds \(expected.count) runs, not \(count)", sourceLocation: sourceLocation)
    #expect(got.count == expected.count, "\(store.path) holds \(got.count) runs, the reference \(expected.count)", sourceLocation: sourceLocation)
    if let row = zip(got, expected).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
        Issue.record("runs differ first at row \(row + 1):\n  \(store.lastPathComponent): \(got[row])\n  reference: \(expected[row])", sourceLocation: sourceLocation)
    }
    #expect(!expected.contains { $0.contains("'failed'") }, "the reference holds failed runs", sourceLocation: sourceLocation)
}

// MARK: - Scripts, checks and refusals (no cluster needed)

@Suite("lspsim slurm: job scripts, checks and refusals")
struct SlurmScriptTests: RunsLspsim {
    @Test("--help explains slurm with an example")
    func help() throws {
        let result = try lspsim(["slurm", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: lspsim slurm <sweep> --tasks <tasks> --out <out>"))
        #expect(result.stdout.contains("Example"))
    }

    @Test("the scripts run every shard and the merge, and give exactly the local sweep's runs")
    func scriptsRunTheSweep() throws {
        let folder = try temporaryDirectory(prefix: "lspsim-slurm-scripts")
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try writeSweep(replications: 10, into: folder)
        // Relative paths on the command line: the scripts must hold absolute ones.
        let result = try lspsim(["slurm", "sweep.yaml", "--tasks", "4", "--out", "out", "--cpus-per-task", "2"], in: folder)
        try #require(result.status == 0, "stderr: \(result.stderr)")
        let out = folder.appendingPathComponent("out").path
        #expect(result.stdout.contains("36 design points x 10 replications = 360 runs in 4 shards of 90 runs"))
        #expect(result.stdout.contains("sbatch --parsable \(out)/slurm/array.sbatch"))
        #expect(result.stdout.contains("sbatch --dependency=afterany:${array%%;*} \(out)/slurm/merge.sbatch"))
        #expect(!FileManager.default.fileExists(atPath: "\(out)/slurm/submissions.log"), "nothing was submitted")

        let array = try String(contentsOfFile: "\(out)/slurm/array.sbatch", encoding: .utf8)
        let merge = try String(contentsOfFile: "\(out)/slurm/merge.sbatch", encoding: .utf8)
        let binary = LspsimBinary.url.resolvingSymlinksInPath().path
        let sweep = folder.appendingPathComponent("sweep.yaml").path
        #expect(array.hasPrefix("#!/bin/bash\n# "))
        #expect(array.contains("\n#SBATCH --array=1-4\n"))
        #expect(array.contains("\n#SBATCH --cpus-per-task=2\n"))
        #expect(array.contains("\n#SBATCH --chdir=\(out)\n"))
        #expect(array.contains("\n#SBATCH --output=\(out)/slurm/logs/shard-%a-of-4-job%A.out\n"))
        #expect(array.contains("exec \(binary) sweep \(sweep) \\\n    --shard \"${SLURM_ARRAY_TASK_ID}/4\" --out \(out) \\\n    --jobs 2 --resume --quiet\n"))
        #expect(merge.contains("\nexec \(binary) merge \(out)\n"))
        #expect(merge.contains("\n#SBATCH --output=\(out)/slurm/logs/merge-job%j.out\n"))
        #expect(!merge.contains("--array"))
        for text in [array, merge] {
            for option in ["--partition", "--time", "--mem", "--account"] {
                #expect(!text.contains("#SBATCH \(option)"), "\(option) was not given, so the cluster's default applies")
            }
            // #SBATCH lines must come before the first command, or sbatch ignores them.
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let firstCommand = try #require(lines.firstIndex { !$0.isEmpty && !$0.hasPrefix("#") })
            #expect(!lines[firstCommand...].contains { $0.hasPrefix("#SBATCH") })
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: "\(out)/slurm/array.sbatch")
        #expect((attributes[.posixPermissions] as? Int) == 0o755)

        // Run the scripts as Slurm would (each task with its SLURM_ARRAY_TASK_ID), then compare.
        let bash = try #require(findExecutable("bash"))
        var environment = ProcessInfo.processInfo.environment
        for task in 1...4 {
            environment["SLURM_ARRAY_TASK_ID"] = String(task)
            let run = try runProcess(bash, ["\(out)/slurm/array.sbatch"], environment: environment)
            #expect(run.status == 0, "task \(task): \(run.stderr)")
            #expect(FileManager.default.fileExists(atPath: "\(out)/shards/shard-\(task)-of-4.sqlite"))
        }
        let merged = try runProcess(bash, ["\(out)/slurm/merge.sbatch"])
        #expect(merged.status == 0, "merge: \(merged.stderr)")
        #expect(merged.stdout.contains("Merged 4 of 4 shards"))
        #expect(merged.stdout.contains("360 of 360 runs"))
        let local = folder.appendingPathComponent("local")
        let reference = try lspsim(["sweep", sweep, "--out", local.path, "--quiet"])
        try #require(reference.status == 0, "stderr: \(reference.stderr)")
        try expectSameRuns(URL(fileURLWithPath: "\(out)/results.sqlite"), as: local.appendingPathComponent("results.sqlite"), count: 360)
    }

    @Test("the options given, and only those, become #SBATCH lines of both scripts")
    func options() throws {
        let folder = try temporaryDirectory(prefix: "lspsim-slurm-options")
        defer { try? FileManager.default.removeItem(at: folder) }
        let sweep = try writeSweep(replications: 2, into: folder)
        let out = folder.appendingPathComponent("out").path
        let result = try lspsim(["slurm", sweep.path, "--tasks", "3", "--out", out, "--partition", "short,long", "--time", "1-12:00:00",
                                 "--mem", "2G", "--account", "proj-7", "--lspsim", LspsimBinary.url.path])
        try #require(result.status == 0, "stderr: \(result.stderr)")
        let array = try String(contentsOfFile: "\(out)/slurm/array.sbatch", encoding: .utf8)
        let merge = try String(contentsOfFile: "\(out)/slurm/merge.sbatch", encoding: .utf8)
        for text in [array, merge] {
            for line in ["#SBATCH --partition=short,long", "#SBATCH --time=1-12:00:00", "#SBATCH --mem=2G", "#SBATCH --account=proj-7"] {
                #expect(text.contains("\n\(line)\n"), "missing: \(line)")
            }
        }
        #expect(array.contains("\n#SBATCH --array=1-3\n"))
        #expect(array.contains("\n#SBATCH --cpus-per-task=1\n"))
        #expect(array.contains("--shard \"${SLURM_ARRAY_TASK_ID}/3\""))
        #expect(array.contains("exec \(LspsimBinary.url.standardizedFileURL.path) sweep"), "--lspsim names the binary the jobs run")
    }

    @Test("bad values are usage errors (exit 64) that say what is valid", arguments: [
        (["--tasks", "0"], "--tasks must be at least 1"),
        (["--tasks", "361"], "--tasks 361 is more than the sweep's 360 runs"),
        (["--tasks", "2", "--cpus-per-task", "0"], "--cpus-per-task must be at least 1"),
        (["--tasks", "2", "--time", "1:75:00"], "--time must be a Slurm time limit"),
        (["--tasks", "2", "--time", "0"], "--time must be a Slurm time limit"),
        (["--tasks", "2", "--time", "soon"], "--time must be a Slurm time limit"),
        (["--tasks", "2", "--mem", "2X"], "--mem must be a positive whole number"),
        (["--tasks", "2", "--partition", "a b"], "--partition must be a partition name"),
        (["--tasks", "2", "--account", "x;rm"], "--account must be an account name"),
    ])
    func badValues(_ arguments: [String], _ message: String) throws {
        let folder = try temporaryDirectory(prefix: "lspsim-slurm-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        let sweep = try writeSweep(replications: 10, into: folder)
        let out = folder.appendingPathComponent("out")
        let result = try lspsim(["slurm", sweep.path, "--out", out.path] + arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path), "nothing is written")
    }

    @Test("an output folder that #SBATCH lines cannot carry, or a missing sweep file, is refused")
    func badFolderAndFile() throws {
        let folder = try temporaryDirectory(prefix: "lspsim-slurm-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        let sweep = try writeSweep(replications: 10, into: folder)
        let spaced = try lspsim(["slurm", sweep.path, "--tasks", "2", "--out", folder.appendingPathComponent("my results").path])
        #expect(spaced.status == 64)
        #expect(spaced.stderr.contains("holds whitespace"), "stderr: \(spaced.stderr)")
        let missing = try lspsim(["slurm", folder.appendingPathComponent("nope.yaml").path, "--tasks", "2", "--out", folder.appendingPathComponent("o").path])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("no such file"))
    }

    @Test("--submit without sbatch on PATH refuses (exit 69), says what is missing and writes nothing")
    func noSbatch() throws {
        let folder = try temporaryDirectory(prefix: "lspsim-slurm-nosbatch")
        defer { try? FileManager.default.removeItem(at: folder) }
        let sweep = try writeSweep(replications: 10, into: folder)
        let out = folder.appendingPathComponent("out")
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = folder.path   // holds no sbatch
        let result = try lspsim(["slurm", sweep.path, "--tasks", "4", "--out", out.path, "--submit"], environment: environment)
        #expect(result.status == 69)
        #expect(result.stderr.contains("--submit needs Slurm's sbatch, which is not on PATH (\(folder.path))"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("leave out --submit"))
        #expect(!FileManager.default.fileExists(atPath: out.path), "nothing is written")
    }

    @Test("--resume selects exactly the shards that are missing or incomplete")
    func resumeSelectsShards() throws {
        let folder = try temporaryDirectory(prefix: "lspsim-slurm-resume")
        defer { try? FileManager.default.removeItem(at: folder) }
        let sweep = try writeSweep(replications: 10, into: folder)
        let out = folder.appendingPathComponent("out")
        for shard in 1...3 {
            let result = try lspsim(["sweep", sweep.path, "--shard", "\(shard)/5", "--out", out.path, "--quiet"])
            try #require(result.status == 0, "stderr: \(result.stderr)")
        }
        // Shard 2 loses its last runs, as if its task had been killed; shards 4 and 5 never ran.
        let sqlite3 = try #require(findExecutable("sqlite3"), "the sqlite3 command-line tool is needed: the Debian package `sqlite3` is missing; install it with `apt-get install sqlite3` (or `bash .ci/install-prerequisites`)")
        let deleted = try runProcess(sqlite3, [out.appendingPathComponent("shards/shard-2-of-5.sqlite").path, "DELETE FROM runs WHERE point_id > 30"])
        try #require(deleted.status == 0, "\(deleted.stderr)")

        let result = try lspsim(["slurm", sweep.path, "--tasks", "5", "--out", out.path, "--resume"])
        try #require(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("shard 1/5: 72 of 72 runs stored (complete)"), "stdout: \(result.stdout)")
        #expect(result.stdout.contains("shard 2/5: 60 of 72 runs stored (incomplete)"))
        #expect(result.stdout.contains("shard 3/5: 72 of 72 runs stored (complete)"))
        #expect(result.stdout.contains("no store yet for shard(s) 4-5"))
        let array = try String(contentsOf: out.appendingPathComponent("slurm/array.sbatch"), encoding: .utf8)
        #expect(array.contains("\n#SBATCH --array=2,4-5\n"))
        #expect(array.contains("--shard \"${SLURM_ARRAY_TASK_ID}/5\""))

        // Run those tasks as Slurm would: then every shard is complete and the merge is whole.
        let bash = try #require(findExecutable("bash"))
        var environment = ProcessInfo.processInfo.environment
        for task in [2, 4, 5] {
            environment["SLURM_ARRAY_TASK_ID"] = String(task)
            let run = try runProcess(bash, [out.appendingPathComponent("slurm/array.sbatch").path], environment: environment)
            #expect(run.status == 0, "task \(task): \(run.stderr)")
        }
        let again = try lspsim(["slurm", sweep.path, "--tasks", "5", "--out", out.path, "--resume"])
        #expect(again.status == 0)
        #expect(again.stdout.contains("Every shard is complete: nothing to resubmit."), "stdout: \(again.stdout)")
        let merged = try lspsim(["merge", out.path])
        #expect(merged.status == 0, "stderr: \(merged.stderr)")
        #expect(merged.stdout.contains("360 of 360 runs"))
    }

    @Test("a folder holding another partition's shards, or another sweep's, is refused (exit 65)")
    func foreignShards() throws {
        let folder = try temporaryDirectory(prefix: "lspsim-slurm-foreign")
        defer { try? FileManager.default.removeItem(at: folder) }
        let sweep = try writeSweep(replications: 10, into: folder)
        let out = folder.appendingPathComponent("out")
        #expect(try lspsim(["sweep", sweep.path, "--shard", "1/3", "--out", out.path, "--quiet"]).status == 0)
        let partition = try lspsim(["slurm", sweep.path, "--tasks", "4", "--out", out.path])
        #expect(partition.status == 65)
        #expect(partition.stderr.contains("holds shards of a 3-way partition"), "stderr: \(partition.stderr)")
        #expect(partition.stderr.contains("use --tasks 3"))

        // The same folder and partition, but the sweep file has changed since (another seed).
        let changed = try writeSweep(replications: 10, seed: 7, into: folder)
        let other = try lspsim(["slurm", changed.path, "--tasks", "3", "--out", out.path, "--resume"])
        #expect(other.status == 65)
        #expect(other.stderr.contains("shard-1-of-3.sqlite belongs to another sweep: the sweep file has changed"), "stderr: \(other.stderr)")
    }
}

// MARK: - On a real (single-node) Slurm cluster

/// A daemon started with posix_spawn, in the foreground, as a child of this process, and reaped
/// with waitpid. Not through Foundation's `Process`: Slurm's daemons close every file descriptor they
/// inherit, which `Process` takes for their exit (it then blocks in waitpid for good). Spawned with
/// an empty signal mask and default signal actions, as from a shell: this process's threads block
/// signals (SIGTERM, SIGCHLD) that the daemons must receive.
final class Daemon {
    struct SpawnError: Error, CustomStringConvertible { let description: String }

    let name: String
    let pid: pid_t
    /// How it ended, once reaped.
    private(set) var exit: String?

    init(name: String, executable: String, arguments: [String], environment: [String: String], log: String) throws {
        self.name = name
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of this process leaks into the daemon (glibc 2.34 and later).
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGALRM, SIGTERM, SIGCHLD, SIGUSR1, SIGUSR2] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)   // its own process group: no signals meant for the tests
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child = pid_t()
        let status = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(status)))")
        }
        pid = child
    }

    /// Whether it still runs (reaping it if it has ended).
    var isRunning: Bool {
        guard exit == nil else { return false }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == 0 { return true }
        if result == pid {
            let signal = status & 0x7f
            exit = signal == 0 ? "exit status \((status >> 8) & 0xff)" : "killed by signal \(signal)"
        } else {
            exit = "reaped elsewhere (waitpid: errno \(errno))"
        }
        return false
    }

    /// SIGTERM, then SIGKILL after `grace` seconds; waits until it has been reaped.
    func stop(grace: Double = 10) {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        while isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if isRunning {
            kill(pid, SIGKILL)
            while isRunning { Thread.sleep(forTimeInterval: 0.05) }
        }
    }

    deinit { stop(grace: 2) }
}

/// A private single-node Slurm cluster on this machine: slurmctld and slurmd with a slurm.conf,
/// state, spool and logs in one folder, free ports, no munge (auth/none). Tools talk to it through
/// `SLURM_CONF` in `environment`.
final class LocalSlurmCluster {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let folder: URL
    let conf: URL
    let node: String
    let environment: [String: String]
    private let tools: [String: URL]
    /// The daemons started, children of this process.
    private var daemons: [Daemon] = []

    private init(folder: URL, conf: URL, node: String, environment: [String: String], tools: [String: URL]) {
        self.folder = folder
        self.conf = conf
        self.node = node
        self.environment = environment
        self.tools = tools
    }

    /// Starts the cluster and waits (up to `timeout` seconds) until its node is idle; throws why not.
    static func start(in folder: URL, timeout: Double = 45) throws -> LocalSlurmCluster {
        let searchPath = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin:/sbin"
        var tools: [String: URL] = [:]
        for name in ["slurmctld", "slurmd", "sbatch", "sinfo", "squeue", "scontrol", "scancel"] {
            guard let url = findExecutable(name, path: searchPath) else {
                throw Failure(description: "Slurm cannot start: \(name) is not installed (searched \(searchPath)). The Debian package `slurm-wlm` is missing: install it with `apt-get install slurm-wlm` (or `bash .ci/install-prerequisites`).")
            }
            tools[name] = url
        }
        let fileManager = FileManager.default
        for sub in ["state", "spool", "log"] {
            try fileManager.createDirectory(at: folder.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        var hostBuffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&hostBuffer, 255) == 0 else { throw Failure(description: "Slurm cannot start: gethostname failed") }
        let hostName = String(decoding: hostBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let host = hostName.split(separator: ".").first.map(String.init) ?? "localhost"
        guard let user = getpwuid(getuid()).map({ String(cString: $0.pointee.pw_name) }) else {
            throw Failure(description: "Slurm cannot start: no user name for uid \(getuid())")
        }
        let controllerPort = try freePort()
        var nodePort = try freePort()
        while nodePort == controllerPort { nodePort = try freePort() }
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        let text = """
            # A private single-node cluster for lspsim's tests: no munge, no accounting, no cgroups.
            ClusterName=lspsimtest
            SlurmctldHost=\(host)(127.0.0.1)
            SlurmctldPort=\(controllerPort)
            SlurmdPort=\(nodePort)
            AuthType=auth/none
            CredType=cred/none
            SlurmUser=\(user)
            SlurmdUser=\(user)
            StateSaveLocation=\(path("state"))
            SlurmdSpoolDir=\(path("spool"))
            SlurmctldPidFile=\(path("slurmctld.pid"))
            SlurmdPidFile=\(path("slurmd.pid"))
            SlurmctldLogFile=\(path("log/slurmctld.log"))
            SlurmdLogFile=\(path("log/slurmd.log"))
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            SelectType=select/cons_tres
            SelectTypeParameters=CR_CPU
            SchedulerType=sched/builtin
            MpiDefault=none
            MailProg=/bin/true
            JobAcctGatherType=jobacct_gather/none
            AccountingStorageType=accounting_storage/none
            ReturnToService=2
            MinJobAge=600
            KillWait=5
            SlurmdParameters=config_overrides
            NodeName=\(host) NodeAddr=127.0.0.1 CPUs=2 RealMemory=1000 State=UNKNOWN
            PartitionName=lspsim Nodes=\(host) Default=YES MaxTime=INFINITE State=UP

            """
        let conf = folder.appendingPathComponent("slurm.conf")
        try text.write(to: conf, atomically: true, encoding: .utf8)

        // The tests' own environment, minus any Slurm job's variables (the tests may run inside a job).
        var environment = ProcessInfo.processInfo.environment.filter { key, _ in
            !["SLURM_", "SBATCH_", "SQUEUE_", "SALLOC_", "SRUN_", "SINFO_", "SCONTROL_"].contains { key.hasPrefix($0) }
        }
        environment["SLURM_CONF"] = conf.path
        let cluster = LocalSlurmCluster(folder: folder, conf: conf, node: host, environment: environment, tools: tools)
        do {
            try cluster.launch("slurmctld", ["-D", "-c", "-f", conf.path])
            try cluster.launch("slurmd", ["-D", "-f", conf.path, "-N", host])
            let deadline = Date().addingTimeInterval(timeout)
            var state = ""
            while true {
                for daemon in cluster.daemons where !daemon.isRunning {
                    throw Failure(description: "Slurm cannot start: \(daemon.name) (process \(daemon.pid)) exited: \(daemon.exit ?? "?").\n\(cluster.diagnostics())")
                }
                let sinfo = try cluster.run("sinfo", ["--noheader", "--nodes=\(host)", "--format=%T"])
                state = sinfo.status == 0 ? sinfo.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : "sinfo failed: \(sinfo.stderr)"
                if state == "idle" { break }
                if Date() > deadline {
                    throw Failure(description: "Slurm cannot start: node \(host) is not idle after \(Int(timeout)) s (sinfo: \(state)).\n\(cluster.diagnostics())")
                }
                Thread.sleep(forTimeInterval: 0.3)
            }
        } catch {
            cluster.stop()
            throw error
        }
        return cluster
    }

    private func launch(_ name: String, _ arguments: [String]) throws {
        let log = folder.appendingPathComponent("log/\(name).stderr").path
        do {
            daemons.append(try Daemon(name: name, executable: tools[name]!.path, arguments: arguments, environment: environment, log: log))
        } catch {
            throw Failure(description: "Slurm cannot start: \(error)")
        }
    }

    /// Runs a Slurm tool against this cluster.
    func run(_ tool: String, _ arguments: [String]) throws -> ProcessOutcome {
        try runProcess(tools[tool]!, arguments, environment: environment)
    }

    /// The last lines of the daemons' logs, to explain a failure.
    func diagnostics() -> String {
        ["log/slurmctld.stderr", "log/slurmd.stderr", "log/slurmctld.log", "log/slurmd.log"].map { name in
            let text = (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? "(none)"
            return "--- \(name) (last lines):\n" + text.split(separator: "\n").suffix(12).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// `scontrol show job` of a job (one record per array task), as key-value pairs.
    func jobRecords(_ id: String) throws -> [[String: String]] {
        let result = try run("scontrol", ["show", "job", "--oneliner", id])
        guard result.status == 0 else { return [] }
        return result.stdout.split(separator: "\n").map { line in
            var record: [String: String] = [:]
            for word in line.split(separator: " ") {
                let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if parts.count == 2 { record[String(parts[0])] = String(parts[1]) }
            }
            return record
        }
    }

    static let endedStates: Set<String> = ["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE"]

    /// Waits until every record of job `id` has ended; returns the records.
    func waitForJob(_ id: String, timeout: Double) throws -> [[String: String]] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let records = try jobRecords(id)
            if !records.isEmpty, records.allSatisfy({ Self.endedStates.contains($0["JobState"] ?? "") }) { return records }
            if Date() > deadline {
                let queue = (try? run("squeue", ["--states=all"]).stdout) ?? ""
                throw Failure(description: "job \(id) has not ended after \(Int(timeout)) s: \(records.map { "\($0["JobId"] ?? "?") \($0["JobState"] ?? "?") \($0["Reason"] ?? "")" })\nsqueue:\n\(queue)\n\(diagnostics())")
            }
            Thread.sleep(forTimeInterval: 0.25)
        }
    }

    /// Cancels what is still queued, then stops slurmd and slurmctld by their process ids.
    func stop() {
        if daemons.contains(where: { $0.name == "slurmctld" && $0.isRunning }),
           let queued = try? run("squeue", ["--noheader", "--format=%A"]), queued.status == 0 {
            let ids = queued.stdout.split(separator: "\n").map(String.init)
            if !ids.isEmpty {
                _ = try? run("scancel", ids)
                let deadline = Date().addingTimeInterval(15)
                while Date() < deadline, let left = try? run("squeue", ["--noheader"]), !left.stdout.isEmpty {
                    Thread.sleep(forTimeInterval: 0.25)
                }
            }
        }
        // slurmd first, while slurmctld can still take its goodbye.
        for daemon in daemons.reversed() { daemon.stop() }
        daemons = []
    }

    deinit { stop() }

    /// A TCP port that is free now (the kernel's choice for port 0).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "Slurm cannot start: socket() failed (errno \(errno))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = 0
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw Failure(description: "Slurm cannot start: cannot bind a free port (errno \(errno))") }
        var size = length
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &size) }
        }
        guard named == 0 else { throw Failure(description: "Slurm cannot start: getsockname failed (errno \(errno))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

@Suite("lspsim slurm on a local single-node Slurm cluster", .serialized)
struct SlurmClusterTests: RunsLspsim {
    /// Replications of the test sweep: enough that a 4-shard task runs a couple of seconds
    /// (a release build runs the model about eight times faster than a debug build).
    #if DEBUG
    static let replications = 1500
    #else
    static let replications = 12000
    #endif
    static let shards = 4

    /// The job ids `lspsim slurm --submit` printed: (array, merge).
    func submittedJobs(_ result: ProcessOutcome) throws -> (array: String, merge: String) {
        func id(after prefix: String) -> String? {
            guard let range = result.stdout.range(of: prefix) else { return nil }
            let digits = result.stdout[range.upperBound...].prefix { $0.isNumber }
            return digits.isEmpty ? nil : String(digits)
        }
        let array = try #require(id(after: "Submitted array job "), "no array job id in: \(result.stdout)\n\(result.stderr)")
        let merge = try #require(id(after: "Submitted merge job "), "no merge job id in: \(result.stdout)\n\(result.stderr)")
        return (array, merge)
    }

    /// Runs stored in a shard store so far (0 while it does not exist or has no tables yet).
    func storedRuns(_ store: URL) -> Int {
        guard FileManager.default.fileExists(atPath: store.path), let sqlite3 = findExecutable("sqlite3"),
              let result = try? runProcess(sqlite3, [store.path, "SELECT COUNT(*) FROM runs"]), result.status == 0 else { return 0 }
        return Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    @Test("a sweep submitted as a job array, and one with killed shards resumed, merge to exactly the local sweep",
          .timeLimit(.minutes(5)))
    func submitKillResume() throws {
        let clock = ContinuousClock()
        let started = clock.now
        let folder = try temporaryDirectory(prefix: "lspsim-slurm")
        defer { try? FileManager.default.removeItem(at: folder) }
        let cluster = try LocalSlurmCluster.start(in: folder.appendingPathComponent("cluster"))
        defer { cluster.stop() }
        print("Slurm test: cluster up after \(clock.now - started)")

        let runs = sweepPoints * Self.replications
        let perShard = runs / Self.shards
        let sweep = try writeSweep(replications: Self.replications, into: folder)
        let local = folder.appendingPathComponent("local")
        let reference = try lspsim(["sweep", sweep.path, "--out", local.path, "--jobs", "2", "--quiet"])
        try #require(reference.status == 0, "local sweep: \(reference.stderr)")
        let localStore = local.appendingPathComponent("results.sqlite")
        func slurm(_ out: URL, _ extra: [String] = []) throws -> ProcessOutcome {
            try lspsim(["slurm", sweep.path, "--tasks", String(Self.shards), "--out", out.path, "--submit"] + extra, environment: cluster.environment)
        }

        // 1. The whole sweep as a 4-task array, then the merge job.
        let one = folder.appendingPathComponent("one")
        let first = try slurm(one)
        try #require(first.status == 0, "lspsim slurm --submit: \(first.stderr)")
        let jobs = try submittedJobs(first)
        #expect(first.stdout.contains("squeue -j \(jobs.array),\(jobs.merge)"))
        #expect(first.stdout.contains("sacct -j \(jobs.array),\(jobs.merge)"))
        let merge = try cluster.waitForJob(jobs.merge, timeout: 120)
        let mergeLog = (try? String(contentsOf: one.appendingPathComponent("slurm/logs/merge-job\(jobs.merge).out"), encoding: .utf8)) ?? "(no log)"
        #expect(merge.first?["JobState"] == "COMPLETED" && merge.first?["ExitCode"] == "0:0", "merge job: \(merge) log: \(mergeLog)")
        #expect(mergeLog.contains("Merged 4 of 4 shards"))
        let tasks = try cluster.jobRecords(jobs.array)
        #expect(tasks.count == Self.shards && tasks.allSatisfy { $0["JobState"] == "COMPLETED" }, "array tasks: \(tasks.map { ($0["ArrayTaskId"], $0["JobState"]) })")
        #expect(Set(tasks.compactMap { $0["ArrayTaskId"] }) == ["1", "2", "3", "4"])
        try expectSameRuns(one.appendingPathComponent("results.sqlite"), as: localStore, count: runs)
        print("Slurm test: complete sweep merged and checked after \(clock.now - started)")

        // 2. The same sweep again; one running task's lspsim is killed (kill -9), another task is
        //    cancelled (scancel), each part-way through its shard.
        let two = folder.appendingPathComponent("two")
        let second = try slurm(two)
        try #require(second.status == 0, "lspsim slurm --submit: \(second.stderr)")
        let broken = try submittedJobs(second)
        // While those jobs are queued or running, a resubmission into the folder is refused.
        let early = try slurm(two, ["--resume"])
        #expect(early.status == 75, "stdout: \(early.stdout) stderr: \(early.stderr)")
        #expect(early.stderr.contains("jobs of an earlier submission into \(two.path) have not ended yet"), "stderr: \(early.stderr)")
        #expect(early.stderr.contains("scancel \(broken.array),\(broken.merge)"), "stderr: \(early.stderr)")
        var killed: Int?, cancelled: Int?
        let deadline = Date().addingTimeInterval(90)
        while killed == nil || cancelled == nil, Date() < deadline {
            let running = try cluster.run("squeue", ["--noheader", "--jobs=\(broken.array)", "--states=RUNNING", "--format=%A %K"])
            for line in running.stdout.split(separator: "\n") {
                let fields = line.split(separator: " ").map(String.init)
                guard fields.count == 2, let task = Int(fields[1]), task != killed, task != cancelled else { continue }
                let stored = storedRuns(two.appendingPathComponent("shards/shard-\(task)-of-\(Self.shards).sqlite"))
                guard stored > 0, stored < perShard / 2 else { continue }
                if killed == nil {
                    // The task's batch step is the lspsim process itself (the script execs it).
                    let pids = try cluster.run("scontrol", ["listpids", fields[0]])
                    for pidText in pids.stdout.split(separator: "\n").dropFirst().compactMap({ $0.split(separator: " ").first }) {
                        guard let pid = Int32(pidText) else { continue }
                        let commandLine = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8))?.replacingOccurrences(of: "\0", with: " ") ?? ""
                        if commandLine.contains(" sweep ") && commandLine.contains("--shard \(task)/\(Self.shards)") {
                            kill(pid, SIGKILL)
                            killed = task
                        }
                    }
                } else if cancelled == nil {
                    let cancel = try cluster.run("scancel", ["\(broken.array)_\(task)"])
                    #expect(cancel.status == 0, "scancel: \(cancel.stderr)")
                    cancelled = task
                }
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let brokenShards = [killed, cancelled].compactMap { $0 }.sorted()
        try #require(killed != nil && cancelled != nil, "could not catch two tasks part-way (killed \(String(describing: killed)), cancelled \(String(describing: cancelled))); are the tasks too short?")
        let firstMerge = try cluster.waitForJob(broken.merge, timeout: 120)
        let firstMergeLog = (try? String(contentsOf: two.appendingPathComponent("slurm/logs/merge-job\(broken.merge).out"), encoding: .utf8)) ?? "(no log)"
        #expect(firstMerge.first?["ExitCode"] == "65:0", "the merge job reports the missing runs (exit 65): \(firstMerge) log: \(firstMergeLog)")
        for shard in brokenShards {
            #expect(firstMergeLog.contains("shard \(shard)/\(Self.shards) is missing"), "merge log: \(firstMergeLog)")
            let stored = storedRuns(two.appendingPathComponent("shards/shard-\(shard)-of-\(Self.shards).sqlite"))
            #expect(stored > 0 && stored < perShard, "shard \(shard) was stopped part-way: \(stored) of \(perShard) runs")
        }
        let brokenTasks = try cluster.jobRecords(broken.array)
        for task in brokenTasks where brokenShards.contains(Int(task["ArrayTaskId"] ?? "") ?? 0) {
            #expect(task["JobState"] != "COMPLETED", "task \(task["ArrayTaskId"] ?? "?") was killed: \(task["JobState"] ?? "?")")
        }

        // 3. Resume: only the broken shards are resubmitted, and the final merge equals the local sweep.
        let resumed = try slurm(two, ["--resume"])
        try #require(resumed.status == 0, "lspsim slurm --resume --submit: \(resumed.stderr)")
        for shard in brokenShards {
            #expect(resumed.stdout.contains("shard \(shard)/\(Self.shards): ") && resumed.stdout.contains("of \(perShard) runs stored (incomplete)"), "stdout: \(resumed.stdout)")
        }
        let resumedScript = try String(contentsOf: two.appendingPathComponent("slurm/array.sbatch"), encoding: .utf8)
        let arrayLine = resumedScript.split(separator: "\n").first { $0.hasPrefix("#SBATCH --array=") }
        let expectedArray = brokenShards[1] == brokenShards[0] + 1 ? "\(brokenShards[0])-\(brokenShards[1])" : "\(brokenShards[0]),\(brokenShards[1])"
        #expect(arrayLine == "#SBATCH --array=\(expectedArray)"[...], "resubmitted: \(arrayLine ?? "none")")
        let again = try submittedJobs(resumed)
        let finalMerge = try cluster.waitForJob(again.merge, timeout: 120)
        let finalLog = (try? String(contentsOf: two.appendingPathComponent("slurm/logs/merge-job\(again.merge).out"), encoding: .utf8)) ?? "(no log)"
        #expect(finalMerge.first?["JobState"] == "COMPLETED" && finalMerge.first?["ExitCode"] == "0:0", "final merge job: \(finalMerge) log: \(finalLog)")
        let resubmittedTasks = try cluster.jobRecords(again.array)
        #expect(Set(resubmittedTasks.compactMap { $0["ArrayTaskId"] }) == Set(brokenShards.map(String.init)))
        #expect(resubmittedTasks.allSatisfy { $0["JobState"] == "COMPLETED" })
        try expectSameRuns(two.appendingPathComponent("results.sqlite"), as: localStore, count: runs)
        print("Slurm test: killed and cancelled shards \(brokenShards) resumed, merged and checked after \(clock.now - started)")
    }
}
