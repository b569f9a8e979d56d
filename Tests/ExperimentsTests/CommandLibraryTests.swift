import Foundation
import PartnershipModel
import Results
import RunOutput
import Testing
@testable import Experiments

/// The logic behind the thin commands, tested without the binary: discovery conditions, factor
/// labels, Slurm values and scripts, shard status, the JSON file types and error categories.
@Suite("Command logic in the libraries")
struct CommandLibraryTests {
    // MARK: Discovery conditions

    @Test("a discovery condition names a run measure, an operator and a number; errors are usage errors")
    func condition() throws {
        let rule = try DiscoveryCondition(parsing: "targets_met_share >= 0.6")
        #expect(rule.measure == "targets_met_share" && rule.comparison == .atLeast && rule.value == 0.6)
        #expect(rule.index == ResultStore.measureColumns.firstIndex(of: "targets_met_share"))
        #expect(rule.holds(6.0 / 10.0) && rule.holds(0.7) && !rule.holds(0.5999))
        #expect(rule.phrase == "meet at least 60% of their targets")
        #expect(try DiscoveryCondition(parsing: "mean_trust_final<0.2").comparison == .below)
        #expect(try DiscoveryCondition(parsing: "reward_grant > 3").phrase == "have reward grant of more than 3 GBP m")
        #expect(try DiscoveryCondition(parsing: "mean_trust_final < 0.2").phrase == "have mean trust at the end of less than 0.2")
        #expect(try DiscoveryCondition(parsing: "aligned_share_mean >= 0.5").phrase == "have aligned share of spend of at least 50%")
        for (text, fragment) in [("nonsense >= 1", "unknown measure 'nonsense'"), ("targets_met_share >= x", "'x' is not a number"),
                                 ("targets_met_share", "expected MEASURE OPERATOR NUMBER"), (">= 1", "names no measure")] {
            do {
                _ = try DiscoveryCondition(parsing: text)
                Issue.record("'\(text)' was accepted")
            } catch {
                #expect(error.exitCategory == .usage)
                #expect(error.description.contains(fragment), "\(error)")
            }
        }
    }

    @Test("discovery finds a box no less dense than the sweep, writes a box file that reads back, and says when nothing can be found")
    func discovery() throws {
        let fixture = try SweepFixture("""
            factors:
              - path: governance.leadership
                values: [0.2, 0.5, 0.9]
              - path: governance.pooled_fraction
                values: [0, 0.05]
            """, replications: 4)
        defer { fixture.remove() }
        let (store, _) = try fixture.run(into: "s", jobs: 1)
        let data = try store.loadData()
        let trust = ResultStore.measureColumns.firstIndex(of: "mean_trust_final")!
        let values = data.runs.compactMap { $0.measures?[trust] }.sorted()
        let median = values[values.count / 2]
        let rule = try DiscoveryCondition(parsing: "mean_trust_final >= \(median)")
        let report = try Discovery.discover(data, sweepName: "test sweep", condition: rule, options: .init(), step: nil)
        #expect(report.cases.outcome.count == 24 && report.cases.factors == ["governance.leadership", "governance.pooled_fraction"])
        #expect(report.cases.outcome.filter { $0 }.count == values.filter { $0 >= median - DiscoveryCondition.tolerance }.count)
        #expect(report.box.density >= report.result.baseDensity)
        let written = try report.write(into: fixture.folder)
        let file = try DiscoveryBoxFile(url: written.box)
        #expect(file.condition.text == rule.text && file.runs.used == 24 && file.summary == report.sentence)
        #expect(file.limits.map(\.factor) == report.cases.factors)
        #expect(try String(contentsOf: written.box, encoding: .utf8) == report.json() + "\n")

        let impossible = try DiscoveryCondition(parsing: "mean_trust_final > \(values.last! + 1)")
        do {
            _ = try Discovery.discover(data, sweepName: "", condition: impossible, options: .init(), step: nil)
            Issue.record("a condition no run meets gave a box")
        } catch {
            #expect(error.exitCategory == .invalidInput && error.description.contains("no run meets the condition"))
        }
    }

    // MARK: Factor labels

    @Test("factor paths read as words, with full paths where two would read the same")
    func factorLabels() {
        #expect(FactorLabel.readable("governance.pooled_fraction") == "pooled fraction")
        #expect(FactorLabel.readable("partners[id=police].openness") == "police openness")
        #expect(FactorLabel.readable("scenario") == "scenario")
        #expect(FactorLabel.readableNames(["a.leadership", "b.leadership", "governance.levels"])
            == ["a.leadership", "b.leadership", "levels"])
    }

    // MARK: Slurm

    /// A sweep of 2 design points x 3 replications.
    static func twoPointSweep() throws -> SweepFixture {
        try SweepFixture("""
            factors:
              - path: governance.pooled_fraction
                values: [0, 0.05]
            """, replications: 3)
    }

    @Test("Slurm time limits, memory, names and array specifications")
    func slurmValues() {
        for good in ["30", "30:00", "01:30:00", "2-00:00:00", "1-12", "1-12:30"] { #expect(SlurmScripts.isValidTime(good), "\(good)") }
        for bad in ["0", "00:00:00", "1:60", "1:2:3:4", "x", "-1", "1-"] { #expect(!SlurmScripts.isValidTime(bad), "\(bad)") }
        #expect(SlurmScripts.isValidMemory("2G") && SlurmScripts.isValidMemory("500") && !SlurmScripts.isValidMemory("0M") && !SlurmScripts.isValidMemory("2GB"))
        #expect(SlurmScripts.isValidName("short,long", allowCommas: true) && !SlurmScripts.isValidName("short,long", allowCommas: false))
        #expect(SlurmScripts.arraySpec([7, 1, 2, 3, 4, 9, 10]) == "1-4,7,9-10")
        #expect(SlurmScripts.unsafeFolderProblem("/scratch/my sweep")?.contains("whitespace") == true)
        #expect(SlurmScripts.unsafeFolderProblem("/scratch/sweep") == nil)
        #expect(shardSizeText(900, 3) == "300" && shardSizeText(901, 3) == "300-301")
        #expect(shellQuoted("plain/path-1.yaml") == "plain/path-1.yaml" && shellQuoted("it's") == "'it'\\''s'")
    }

    @Test("the job scripts run each shard with --resume and merge the folder")
    func slurmScripts() throws {
        let fixture = try Self.twoPointSweep()
        defer { fixture.remove() }
        let plan = try SweepLoader.load(path: fixture.sweepPath)
        let scripts = SlurmScripts(plan: plan, sweepPath: fixture.sweepPath, directory: fixture.folder, executable: "/opt/lspsim",
                                   tasks: 4, options: .init(partition: "short", time: nil, cpusPerTask: 2, mem: nil, account: nil),
                                   commandLine: ["lspsim", "slurm"])
        let array = scripts.arrayScript(indices: [1, 2, 4], resumed: true)
        #expect(array.contains("\n#SBATCH --array=1-2,4\n") && array.contains("\n#SBATCH --partition=short\n"))
        #expect(!array.contains("#SBATCH --time"))
        #expect(array.contains("--shard \"${SLURM_ARRAY_TASK_ID}/4\" --out \(fixture.folder.path)"))
        #expect(array.contains("--jobs 2 --resume --quiet"))
        #expect(scripts.mergeScript().contains("exec /opt/lspsim merge \(fixture.folder.path)\n"))
    }

    @Test("shard status counts stored runs per shard and finds a store of another sweep with the store's own check")
    func shardStatus() throws {
        let fixture = try Self.twoPointSweep()
        defer { fixture.remove() }
        let plan = try SweepLoader.load(path: fixture.sweepPath)
        let shard = Shard(index: 1, count: 2)
        let store = try SweepStore.open(plan: plan, directory: fixture.folder, shard: shard, mode: .new)
        _ = try SweepRunner(plan: plan, store: store, jobs: 1, shard: shard).run(progress: nil, stop: StopRequest())
        let status = try ShardStatus.inspect(plan: plan, directory: fixture.folder, count: 2)
        #expect(status.map(\.exists) == [true, false])
        #expect(status[0].expected == 3 && status[0].stored == 3 && status[0].complete && status[0].problem == nil)
        #expect(status[1].expected == 3 && !status[1].complete)

        // The same folder, but the sweep file has changed (another seed).
        try String(contentsOfFile: fixture.sweepPath, encoding: .utf8).replacingOccurrences(of: "seed: 11", with: "seed: 12")
            .write(toFile: fixture.sweepPath, atomically: true, encoding: .utf8)
        let changed = try SweepLoader.load(path: fixture.sweepPath)
        let again = try ShardStatus.inspect(plan: changed, directory: fixture.folder, count: 2)
        #expect(again[0].problem?.contains("belongs to another sweep: the sweep file has changed") == true, "\(again[0].problem ?? "no problem")")
        do {
            _ = try ShardStatus.inspect(plan: plan, directory: fixture.folder, count: 3)
            Issue.record("another partition was accepted")
        } catch let error as ClassifiedError {
            #expect(error.exitCategory == .invalidInput && error.description.contains("holds shards of a 2-way partition"))
        }
    }

    // MARK: Sweep sessions

    @Test("a sweep session runs what is missing, refuses an existing store (cannotCreate) and reports a stop (interrupted)")
    func sweepSession() throws {
        let fixture = try Self.twoPointSweep()
        defer { fixture.remove() }
        let plan = try SweepLoader.load(path: fixture.sweepPath)
        let folder = fixture.folder.appendingPathComponent("out")
        var openedPath: URL?
        let (store, outcome) = try SweepSession.run(plan, directory: folder, shard: nil, mode: .new, jobs: 1, progress: nil,
                                                    stop: StopRequest()) { openedPath = $0 }
        #expect(openedPath == folder.appendingPathComponent("results.sqlite"))
        #expect(try outcome.computed == 6 && store.runCounts().all == 6)
        #expect(SweepSession.summary(outcome).hasPrefix("Stored 6 new runs (0 were already stored) in "))
        store.writerLock?.release()   // as when the writing process ends
        do {
            _ = try SweepSession.run(plan, directory: folder, shard: nil, mode: .new, jobs: 1, progress: nil, stop: StopRequest())
            Issue.record("an existing store was reopened without --resume")
        } catch let error as ClassifiedError {
            #expect(error.exitCategory == .cannotCreate && error.description.contains("--resume"))
        }
        let stopped = StopRequest()
        stopped.request()
        do {
            _ = try SweepSession.run(plan, directory: fixture.folder.appendingPathComponent("stopped"), shard: nil, mode: .new, jobs: 1,
                                     progress: nil, stop: stopped, then: "finish and analyse")
            Issue.record("a stopped session did not say so")
        } catch let error as ClassifiedError {
            #expect(error.exitCategory == .interrupted)
            #expect(error.description == "interrupted: 0 of 6 runs are stored; run the same command with --resume to finish and analyse")
        }
    }

    @Test("a sweep summary groups by a factor, counts the runs meeting the target share, and refuses an unknown factor")
    func sweepSummary() throws {
        let fixture = try Self.twoPointSweep()
        defer { fixture.remove() }
        let (store, _) = try fixture.run(into: "s", jobs: 1)
        let summary = try SweepSummary(store: store, by: ["governance.pooled_fraction"], metrics: ["targets_met_share"])
        #expect(summary.summaries.map(\.key) == [["0"], ["0.05"]])
        #expect(summary.fileName == "summary-by-governance.pooled_fraction.csv")
        let data = try store.loadData()
        let share = ResultStore.measureColumns.firstIndex(of: "targets_met_share")!
        for group in summary.summaries {
            let shares = data.runs.filter { data.pointValues[$0.point - 1][1] == group.key[0] }.compactMap { $0.measures?[share] }
            let met = shares.filter { $0 >= 0.6 - 1e-12 }.count
            #expect(group.meetProbability?.estimate == Double(met) / Double(shares.count), "group \(group.key)")
        }
        let csv = summary.table().csv().split(separator: "\n")
        #expect(csv.first == "governance.pooled_fraction,measure,n,mean,sd,ci95_low,ci95_high,q05,q50,q95")
        #expect(csv.count == 1 + 2 * 2, "a measure row and a p_targets_met_share_ge_0.6 row per group")
        #expect(csv.contains { $0.hasPrefix("0.05,p_targets_met_share_ge_0.6,3,") })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(summary.json().utf8)) as? [[String: Any]])
        #expect(json.count == 2 && (json[0]["group"] as? [String: String]) == ["governance.pooled_fraction": "0"])
        #expect(throws: ClassifiedError.self) { try SweepSummary(store: store, by: ["governance.nope"], metrics: []) }
    }

    @Test("a factor comparison pairs runs by replication, writes its CSV and refuses an unknown factor")
    func factorComparison() throws {
        let fixture = try Self.twoPointSweep()
        defer { fixture.remove() }
        let (store, _) = try fixture.run(into: "s", jobs: 1)
        let comparison = try FactorComparison(store: store, factor: "governance.pooled_fraction", metric: "mean_trust_final", baseline: nil)
        #expect(comparison.baseline == "0" && comparison.comparisons.map(\.option) == ["0.05"])
        let trust = ResultStore.measureColumns.firstIndex(of: "mean_trust_final")!
        let runs = try store.loadData().runs
        let differences = (1...3).map { r in
            runs.first { $0.point == 2 && $0.replication == r }!.measures![trust] - runs.first { $0.point == 1 && $0.replication == r }!.measures![trust]
        }
        let c = try #require(comparison.comparisons.first)
        #expect(c.pairs == 3)
        #expect(abs(c.difference.mean - differences.reduce(0, +) / 3) < 1e-12)
        let url = try comparison.write(into: fixture.folder)
        #expect(url.lastPathComponent == "compare-governance.pooled_fraction-mean_trust_final.csv")
        #expect(try String(contentsOf: url, encoding: .utf8).hasPrefix("factor,option,baseline,metric,pairs,"))
        #expect(comparison.text().hasPrefix("mean_trust_final: each value of governance.pooled_fraction against the baseline 0,\n"))
        #expect(throws: ClassifiedError.self) { try FactorComparison(store: store, factor: "nope", metric: "mean_trust_final", baseline: nil) }
    }

    // MARK: Sensitivity analysis

    @Test("a morris analysis takes each point's mean over its replications, seeds its bootstrap from the sweep, and writes its files")
    func sensitivityAnalysis() throws {
        let fixture = try SweepFixture("""
            factors:
              - path: governance.leadership
                range: {min: 0.2, max: 0.9}
              - path: partners[id=police].openness
                range: {min: 0.2, max: 0.5}
            """, replications: 2)
        defer { fixture.remove() }
        let plan = try SensitivityMethod.morris.loadPlan(path: fixture.sweepPath, samples: 3, levels: 4)
        #expect(plan.points.count == 3 * (2 + 1))
        let folder = fixture.folder.appendingPathComponent("morris")
        let (store, _) = try SweepSession.run(plan, directory: folder, shard: nil, mode: .new, jobs: 1, progress: nil, stop: StopRequest())
        func analyse() throws -> SensitivityAnalysis {
            try SensitivityAnalysis(plan: plan, store: store, storePath: "results.sqlite", method: .morris, metrics: [], bootstrap: 100)
        }
        let analysis = try analyse()
        #expect(analysis.results.map(\.measure) == SensitivityAnalysis.defaultMetrics)
        // The output mean is the mean over points of each point's mean over its two replications.
        let trust = ResultStore.measureColumns.firstIndex(of: "mean_trust_final")!
        let runs = try store.loadData().runs
        let pointMeans = (1...plan.points.count).map { p in runs.filter { $0.point == p }.map { $0.measures![trust] }.reduce(0, +) / 2 }
        let result = try #require(analysis.results.first { $0.measure == "mean_trust_final" })
        #expect(abs(result.outputMean! - pointMeans.reduce(0, +) / Double(pointMeans.count)) < 1e-12)
        #expect(result.excludedPoints.isEmpty && (result.morris != nil || result.error != nil))
        // The bootstrap is seeded from the sweep: the same analysis again gives the same file.
        var first = analysis.file, second = try analyse().file
        first.createdAt = nil
        second.createdAt = nil
        #expect(try JSONFile.text(first) == JSONFile.text(second))
        let written = try analysis.write(into: folder)
        #expect(written.csv.lastPathComponent == "sensitivity-morris.csv" && written.json.lastPathComponent == "sensitivity-morris.json")
        let read = try SensitivityFile(url: written.json)
        #expect(read.method == "morris" && read.design?.levels == 4 && read.factors.map(\.name) == ["governance.leadership", "partners[id=police].openness"])
        #expect(read.results.count == 3)
    }

    // MARK: File formats

    @Test("absent optional numbers are written as null and read back as nil, missing or null")
    func explicitNull() throws {
        let factor = SensitivityFile.Factor(name: "f", min: nil, max: 1, integer: false)
        let text = try JSONFile.text(factor)
        #expect(text.contains("\"min\" : null"), "\(text)")
        let back = try JSONDecoder().decode(SensitivityFile.Factor.self, from: Data(text.utf8))
        #expect(back.min == nil && back.max == 1)
        let missing = try JSONDecoder().decode(SensitivityFile.Factor.self, from: Data(#"{"name": "f"}"#.utf8))
        #expect(missing.min == nil && missing.max == nil && missing.integer == nil)
    }

    @Test("a sensitivity file reads back what it wrote, and a minimal older file is accepted")
    func sensitivityFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lspsim-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var result = SensitivityFile.Result(scenario: "unitary.yaml", measure: "targets_met_share", points: 4, pointsExcluded: 0,
                                            excludedPoints: [], outputMean: 0.5, error: nil)
        result.indices = [.init(factor: "f", firstOrder: 0.4, firstOrderLow: nil, firstOrderHigh: 0.6, totalOrder: 0.5,
                                totalOrderLow: 0.3, totalOrderHigh: 0.7)]
        let file = SensitivityFile(format: SensitivityFile.formatName, formatVersion: 1, method: "sobol", lspsimVersion: "x",
                                   gslVersion: "2.7", createdAt: "now", sweep: nil, design: nil, store: "s", bootstrap: nil,
                                   factors: [.init(name: "f", min: 0, max: 1, integer: false)], measures: ["targets_met_share"],
                                   results: [result])
        let url = folder.appendingPathComponent("sensitivity-sobol.json")
        let text = try JSONFile.text(file)
        #expect(text.contains("\"error\" : null") && text.contains("\"first_order_low\" : null"))
        try text.write(to: url, atomically: true, encoding: .utf8)
        let read = try SensitivityFile(url: url)
        #expect(read.file == "sensitivity-sobol.json" && read.results[0].indices?[0].firstOrderHigh == 0.6)
        #expect(read.results[0].indices?[0].firstOrderLow == nil && read.results[0].error == nil)

        try #"{"format": "lspsim-sensitivity", "format_version": 1, "method": "morris", "factors": [{"name": "f"}], "results": [{"scenario": "a", "measure": "b"}]}"#
            .write(to: url, atomically: true, encoding: .utf8)
        #expect(try SensitivityFile(url: url).results[0].effects == nil)
        try #"{"format": "lspsim-sensitivity", "format_version": 2, "method": "morris", "factors": [], "results": []}"#
            .write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: JSONFile.ReadError.self) { try SensitivityFile(url: url) }
    }

    @Test("a manifest without the fields older lspsim versions did not write still reads, with them empty")
    func tolerantManifest() throws {
        let old = #"{"version": "0.9", "scenario_file": "s.yaml", "seed": 7, "replications": 3}"#
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(old.utf8))
        #expect(manifest.scenarioFile == "s.yaml" && manifest.seed == 7 && manifest.replications == 3)
        #expect(manifest.modelVersion == nil && manifest.generator.isEmpty && manifest.commandLine.isEmpty)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Manifest.self, from: Data(#"{"version": "1"}"#.utf8)) }
        let written = Manifest(scenarioFile: "a.yaml", scenarioSHA256: "h", scenarioName: "A", modelVersion: 2, seed: 1, replications: 2,
                               generator: "mt19937", jobs: 1, commandLine: ["lspsim"], startedAt: "s", finishedAt: "f", files: [])
        #expect(try JSONDecoder().decode(Manifest.self, from: Data(written.json())) == written)
        // A run without a posterior writes no posterior key; one with a posterior records its folder and hash.
        #expect(manifest.posterior == nil && !String(decoding: written.json(), as: UTF8.self).contains("posterior"))
        var drawn = written
        drawn.posterior = Manifest.PosteriorRecord(directory: "outputs/cal", sha256: "abc")
        let text = String(decoding: drawn.json(), as: UTF8.self)
        #expect(text.contains(#""directory" : "outputs/cal""#) && text.contains(#""sha256" : "abc""#))
        #expect(try JSONDecoder().decode(Manifest.self, from: Data(drawn.json())) == drawn)
    }

    // MARK: Errors and thresholds

    @Test("classifying keeps an error's own category and gives others the fallback")
    func classifying() {
        struct Busy: ExitCodeClassified { var exitCategory: ExitCategory { .temporaryFailure } }
        struct Plain: Error {}
        #expect(throws: Busy.self) { try ClassifiedError.classifying(.cannotCreate) { () throws -> Void in throw Busy() } }
        do {
            try ClassifiedError.classifying(.cannotCreate, "writing") { () throws -> Void in throw Plain() }
        } catch let error as ClassifiedError {
            #expect(error.exitCategory == .cannotCreate && error.description.hasPrefix("writing: "))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("the target-share threshold is the reward rule's 60%, met at 6/10 in floating point")
    func threshold() {
        #expect(TargetShareThreshold.default == 0.6)
        #expect(TargetShareThreshold.isMet(6.0 / 10.0) && TargetShareThreshold.isMet(0.6 - 1e-13) && !TargetShareThreshold.isMet(0.59))
        #expect(TargetShareThreshold.isMet(0.5, threshold: 0.5))
    }

    @Test("unknown measures are usage errors that list the valid ones")
    func measureNames() throws {
        #expect(try Analysis.measureIndices(["targets_met_share"]) == [ResultStore.measureColumns.firstIndex(of: "targets_met_share")!])
        #expect(throws: ClassifiedError.self) { try Analysis.measureIndices(["nope"]) }
    }
}
