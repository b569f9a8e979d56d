import Foundation
import Testing

/// `lspsim robust` from outside: a small robust sweep, its table, CSV, JSON, vulnerabilities and errors.
@Suite("lspsim robust, end to end")
struct RobustCLITests: RunsLspsim {
    func sweepFolder() throws -> (folder: URL, out: URL) {
        let folder = try temporaryDirectory(prefix: "lspsim-robust")
        let unitary = LspsimBinary.packageRoot.appendingPathComponent("scenarios/unitary.yaml").path
        let sweep = """
            name: robust test
            scenarios: [\(unitary)]
            options:
              - {name: No pool, set: {governance.pooled_fraction: 0}}
              - {name: Strategic only, set: {governance.levels: [strategic]}}
            uncertainties:
              - {path: model.returns, min: 0.5, max: 0.9}
              - {path: model.delivery_lag, values: [1, 2, 3]}
            worlds: {count: 40, design: latin_hypercube}
            replications: 3
            seed: 5
            """
        return (folder, try runSweep(sweep, in: folder, named: "robust"))
    }

    /// Writes `text` as `NAME.yaml` in `folder` and sweeps it into `NAME-out`, which it returns.
    func runSweep(_ text: String, in folder: URL, named name: String) throws -> URL {
        let file = folder.appendingPathComponent("\(name).yaml"), out = folder.appendingPathComponent("\(name)-out")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let result = try lspsim(["sweep", file.path, "--out", out.path, "--quiet"])
        try #require(result.status == 0, "sweep of \(name) failed: \(result.stderr)")
        return out
    }

    @Test("table, CSV and JSON agree; files are written; vulnerabilities are described; errors exit 65")
    func robust() throws {
        let (folder, out) = try sweepFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let table = try lspsim(["robust", out.path, "--measure", "mean_trust_final"])
        #expect(table.status == 0, "stderr: \(table.stderr)")
        #expect(table.stdout.contains("Robustness over 40 worlds"))
        #expect(table.stdout.contains("Row beats column"))
        #expect(table.stdout.contains("Over 40 worlds:\n- highest mean share of targets met: '"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("robust.csv").path))

        let csv = try lspsim(["robust", out.path, "--format", "csv", "--threshold", "0.5"])
        let rows = csv.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.count == 4 && rows[0].first == "option" && rows.dropFirst().map { String($0[0]) } == ["current", "No pool", "Strategic only"])

        let json = try lspsim(["robust", out.path, "--format", "json", "--threshold", "0.5"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let options = object["options"] as! [[String: Any]]
        #expect(object["worlds"] as? Int == 40 && options.count == 3)
        // The same numbers in CSV and JSON; regret is 0 somewhere for the best option by mean.
        for (row, option) in zip(rows.dropFirst(), options) {
            #expect(Double(row[2]) == option["mean"] as? Double)
            #expect(Int(row[7]) == option["satisficed"] as? Int)
        }

        let vulnerable = try lspsim(["robust", out.path, "--vulnerable", "Strategic only", "--condition", "misses"])
        #expect(vulnerable.status == 0, "stderr: \(vulnerable.stderr)")
        #expect(vulnerable.stdout.contains("'Strategic only'"))

        let unknown = try lspsim(["robust", out.path, "--vulnerable", "Nope"])
        #expect(unknown.status == 65 && unknown.stderr.contains("no option is named 'Nope'; the options are: 'current', 'No pool', 'Strategic only'"))

        // A sweep without options is not a robust sweep.
        let unitary = LspsimBinary.packageRoot.appendingPathComponent("scenarios/unitary.yaml").path
        let plainOut = try runSweep("name: plain\nscenarios: [\(unitary)]\nfactors:\n  - {path: governance.pooled_fraction, values: [0, 0.1]}\nreplications: 2\n",
                                    in: folder, named: "plain")
        let refused = try lspsim(["robust", plainOut.path])
        #expect(refused.status == 65 && refused.stderr.contains("this sweep has no options and worlds"))
    }
}
