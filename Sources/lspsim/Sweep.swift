import ArgumentParser
import Dispatch
import Experiments
import Foundation
import PartnershipModel
import Results
import ScenarioFile
import Yams

extension LSPSim {
    struct Sweep: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a sweep's design on all cores into a resumable SQLite results store.",
            discussion: """
                Runs every design point of the sweep file (docs/SWEEPS.md) for its replications and streams each \
                finished run into DIR/results.sqlite (default DIR: outputs/<sweep file stem>/). Replication r uses \
                the same random numbers at every design point (common random numbers), so options are compared \
                in pairs. Ctrl-C stops cleanly, keeping every finished run; --resume then runs only what is \
                missing, after any interruption, and the results equal an uninterrupted sweep's.

                Examples:
                  lspsim sweep scenarios/governance-options.yaml
                  lspsim sweep scenarios/governance-options.yaml --resume
                  lspsim sweep big.yaml --shard 3/8 --out /scratch/big
                  lspsim sweep scenarios/governance-options.yaml --emit-point 5 > point5.yaml
                """
        )

        @Argument(help: "The sweep file (YAML).")
        var sweep: String

        @Option(name: [.short, .long], help: "Output folder (default: outputs/<sweep file stem>/).")
        var out: String?

        @OptionGroup var jobs: JobsOption
        @OptionGroup var storeMode: StoreModeOptions

        @Option(help: "Compute only shard I of N (I/N) into DIR/shards/shard-I-of-N.sqlite.")
        var shard: String?

        @OptionGroup var quiet: QuietOption

        @Flag(help: "Exit 0 even if some runs failed (they are recorded with their error).")
        var allowFailures = false

        @Option(help: "Print design point N's scenario as YAML (to run it with `lspsim run`) and exit.")
        var emitPoint: Int?

        @Flag(help: "When the sweep has finished, also write report.html (see `lspsim report`) into the output folder.")
        var report = false

        func validate() throws {
            if let shard, Shard(shard) == nil {
                throw ValidationError("--shard must be I/N with 1 <= I <= N, e.g. 3/8; got '\(shard)'")
            }
            if report && shard != nil {
                throw ValidationError("--report needs the whole sweep: write it after `lspsim merge` with `lspsim report DIR`")
            }
        }

        func run() throws {
            let plan = try SweepLoader.load(path: sweep)
            let quiet = quiet.quiet, jobs = jobs.jobs
            if let emitPoint {
                guard emitPoint >= 1, emitPoint <= plan.points.count else {
                    throw ClassifiedError(.usage, "--emit-point must be between 1 and \(plan.points.count), the number of design points")
                }
                let tree = try plan.scenarioTree(point: emitPoint - 1)
                print("# Design point \(emitPoint) of \(sweep): \(plan.label(point: emitPoint - 1))")
                if let posterior = plan.spec.posterior, posterior.use == .perReplication {
                    print("# Its calibrated fields (\(posterior.source.posterior.paths.joined(separator: ", "))) are drawn in each replication")
                    print("# from \(posterior.source.file): run it with `lspsim run POINT.yaml --posterior \(posterior.source.directory)`.")
                }
                print(try Yams.serialize(node: tree), terminator: "")
                return
            }
            let stem = URL(fileURLWithPath: sweep).deletingPathExtension().lastPathComponent
            let folder = out ?? "outputs/\(stem)"
            let directory = URL(fileURLWithPath: folder)
            let shard = self.shard.flatMap(Shard.init)
            let spec = plan.spec
            var header = "\(spec.name): \(plan.points.count) design points x \(spec.replications) replications = \(plan.runCount) runs"
            if let shard { header += "; shard \(shard)" }
            header += ", seed \(spec.seed), \(spec.design.kind.rawValue) design, \(jobs) jobs -> "
            let (store, outcome) = try runSweep(plan, directory: directory, shard: shard, mode: storeMode.mode, jobs: jobs,
                                                quiet: quiet, header: header, then: "finish")
            let counts = try store.runCounts()
            if !quiet {
                print(SweepSession.summary(outcome))
                print("Results: \(SweepStore.path(directory: URL(fileURLWithPath: folder), shard: shard).relativePath)")
                if shard == nil {
                    print("Next: lspsim summarize \(folder)   or   lspsim compare \(folder) --factor FACTOR")
                } else {
                    print("Next: when every shard is done, lspsim merge \(folder)")
                }
            }
            if counts.failed > 0 {
                let examples = try store.failedRunExamples(limit: 5)
                let message = "\(counts.failed) of \(counts.all) runs failed (recorded in the store with their error), e.g.:\n  " + examples.joined(separator: "\n  ")
                guard allowFailures else { throw ClassifiedError(.invalidInput, message) }
                printError(message)
            }
            if report { try writeReport(directory: folder, quiet: quiet) }
        }
    }
}

/// Runs `plan`'s missing runs into its store in `directory` (`SweepSession.run`), with the terminal's
/// side: `header` and the store's path, then progress, on standard error unless `quiet`, and Ctrl-C
/// or SIGTERM asking the runs to stop after those in flight.
func runSweep(_ plan: SweepPlan, directory: URL, shard: Shard?, mode: SweepStore.Mode, jobs: Int, quiet: Bool,
              header: String, then: String) throws -> (store: ResultStore, outcome: SweepOutcome) {
    let stop = StopRequest()
    let handlers = stopOnInterrupt(stop)
    defer { handlers.forEach { $0.cancel() } }
    let progress: SweepProgress? = quiet ? nil : ProgressBar(toTerminal: isatty(STDERR_FILENO) == 1)
    return try SweepSession.run(plan, directory: directory, shard: shard, mode: mode, jobs: jobs, progress: progress,
                                stop: stop, then: then) { path in
        if !quiet { FileHandle.standardError.write(Data((header + path.path + "\n").utf8)) }
    }
}

/// Progress on standard error: a live bar on a terminal, a plain line every few seconds otherwise.
final class ProgressBar: SweepProgress {
    let toTerminal: Bool
    private var lastPrint = -1000.0

    init(toTerminal: Bool) { self.toTerminal = toTerminal }

    func update(done: Int, computed: Int, total: Int, failed: Int, elapsed: Double) {
        let interval = toTerminal ? 0.2 : 5
        guard elapsed - lastPrint >= interval else { return }
        lastPrint = elapsed
        write(done: done, computed: computed, total: total, failed: failed, elapsed: elapsed, final: false)
    }

    func finish(done: Int, computed: Int, total: Int, failed: Int, elapsed: Double) {
        write(done: done, computed: computed, total: total, failed: failed, elapsed: elapsed, final: true)
    }

    private func write(done: Int, computed: Int, total: Int, failed: Int, elapsed: Double, final: Bool) {
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let rate = elapsed > 0 ? Double(computed) / elapsed : 0
        let remaining = rate > 0 ? Double(total - done) / rate : 0
        let text = "\(done)/\(total) runs  \(String(format: "%.0f", rate)) runs/s  elapsed \(clock(elapsed))  ETA \(clock(remaining))  failures \(failed)"
        if toTerminal {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(String(format: "%3.0f%%", fraction * 100)) \(text)\u{1B}[K\(final ? "\n" : "")".utf8))
        } else {
            FileHandle.standardError.write(Data("progress: \(String(format: "%.1f%%", fraction * 100)) \(text)\n".utf8))
        }
    }

    private func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}

/// Makes Ctrl-C (SIGINT) and SIGTERM ask `stop` to end a sweep after the runs in flight, instead of
/// killing the process; cancel the returned sources to restore nothing else (the process is ending).
func stopOnInterrupt(_ stop: StopRequest) -> [DispatchSourceSignal] {
    signal(SIGINT, SIG_IGN)
    signal(SIGTERM, SIG_IGN)
    return [SIGINT, SIGTERM].map { number in
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            stop.request()
            FileHandle.standardError.write(Data("\nstopping after the runs in flight; finished runs are kept\n".utf8))
        }
        source.resume()
        return source
    }
}
