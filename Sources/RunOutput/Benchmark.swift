import Foundation
import PartnershipModel
import ScenarioFile
import Stochastic

/// Throughput of the model alone (no file writing), single-threaded.
public struct BenchmarkResult: Sendable {
    public let scenario: String
    public let partners: Int, indicators: Int, quarters: Int
    public let runs: Int
    public let seconds: Double
    public var runsPerSecond: Double { Double(runs) / seconds }
    /// Partner-quarters simulated per second (N * T per run).
    public var partnerQuartersPerSecond: Double { runsPerSecond * Double(partners * quarters) }
    /// Partner-indicator-quarters per second (N * K * T per run), the unit of the O(N K) loop.
    public var agentStepsPerSecond: Double { runsPerSecond * Double(partners * indicators * quarters) }
}

public enum Benchmark {
    /// Runs replications 1, 2, ... of `template` for at least `seconds` (after a warm-up),
    /// re-seeding one generator per replication as `lspsim run` does.
    public static func measure(_ template: ScenarioTemplate, name: String, seconds: Double,
                               generator kind: GeneratorKind) throws -> BenchmarkResult {
        let replicator = try Replicator(kind: kind)
        var checksum = 0.0
        func one(_ r: Int) throws {
            let simulator = try replicator.simulator(for: template, seed: 1, replication: r)
            checksum += simulator.run(generator: replicator.generator).meanProgress
        }
        for r in 1...200 { try one(r) }
        var runs = 0
        let clock = ContinuousClock()
        let start = clock.now
        var elapsed = 0.0
        while elapsed < seconds {
            for _ in 0..<500 {
                runs += 1
                try one(runs)
            }
            let duration = clock.now - start
            elapsed = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        }
        if checksum.isNaN { print("checksum NaN") }
        let s = template.scenario
        return BenchmarkResult(scenario: name, partners: s.partners.count, indicators: s.indicators.count,
                               quarters: s.quarters, runs: runs, seconds: elapsed)
    }

    /// Peak resident memory of this process so far, in bytes (getrusage's ru_maxrss).
    public static func peakMemoryBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }
}
