import Dispatch
import Experiments
import Foundation
import PartnershipModel
import Results
import ScenarioFile
import Stochastic

/// Runs two set-ups of a scenario in paired replications: replication r of each uses the
/// generator streams of (seed, r) (`Replicator`), so both see the same random numbers (common
/// random numbers) and their difference is the option's effect. Work is spread over threads;
/// each replication's results land in its own slot, so every figure is the same whatever the
/// number of threads.
public final class PairedComparison: Sendable {
    public let current: ScenarioTemplate
    public let changed: ScenarioTemplate
    public let seed: UInt64
    public let replications: Int
    public let jobs: Int
    public let generator: GeneratorKind

    /// Replications finished (both set-ups), for progress reports.
    public var completed: Int { state.withLock { $0.done } }
    private let state = Locked((done: 0, stop: false))

    public init(current: ScenarioTemplate, changed: ScenarioTemplate, seed: UInt64 = 1, replications: Int = 1000,
                jobs: Int = ProcessInfo.processInfo.activeProcessorCount, generator: GeneratorKind = .standard) {
        self.current = current
        self.changed = changed
        self.seed = seed
        self.replications = max(1, replications)
        self.jobs = max(1, jobs)
        self.generator = generator
    }

    /// Asks the workers to stop after their current replication.
    public func cancel() { state.withLock { $0.stop = true } }
    public var isCancelled: Bool { state.withLock { $0.stop } }

    /// What one set-up did in one replication (nil summary: its drawn inputs were invalid).
    struct Run {
        var summary: RunSummary?
        var met: [Bool] = []
        var trust: [Double] = []
        var moved: [Double] = []
    }

    public struct Cancelled: Error, Sendable {}

    /// Runs every replication on `jobs` threads (blocking the caller); throws `Cancelled` if
    /// `cancel()` was called before the end.
    public func run() throws -> ComparisonResult {
        let started = DispatchTime.now()
        let slots = Slots(count: replications)
        let jobs = min(self.jobs, replications)
        var replicators: [(Replicator, Replicator)] = []
        for _ in 0..<jobs { replicators.append((try Replicator(kind: generator), try Replicator(kind: generator))) }
        let workers = UncheckedBox(replicators)
        // Threads of their own rather than Dispatch's pool: on Linux, Swift concurrency shares that
        // pool, and a server busy with a long comparison must still answer (progress, Cancel).
        let group = DispatchGroup()
        for worker in 0..<jobs {
            group.enter()
            let thread = Thread { [self] in
                let (first, second) = workers.value[worker]
                for index in stride(from: worker, to: replications, by: jobs) {
                    if isCancelled { break }
                    let r = index + 1
                    slots.set(index, (one(current, first, r), one(changed, second, r)))
                    state.withLock { $0.done += 1 }
                }
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        if isCancelled { throw Cancelled() }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return ComparisonResult(current: current, changed: changed, seed: seed, generator: generator,
                                runs: slots.all(), seconds: seconds)
    }

    private func one(_ template: ScenarioTemplate, _ replicator: Replicator, _ r: Int) -> Run {
        guard let simulator = try? replicator.simulator(for: template, seed: seed, replication: r) else { return Run() }
        let summary = simulator.run(generator: replicator.generator)
        let model = simulator.model, quarters = model.quarters
        let met = model.scenario.indicators.enumerated().map { c, indicator in
            indicator.direction * (simulator.indicatorValue(quarter: quarters, indicator: c) - indicator.target) >= 0
        }
        let records = (1...quarters).map { simulator.quarterRecord($0) }
        return Run(summary: summary, met: met, trust: records.map(\.meanTrust), moved: records.map(\.moved))
    }

    /// Each replication's pair of runs, written by the worker threads under a lock (an array
    /// mutated from several threads at once, even at distinct indices, can lose writes).
    final class Slots: @unchecked Sendable {
        private var runs: [(Run, Run)?]
        private let lock = NSLock()
        init(count: Int) { runs = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ value: (Run, Run)) {
            lock.lock()
            defer { lock.unlock() }
            runs[index] = value
        }
        func all() -> [(Run, Run)] {
            lock.lock()
            defer { lock.unlock() }
            return runs.map { $0! }
        }
    }

    /// Replicators are not thread-safe; each worker uses only its own pair.
    struct UncheckedBox<Value>: @unchecked Sendable { let value: Value; init(_ value: Value) { self.value = value } }
}

/// A value behind a lock (portable; `Synchronization.Mutex` needs macOS 15).
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

/// The figures of a paired comparison.
public struct ComparisonResult: Sendable {
    /// A paired difference changed - current of one run measure.
    public struct Difference: Sendable, Codable, Equatable {
        public let measure: String, label: String
        public let currentMean: Double, changedMean: Double
        public let difference: Double, lower: Double?, upper: Double?, standardDeviation: Double
        public let shareBetter: Double, shareWorse: Double
        public let pairs: Int
    }

    /// One LAA indicator's chance of meeting its target under each set-up.
    public struct IndicatorChance: Sendable, Codable, Equatable {
        public let id: String, name: String
        public let current: Double, changed: Double
    }

    public let replications: Int, seed: UInt64, generator: String
    /// Paired runs where both set-ups ran; runs whose drawn inputs were invalid, per set-up.
    public let pairs: Int, failedCurrent: Int, failedChanged: Int
    /// targets_met_share and mean_progress, as `lspsim compare` computes them (Analysis.compare).
    public let differences: [Difference]
    public let indicators: [IndicatorChance]
    /// Quarters 1...T and the mean over runs of mean trust and money moved (GBP m) each quarter.
    public let quarters: [Int]
    public let trust: (current: [Double], changed: [Double])
    public let moved: (current: [Double], changed: [Double])
    /// Wall-clock seconds of the runs.
    public let seconds: Double

    static let compared = ["targets_met_share", "mean_progress"]

    init(current: ScenarioTemplate, changed: ScenarioTemplate, seed: UInt64, generator: GeneratorKind,
         runs: [(PairedComparison.Run, PairedComparison.Run)], seconds: Double) {
        replications = runs.count
        self.seed = seed
        self.generator = generator.rawValue
        self.seconds = seconds
        // The paired differences, through the same analysis as `lspsim compare` on a sweep with
        // the two set-ups as the two values of one factor.
        let columns = ResultStore.measureColumns
        let measures = columns.map { name in RunMeasure.all.first { $0.name == name }! }
        var stored: [StoredRun] = []
        stored.reserveCapacity(2 * runs.count)
        for (point, side) in [0, 1].map({ ($0 + 1, $0) }) {
            for (index, pair) in runs.enumerated() {
                let run = side == 0 ? pair.0 : pair.1
                stored.append(StoredRun(point: point, replication: index + 1,
                                        measures: run.summary.map { s in measures.map { $0.value(in: s) } },
                                        error: run.summary == nil ? "invalid draw" : nil))
            }
        }
        let data = SweepData(factors: ["governance"], pointValues: [["current"], ["changed"]],
                             pointNumbers: [[nil], [nil]], runs: stored)
        differences = ComparisonResult.compared.compactMap { name in
            let metric = columns.firstIndex(of: name)!
            guard let c = (try? Analysis.compare(data, factor: 0, baseline: "current", metric: metric))?.first else { return nil }
            let label = RunMeasure.all.first { $0.name == name }!.label
            return Difference(measure: name, label: label, currentMean: c.baselineMean, changedMean: c.optionMean,
                              difference: c.difference.mean, lower: c.difference.lower, upper: c.difference.upper,
                              standardDeviation: c.difference.standardDeviation,
                              shareBetter: c.shareBetter, shareWorse: c.shareWorse, pairs: c.pairs)
        }
        let okCurrent = runs.filter { $0.0.summary != nil }, okChanged = runs.filter { $0.1.summary != nil }
        pairs = runs.filter { $0.0.summary != nil && $0.1.summary != nil }.count
        failedCurrent = runs.count - okCurrent.count
        failedChanged = runs.count - okChanged.count
        func share(_ list: [PairedComparison.Run], _ c: Int) -> Double {
            list.isEmpty ? 0 : Double(list.filter { $0.met[c] }.count) / Double(list.count)
        }
        let scenario = current.scenario
        indicators = scenario.indicators.enumerated().filter { $0.element.laaTarget }.map { c, indicator in
            IndicatorChance(id: indicator.id, name: indicator.name,
                            current: share(okCurrent.map(\.0), c), changed: share(okChanged.map(\.1), c))
        }
        quarters = Array(1...scenario.quarters)
        func means(_ list: [PairedComparison.Run], _ series: KeyPath<PairedComparison.Run, [Double]>) -> [Double] {
            var sums = [Double](repeating: 0, count: scenario.quarters)
            for run in list { for (q, value) in run[keyPath: series].enumerated() { sums[q] += value } }
            return sums.map { list.isEmpty ? 0 : $0 / Double(list.count) }
        }
        trust = (means(okCurrent.map(\.0), \.trust), means(okChanged.map(\.1), \.trust))
        moved = (means(okCurrent.map(\.0), \.moved), means(okChanged.map(\.1), \.moved))
    }
}
