import Foundation
import Testing
import RunOutput
import ScenarioFile

/// Golden regression runs: 10 replications of seed 1 compared with baselines stored in Fixtures
/// (to a relative 1e-9, so that a change of libm rounding does not fail them, while any change to
/// the dynamics does).
///
/// - Version 2 (the default): the shipped scenarios against `Fixtures/golden/`.
/// - Version 1: copies of the shipped scenarios as lspsim 0.2.0 shipped them, pinned to
///   `model: {version: 1}` (`Fixtures/golden-v1/*.yaml`), against the baselines 0.2.0 recorded
///   before version 2 existed. Columns are matched by name, so the columns added since
///   (`money_moved_share`, `moved`) are not in those baselines; every column that is must be
///   unchanged: version 1 still gives the numbers it gave.
///
/// An intended change to the dynamics or to a shipped scenario re-records the version 2 baselines
/// with `LSPSIM_RECORD_GOLDEN=1 swift test --filter GoldenTests`, in a commit that says why. The
/// version 1 baselines are never re-recorded.
@Suite("Golden regression runs of the shipped scenarios")
struct GoldenTests {
    static let scenarios = ["unitary", "two-tier-county", "county-as-unitary"]

    @Test("version 2: the shipped scenarios", arguments: scenarios)
    func matchesBaseline(_ name: String) throws {
        let scenario = TestPaths.scenarios.appendingPathComponent("\(name).yaml").path
        try compare(scenario: scenario, golden: TestPaths.fixtures.appendingPathComponent("golden/\(name)"), name: name,
                    record: ProcessInfo.processInfo.environment["LSPSIM_RECORD_GOLDEN"] == "1")
    }

    @Test("version 1: the 0.2.0 scenarios give the 0.2.0 numbers", arguments: scenarios)
    func versionOneUnchanged(_ name: String) throws {
        let folder = TestPaths.fixtures.appendingPathComponent("golden-v1")
        let scenario = folder.appendingPathComponent("\(name).yaml").path
        #expect(try ScenarioLoader.load(path: scenario).scenario.model.version == .v1)
        try compare(scenario: scenario, golden: folder.appendingPathComponent(name), name: "\(name) (v1)", record: false)
    }

    /// Runs `scenario` (10 replications, seed 1) and compares every column of the baseline's files
    /// with the column of the same name in the run's, or records the run as the baseline.
    private func compare(scenario: String, golden: URL, name: String, record: Bool) throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("lspsim-golden-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        _ = try ScenarioRun.execute(scenarioPath: scenario, settings: RunSettings(seed: 1, replications: 10, jobs: 2),
                                    directory: out, commandLine: ["golden"])
        if record {
            try FileManager.default.createDirectory(at: golden, withIntermediateDirectories: true)
            for file in RunTables.fileNames {
                try? FileManager.default.removeItem(at: golden.appendingPathComponent(file))
                try FileManager.default.copyItem(at: out.appendingPathComponent(file), to: golden.appendingPathComponent(file))
            }
            return
        }
        for file in RunTables.fileNames {
            let expected = try readCSV(golden.appendingPathComponent(file))
            let actual = try readCSV(out.appendingPathComponent(file))
            try #require(actual.count == expected.count, "\(name)/\(file): \(actual.count) rows, baseline \(expected.count)")
            let header = try #require(actual.first), baselineHeader = try #require(expected.first)
            let columns = try baselineHeader.map { column in
                try #require(header.firstIndex(of: column), "\(name)/\(file): the run has no column \(column)")
            }
            var mismatches = 0
            for (row, (a, e)) in zip(actual, expected).enumerated().dropFirst() {
                for (position, column) in columns.enumerated() where a[column] != e[position] {
                    guard let u = Double(a[column]), let v = Double(e[position]), close(u, v) else {
                        mismatches += 1
                        if mismatches <= 5 {
                            Issue.record("\(name)/\(file) row \(row) column \(baselineHeader[position]): \(a[column]), baseline \(e[position])")
                        }
                        break
                    }
                }
            }
            #expect(mismatches == 0, "\(name)/\(file): \(mismatches) rows differ from the baseline")
        }
    }

    @Test("every shipped scenario validates", arguments: scenarios)
    func validates(_ name: String) throws {
        let template = try ScenarioLoader.load(path: TestPaths.scenarios.appendingPathComponent("\(name).yaml").path)
        #expect(template.scenario.partners.count >= 10)
        #expect(template.scenario.indicators.filter { !$0.laaTarget }.count >= (name == "unitary" ? 3 : 0))
    }

    @Test("the county pair differs only in tiers: same organisations, indicators, governance and model constants")
    func matchedPair() throws {
        let twoTier = try ScenarioLoader.load(path: TestPaths.scenarios.appendingPathComponent("two-tier-county.yaml").path).scenario
        let single = try ScenarioLoader.load(path: TestPaths.scenarios.appendingPathComponent("county-as-unitary.yaml").path).scenario
        #expect(twoTier.tier == .twoTier && single.tier == .single)
        #expect(twoTier.quarters == single.quarters)
        #expect(twoTier.indicators == single.indicators)
        #expect(twoTier.governance == single.governance)
        #expect(twoTier.model == single.model)
        #expect(twoTier.districtNames.count >= 5)
        #expect(twoTier.partners.count >= 20)
        try #require(twoTier.partners.count == single.partners.count)
        for (a, b) in zip(twoTier.partners, single.partners) {
            var moved = a
            moved.tier = .area
            #expect(moved == b, "partner \(a.id) differs beyond its tier")
        }
        for district in twoTier.districtNames {
            #expect(twoTier.partners.contains { $0.tier == .district(district) && $0.kind == .districtCouncil })
            #expect(twoTier.partners.filter { $0.tier == .district(district) }.count >= 2, "district \(district) needs an LSP of 2+ partners")
        }
    }
}
