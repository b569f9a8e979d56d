import ArgumentParser
import Foundation
import PartnershipModel
import Results

extension LSPSim {
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Combine a sweep's shard stores into DIR/results.sqlite and check it is complete.",
            discussion: """
                Copies every run of DIR/shards/shard-I-of-N.sqlite into DIR/results.sqlite, checks that each \
                run of the design is present exactly once, and lists what is missing or failed, by shard. Safe to \
                run again at any time (for example after re-running a shard): nothing is lost or duplicated. \
                Exits 0 when the design is complete without failures, 65 otherwise.

                Example:
                  lspsim merge outputs/big-sweep
                """
        )

        @Argument(help: "The sweep folder holding shards/.")
        var directory: String

        @Flag(help: "Exit 0 even if some runs failed.")
        var allowFailures = false

        @OptionGroup var quiet: QuietOption

        func run() throws {
            let report = try ClassifiedError.classifying(.invalidInput) { try ShardMerge.merge(directory: URL(fileURLWithPath: directory)) }
            if !quiet.quiet {
                print("Merged \(report.shards.count) of \(report.shardCount) shards into \(directory)/results.sqlite: \(report.merged) of \(report.expected) runs (\(report.added) added now).")
            }
            var problems: [String] = []
            if !report.absentShards.isEmpty {
                problems.append("no store for shard(s) \(report.absentShards.map { "\($0)/\(report.shardCount)" }.joined(separator: ", "))")
            }
            for shard in report.missing.keys.sorted() {
                let entry = report.missing[shard]!
                let examples = entry.examples.map { "point \($0.point) replication \($0.replication)" }.joined(separator: ", ")
                problems.append("shard \(shard)/\(report.shardCount) is missing \(entry.count) runs (e.g. \(examples)); re-run it with --resume, then merge again")
            }
            let failures = report.failed.values.reduce(0, +)
            for shard in report.failed.keys.sorted() {
                problems.append("shard \(shard)/\(report.shardCount) has \(report.failed[shard]!) failed runs (see the runs table's error column)")
            }
            for problem in problems { printError(problem) }
            if !report.complete || (failures > 0 && !allowFailures) { throw ExitCode(ExitStatus.invalidInput) }
        }
    }
}
