import Foundation
import Testing
import RunOutput
import ScenarioFile

/// Golden regression runs of the shipped scenarios: 10 replications of seed 1 compared with
/// baselines stored in Fixtures/golden/ (to a relative 1e-9, so that a change of libm rounding
/// does not fail them, while any change to the dynamics does).
///
/// An intended change to the dynamics or to a shipped scenario re-records the baselines with
/// `LSPSIM_RECORD_GOLDEN=1 swift test --filter GoldenTests`, in a commit that says why.
@Suite("Golden regression runs of the shipped scenarios")
struct GoldenTests {
    static let scenarios = ["unitary", "two-tier-county", "county-as-unitary"]

    @Test(arguments: scenarios)
    func matchesBaseline(_ name: String) throws {
        let scenario = TestPaths.scenarios.appendingPathComponent("\(name).yaml").path
        let golden = TestPaths.fixtures.appendingPathComponent("golden/\(name)")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("lspsim-golden-\(name)-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        _ = try ScenarioRun.execute(scenarioPath: scenario, settings: RunSettings(seed: 1, replications: 10, jobs: 2),
                                    directory: out, commandLine: ["golden"])
        if ProcessInfo.processInfo.environment["LSPSIM_RECORD_GOLDEN"] == "1" {
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
            #expect(actual.first == expected.first)
            var mismatches = 0
            for (row, (a, e)) in zip(actual, expected).enumerated().dropFirst() where a != e {
                for (x, y) in zip(a, e) where x != y {
                    guard let u = Double(x), let v = Double(y), close(u, v) else {
                        mismatches += 1
                        if mismatches <= 5 { Issue.record("\(name)/\(file) row \(row): \(a) differs from baseline \(e)") }
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

    @Test("the county pair differs only in tiers: same indicators, governance and model constants")
    func matchedPair() throws {
        let twoTier = try ScenarioLoader.load(path: TestPaths.scenarios.appendingPathComponent("two-tier-county.yaml").path).scenario
        let unitary = try ScenarioLoader.load(path: TestPaths.scenarios.appendingPathComponent("county-as-unitary.yaml").path).scenario
        #expect(twoTier.tier == .twoTier && unitary.tier == .single)
        #expect(twoTier.indicators == unitary.indicators)
        #expect(twoTier.governance == unitary.governance)
        #expect(twoTier.model == unitary.model)
        #expect(twoTier.districtNames.count >= 5)
        #expect(twoTier.partners.count >= 20)
        let councils: Set = ["county_council", "district_council"]
        let others = twoTier.partners.filter { !councils.contains($0.kind.rawValue) }
        let unitaryOthers = unitary.partners.filter { $0.kind != .unitaryCouncil }
        #expect(others.map(\.id) == unitaryOthers.map(\.id))
        let councilBudget = twoTier.partners.filter { councils.contains($0.kind.rawValue) }.map(\.budget).reduce(0, +)
        let merged = try #require(unitary.partners.first { $0.kind == .unitaryCouncil })
        #expect(abs(merged.budget - councilBudget) < 1e-9)
        for district in twoTier.districtNames {
            #expect(twoTier.partners.contains { $0.tier == .district(district) && $0.kind == .districtCouncil })
            #expect(twoTier.partners.filter { $0.tier == .district(district) }.count >= 2, "district \(district) needs an LSP of 2+ partners")
        }
    }
}
