import Dispatch
import Foundation
import PartnershipModel
import Results
import ScenarioFile
import Stochastic

/// A part of a sweep's runs: shard `index` of `count` (1-based). Run number i (0-based, in the
/// order point 1 replication 1, point 1 replication 2, ..., point 2 replication 1, ...) belongs to
/// shard (i mod count) + 1, so shards differ in size by at most one run.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int, count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `I/N` with 1 <= I <= N.
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 1, i <= n else { return nil }
        self.init(index: i, count: n)
    }

    public func contains(run: Int) -> Bool { run % count == index - 1 }
    public var description: String { "\(index)/\(count)" }
}

/// Receives progress while a sweep runs.
public protocol SweepProgress: AnyObject {
    /// `done` counts runs stored in all, `computed` those computed by this invocation.
    func update(done: Int, computed: Int, total: Int, failed: Int, elapsed: Double)
    func finish(done: Int, computed: Int, total: Int, failed: Int, elapsed: Double)
}

/// Set from a signal handler to ask a sweep to stop after the batch in flight.
public final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false
    public init() {}
    public func request() { lock.lock(); requested = true; lock.unlock() }
    public var isRequested: Bool { lock.lock(); defer { lock.unlock() }; return requested }
}

/// What a sweep did.
public struct SweepOutcome: Sendable {
    /// Runs of this sweep (or shard) in all, and those stored before this invocation.
    public let total: Int, alreadyStored: Int
    /// Runs computed now, and how many of them failed.
    public let computed: Int, failedNow: Int
    /// Whether it stopped early on request.
    public let interrupted: Bool
    public let seconds: Double
}

/// Runs a sweep's design on several threads and streams every finished run into its store.
///
/// Runs are taken in order in batches; while the workers compute one batch, the previous one is
/// written in a single transaction, so memory stays bounded and a crash loses at most the batches
/// in flight. Replication r of every design point uses the generator seeds of (seed, r): common
/// random numbers, and results identical to `lspsim run` of that point, whatever the thread count.
public final class SweepRunner {
    public let plan: SweepPlan
    public let store: ResultStore
    public let jobs: Int
    public let shard: Shard?
    /// Runs per batch.
    public var batchSize: Int

    public init(plan: SweepPlan, store: ResultStore, jobs: Int, shard: Shard? = nil) {
        self.plan = plan
        self.store = store
        self.jobs = max(1, jobs)
        self.shard = shard
        batchSize = 4096 * max(1, jobs)
    }

    /// Runs every run of the design (or shard) not yet in the store.
    public func run(progress: SweepProgress?, stop: StopRequest) throws -> SweepOutcome {
        let replications = plan.spec.replications
        let all = plan.runCount
        var stored = [Bool](repeating: false, count: all)
        try store.storedRuns(replications: replications, into: &stored)
        var pending: [Int] = []
        var total = 0, alreadyStored = 0
        for run in 0..<all where shard?.contains(run: run) ?? true {
            total += 1
            if stored[run] { alreadyStored += 1 } else { pending.append(run) }
        }
        stored = []
        let previouslyFailed = try store.runCounts().failed

        let workers = try (0..<jobs).map { _ in try Worker(plan: plan) }
        let clock = ContinuousClock()
        let start = clock.now
        func elapsed() -> Double {
            let d = clock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        var computed = 0, failed = 0
        var unwritten: [RunRecord] = []
        var interrupted = false
        var offset = 0
        while offset < pending.count {
            if stop.isRequested { interrupted = true; break }
            let batch = Array(pending[offset..<min(offset + batchSize, pending.count)])
            let slots = Slots(count: batch.count)
            let group = DispatchGroup()
            for worker in workers {
                DispatchQueue.global().async(group: group) {
                    // Workers take chunks as they finish the last, so none waits idle at the batch's end.
                    while let range = slots.nextChunk() {
                        for index in range { slots.store(worker.run(batch[index]), at: index) }
                    }
                }
            }
            // Write the previous batch while this one computes.
            try store.insert(unwritten)
            group.wait()
            unwritten = slots.records.map { $0! }
            computed += unwritten.count
            failed += unwritten.filter { $0.summary == nil }.count
            offset += batch.count
            progress?.update(done: alreadyStored + computed, computed: computed, total: total, failed: previouslyFailed + failed, elapsed: elapsed())
        }
        try store.insert(unwritten)
        progress?.finish(done: alreadyStored + computed, computed: computed, total: total, failed: previouslyFailed + failed, elapsed: elapsed())
        return SweepOutcome(total: total, alreadyStored: alreadyStored, computed: computed, failedNow: failed,
                            interrupted: interrupted, seconds: elapsed())
    }

    /// One batch's results (each slot written by one worker) and the next chunk to hand out.
    private final class Slots: @unchecked Sendable {
        /// Read only after every worker has finished.
        private(set) var records: [RunRecord?]
        private var next = 0
        private let lock = NSLock()
        static let chunk = 64
        init(count: Int) { records = Array(repeating: nil, count: count) }

        /// Stores a run's record under the lock: an array mutated from several threads at once
        /// (even at distinct indices) can be copied on write by one of them and lose the others'.
        func store(_ record: RunRecord, at index: Int) {
            lock.lock()
            defer { lock.unlock() }
            records[index] = record
        }

        func nextChunk() -> Range<Int>? {
            lock.lock()
            defer { lock.unlock() }
            guard next < records.count else { return nil }
            let range = next..<min(next + Self.chunk, records.count)
            next = range.upperBound
            return range
        }
    }

    /// A thread's replicator and its last design point's scenario.
    final class Worker: @unchecked Sendable {
        let plan: SweepPlan
        let replicator: Replicator
        let templates: PointTemplates
        private var last: (point: Int, template: Result<ScenarioTemplate, ScenarioFileError>)?

        init(plan: SweepPlan) throws {
            self.plan = plan
            replicator = try Replicator(kind: plan.spec.generator)
            templates = PointTemplates(plan: plan)
        }

        func run(_ run: Int) -> RunRecord {
            let replications = plan.spec.replications
            let point = run / replications, replication = run % replications + 1
            let seed = plan.spec.seed
            if last?.point != point {
                do {
                    last = (point, .success(try templates.template(point: point)))
                } catch {
                    last = (point, .failure(error))
                }
            }
            let template: ScenarioTemplate
            switch last!.template {
            case let .success(found): template = found
            case let .failure(error):
                let reasons = error.diagnostics.map { $0.path.isEmpty ? $0.message : "\($0.path): \($0.message)" }
                return RunRecord(point: point + 1, replication: replication, seed: seed, summary: nil,
                                 error: "the scenario of this design point is invalid: " + reasons.joined(separator: "; "))
            }
            let simulator: Simulator
            do {
                simulator = try replicator.simulator(for: template, seed: seed, replication: replication)
            } catch {
                return RunRecord(point: point + 1, replication: replication, seed: seed, summary: nil, error: error.description)
            }
            let summary = simulator.run(generator: replicator.generator)
            let spec = plan.spec
            return RunRecord(
                point: point + 1, replication: replication, seed: seed, summary: summary, error: nil,
                series: spec.keepIndicators || spec.keepQuarters ? Self.series(simulator, spec: spec) : nil)
        }

        /// The run's series in the store's packed layout (`SeriesData`).
        static func series(_ simulator: Simulator, spec: SweepSpec) -> SeriesData {
            let model = simulator.model
            let quarters = model.quarters, k = model.indicatorCount
            var indicators: [Double]?
            if spec.keepIndicators {
                var values = [Double]()
                values.reserveCapacity(k * (quarters + 1))
                for c in 0..<k { for t in 0...quarters { values.append(simulator.indicatorValue(quarter: t, indicator: c)) } }
                indicators = values
            }
            var records: [Double]?
            if spec.keepQuarters {
                let quarterRecords = (1...quarters).map(simulator.quarterRecord)
                records = quarterRecords.map(\.alignedShare) + quarterRecords.map(\.meanTrust) + quarterRecords.map(\.pooled)
                    + quarterRecords.map(\.overhead) + quarterRecords.map { Double($0.engaged) } + quarterRecords.map(\.moved)
            }
            return SeriesData(quarters: quarters, indicatorIDs: model.scenario.indicators.map(\.id),
                              indicators: indicators, quarterRecords: records)
        }
    }
}
