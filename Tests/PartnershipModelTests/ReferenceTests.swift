import Foundation
import Testing
import PartnershipModel
import RunOutput

/// The deterministic reference cases of SPEC.md (Tests/Fixtures/reference): an independent implementation's
/// outputs for `--replications 2 --seed 1`, to a relative 1e-9 (absolute 1e-12 near zero).
@Suite("Reference cases from an independent implementation")
struct ReferenceTests {
    @Test(arguments: ["unitary_riverton", "county_two_tier", "unitary_riverton_v2", "county_two_tier_v2",
                      "unitary_no_strategic_v2"])
    func matchesReference(_ name: String) throws {
        let scenario = TestPaths.reference.appendingPathComponent("\(name).yaml")
        try #require(FileManager.default.fileExists(atPath: scenario.path),
                     "the reference case is missing at \(scenario.path)")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("lspsim-ref-\(name)-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        _ = try ScenarioRun.execute(scenarioPath: scenario.path, settings: RunSettings(seed: 1, replications: 2, jobs: 2),
                                    directory: out, commandLine: ["test"])
        for file in ["summary.csv", "indicators.csv", "quarters.csv"] {
            let expected = try readCSV(TestPaths.reference.appendingPathComponent("\(name)/\(file)"))
            let actual = try readCSV(out.appendingPathComponent(file))
            #expect(actual.first == expected.first, "\(file) header")
            try #require(actual.count == expected.count, "\(file) rows: \(actual.count) vs \(expected.count)")
            for (row, (a, e)) in zip(actual, expected).enumerated().dropFirst() {
                try #require(a.count == e.count)
                for (column, (x, y)) in zip(a, e).enumerated() {
                    if let u = Double(x), let v = Double(y) {
                        #expect(close(u, v), "\(name)/\(file) row \(row) column \(expected[0][column]): \(x) vs reference \(y)")
                    } else {
                        #expect(x == y, "\(name)/\(file) row \(row) column \(column)")
                    }
                }
            }
        }
    }
}
