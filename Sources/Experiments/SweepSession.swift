import Foundation
import PartnershipModel
import Results

/// Opening a sweep's store and running every missing run into it: what `lspsim sweep` and
/// `lspsim sensitivity` do before they report or analyse.
public enum SweepSession {
    /// Opens the store of `plan` in `directory` (or of `shard`) in `mode`, calls `opened` with the
    /// store's path, then runs what is missing on `jobs` threads.
    ///
    /// Errors: a store that cannot be opened, created or written is `cannotCreate` (an error that
    /// is already classified, such as a busy store, keeps its category); a run stopped by `stop`
    /// before the end is `interrupted`, with how many runs are stored and that the same command
    /// with --resume will `then` (e.g. "finish", "finish and analyse").
    public static func run(_ plan: SweepPlan, directory: URL, shard: Shard?, mode: SweepStore.Mode, jobs: Int,
                           progress: SweepProgress?, stop: StopRequest, then: String = "finish",
                           opened: (URL) -> Void = { _ in }) throws -> (store: ResultStore, outcome: SweepOutcome) {
        let store = try ClassifiedError.classifying(.cannotCreate) {
            try SweepStore.open(plan: plan, directory: directory, shard: shard, mode: mode)
        }
        opened(SweepStore.path(directory: directory, shard: shard))
        let runner = SweepRunner(plan: plan, store: store, jobs: jobs, shard: shard)
        let outcome = try ClassifiedError.classifying(.cannotCreate) { try runner.run(progress: progress, stop: stop) }
        if outcome.interrupted {
            throw ClassifiedError(.interrupted, "interrupted: \(outcome.alreadyStored + outcome.computed) of \(outcome.total) runs are stored; run the same command with --resume to \(then)")
        }
        return (store, outcome)
    }

    /// "Stored 120 new runs (24 were already stored) in 1.5 s, 80 runs/s."
    public static func summary(_ outcome: SweepOutcome) -> String {
        let rate = outcome.seconds > 0 ? Double(outcome.computed) / outcome.seconds : 0
        return "Stored \(outcome.computed) new runs (\(outcome.alreadyStored) were already stored) in \(String(format: "%.1f", outcome.seconds)) s, \(String(format: "%.0f", rate)) runs/s."
    }
}
