import Foundation
import Dispatch
import PartnershipModel
import ScenarioFile
import Stochastic

/// What one replication produced: its summary, the final indicator values and, where asked for,
/// its rows of `indicators.csv`, `quarters.csv` and `summary.csv`, already formatted.
public struct ReplicationRecord: Sendable {
    /// Replication number r (1-based).
    public let replication: Int
    public let summary: RunSummary
    /// y_k(T) for every indicator, in file order.
    public let finalValues: [Double]
    /// Whether each indicator ended at or beyond this replication's own target (drawn where uncertain).
    public let targetMet: [Bool]
    /// Formatted CSV rows (empty where series were not asked for).
    public let summaryRow: [UInt8], indicatorRows: [UInt8], quarterRows: [UInt8]
}

/// A replication that could not run: its drawn inputs broke a field's valid range.
public struct ReplicationFailure: Error, Sendable, CustomStringConvertible {
    public let replication: Int
    public let error: ScenarioTemplate.DrawError
    public var description: String { "replication \(replication): \(error)" }
}

/// The settings of a batch of replications.
public struct RunSettings: Sendable {
    /// The run seed S.
    public var seed: UInt64
    /// Replications 1...R.
    public var replications: Int
    /// GSL generator algorithm.
    public var generator: GeneratorKind
    /// Worker threads.
    public var jobs: Int
    /// Whether to format CSV rows for each replication.
    public var formatRows: Bool

    public init(seed: UInt64 = 1, replications: Int = 100, generator: GeneratorKind = .standard,
                jobs: Int = 1, formatRows: Bool = true) {
        self.seed = seed
        self.replications = replications
        self.generator = generator
        self.jobs = max(1, jobs)
        self.formatRows = formatRows
    }
}

/// Runs replications of a scenario on several threads, handing records back in replication order.
///
/// Replication r always re-seeds its worker's generator from (S, r) (see `SeedDerivation`), draws
/// the scenario's uncertain inputs, then runs the quarters, so that its result does not depend on
/// how many replications or threads there are. Work proceeds in batches so memory stays bounded.
public final class ReplicationRunner {
    public let template: ScenarioTemplate
    public let settings: RunSettings
    private let workers: [Worker]
    /// Replications per batch handed to the workers.
    public let batchSize: Int

    public init(template: ScenarioTemplate, settings: RunSettings) throws(GSLError) {
        self.template = template
        self.settings = settings
        var workers: [Worker] = []
        for _ in 0..<settings.jobs {
            workers.append(try Worker(template: template, settings: settings))
        }
        self.workers = workers
        batchSize = max(64, 16 * settings.jobs)
    }

    /// Runs every replication; `consume` receives each record in replication order.
    /// Returns the failures (in order); a failed replication has no record.
    public func run(_ consume: (ReplicationRecord) throws -> Void) rethrows -> [ReplicationFailure] {
        var failures: [ReplicationFailure] = []
        var start = 1
        while start <= settings.replications {
            let count = min(batchSize, settings.replications - start + 1)
            let slots = Slots(count: count)
            let workers = workers, jobs = settings.jobs, first = start
            if jobs == 1 {
                for index in 0..<count { slots.set(index, workers[0].run(replication: first + index)) }
            } else {
                DispatchQueue.concurrentPerform(iterations: jobs) { worker in
                    for index in stride(from: worker, to: count, by: jobs) {
                        slots.set(index, workers[worker].run(replication: first + index))
                    }
                }
            }
            for index in 0..<count {
                switch slots.get(index) {
                case let .success(record): try consume(record)
                case let .failure(failure): failures.append(failure)
                }
            }
            start += count
        }
        return failures
    }

    /// One batch's results, each slot written by exactly one worker, under a lock: an array
    /// mutated from several threads at once (even at distinct indices) can be copied on write by
    /// one of them and lose the others' writes.
    private final class Slots: @unchecked Sendable {
        private var results: [Result<ReplicationRecord, ReplicationFailure>?]
        private let lock = NSLock()
        init(count: Int) { results = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ result: Result<ReplicationRecord, ReplicationFailure>) {
            lock.lock()
            defer { lock.unlock() }
            results[index] = result
        }
        func get(_ index: Int) -> Result<ReplicationRecord, ReplicationFailure> {
            lock.lock()
            defer { lock.unlock() }
            return results[index]!
        }
    }

    /// A thread's own generators and simulator, reused across its replications.
    final class Worker: @unchecked Sendable {
        let template: ScenarioTemplate
        let settings: RunSettings
        let replicator: Replicator

        init(template: ScenarioTemplate, settings: RunSettings) throws(GSLError) {
            self.template = template
            self.settings = settings
            replicator = try Replicator(kind: settings.generator)
        }

        func run(replication r: Int) -> Result<ReplicationRecord, ReplicationFailure> {
            let simulator: Simulator
            do {
                simulator = try replicator.simulator(for: template, seed: settings.seed, replication: r)
            } catch {
                return .failure(ReplicationFailure(replication: r, error: error))
            }
            let summary = simulator.run(generator: replicator.generator)
            let k = simulator.model.indicatorCount, quarters = simulator.model.quarters
            let finalValues = (0..<k).map { simulator.indicatorValue(quarter: quarters, indicator: $0) }
            let targetMet = zip(simulator.model.scenario.indicators, finalValues).map { indicator, value in
                indicator.direction * (value - indicator.target) >= 0
            }
            guard settings.formatRows else {
                return .success(ReplicationRecord(replication: r, summary: summary, finalValues: finalValues,
                                                  targetMet: targetMet, summaryRow: [], indicatorRows: [], quarterRows: []))
            }
            let rows = RunTables.rows(replication: r, seed: settings.seed, summary: summary, simulator: simulator)
            return .success(ReplicationRecord(replication: r, summary: summary, finalValues: finalValues,
                                              targetMet: targetMet, summaryRow: rows.summary,
                                              indicatorRows: rows.indicators, quarterRows: rows.quarters))
        }
    }
}
