import Foundation
import Testing

/// `lspsim sensitivity` from outside: tables, CSV and JSON files, resume checks and errors.
@Suite("lspsim sensitivity, end to end", .serialized)
struct SensitivityCLITests: RunsLspsim {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A folder with a three-factor sensitivity sweep over the shipped unitary scenario.
    func folder(factors: String? = nil) throws -> (folder: URL, sweep: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lspsim-sensitivity-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let text = """
            name: small sensitivity
            scenarios: [\(Self.root.appendingPathComponent("scenarios/unitary.yaml").path)]
            factors:
            \(factors ?? """
              - path: governance.pooled_fraction
                range: {min: 0, max: 0.15}
              - path: governance.scrutiny
                range: {min: 0.1, max: 0.7}
              - path: partners[id=police].openness
                range: {min: 0.2, max: 0.5}
            """)
            replications: 2
            seed: 5
            """
        let sweep = folder.appendingPathComponent("small.yaml").path
        try text.write(toFile: sweep, atomically: true, encoding: .utf8)
        return (folder, sweep)
    }

    @Test("morris: a table per measure within 100 columns, CSV and JSON with every factor")
    func morris() throws {
        let (folder, sweep) = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("m")
        let result = try lspsim(["sensitivity", sweep, "--method", "morris", "--samples", "6", "--out", out.path, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Morris elementary effects of 3 factors: 6 trajectories on 4 levels"))
        #expect(result.stdout.contains("targets_met_share: mean"))
        #expect(result.stdout.contains("factor") && result.stdout.contains("mu*") && result.stdout.contains("sigma"))
        // (but the last line, which names the files with their temporary folder's path)
        #expect(result.stdout.split(separator: "\n").filter { !$0.hasPrefix("Wrote ") }.allSatisfy { $0.count <= 100 }, "\(result.stdout)")
        let csv = try String(contentsOf: out.appendingPathComponent("sensitivity-morris.csv"), encoding: .utf8).split(separator: "\n")
        #expect(csv.first == "scenario,measure,factor,min,max,mu,mu_star,mu_star_low,mu_star_high,sigma,effects,trajectories,levels")
        #expect(csv.count == 1 + 3 * 3)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("sensitivity-morris.json"))) as! [String: Any]
        #expect(json["method"] as? String == "morris")
        let design = json["design"] as! [String: Any]
        #expect(design["points_per_scenario"] as? Int == 6 * 4 && design["levels"] as? Int == 4)
        let results = json["results"] as! [[String: Any]]
        #expect(results.map { $0["measure"] as! String } == ["targets_met_share", "aligned_share_mean", "mean_trust_final"])
        let effects = results[0]["effects"] as! [[String: Any]]
        #expect(effects.map { $0["factor"] as! String } == ["governance.pooled_fraction", "governance.scrutiny", "partners[id=police].openness"])
        #expect(effects.allSatisfy { ($0["elementary_effects"] as! [Double]).count == 6 })
        // The runs are in the store, like a sweep's.
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("results.sqlite").path))
    }

    @Test("sobol: JSON on stdout, a constant measure reported, resume with another N refused, resume with the same N analyses again")
    func sobol() throws {
        let (folder, sweep) = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("s").path
        let result = try lspsim(["sensitivity", sweep, "--method", "sobol", "--samples", "16", "--out", out, "--quiet",
                                 "--format", "json", "--metric", "aligned_share_mean", "--metric", "fragmentation"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let results = json["results"] as! [[String: Any]]
        let indices = results[0]["indices"] as! [[String: Any]]
        #expect(indices.count == 3 && results[0]["base_samples_used"] as? Int == 16)
        #expect(indices.allSatisfy { ($0["total_order"] as! Double) >= 0 })
        #expect((results[1]["error"] as? String)?.contains("the output is constant") == true)
        #expect(result.stderr.contains("note: fragmentation: no indices"))
        let refused = try lspsim(["sensitivity", sweep, "--method", "sobol", "--samples", "32", "--out", out, "--resume", "--quiet"])
        #expect(refused.status == 73)
        #expect(refused.stderr.contains("the design has changed from a saltelli design of 16 samples to a saltelli design of 32 samples"))
        let again = try lspsim(["sensitivity", sweep, "--method", "sobol", "--samples", "16", "--out", out, "--resume", "--quiet",
                                "--format", "csv", "--metric", "aligned_share_mean"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.hasPrefix("scenario,measure,factor,min,max,first_order,"))
        // The same store and seed give the same numbers.
        let first = indices.first { $0["factor"] as? String == "governance.pooled_fraction" }!["first_order"] as! Double
        // (compared to 1e-12: Foundation's JSON parser on Linux can miss the last digit)
        let row = try #require(again.stdout.split(separator: "\n").first { $0.contains(",governance.pooled_fraction,") })
        #expect(abs(Double(row.split(separator: ",")[5])! - first) < 1e-12, "\(row) against \(first)")
    }

    @Test("a list-valued factor and bad options are clear errors")
    func errors() throws {
        let (folder, sweep) = try folder(factors: "  - path: governance.decision_rule\n    values: [consensus, lead_partner]")
        defer { try? FileManager.default.removeItem(at: folder) }
        let list = try lspsim(["sensitivity", sweep, "--method", "sobol", "--out", folder.appendingPathComponent("x").path])
        #expect(list.status == 65)
        #expect(list.stderr.contains("factors[0].values: a saltelli design (sensitivity analysis) needs every factor as a range"))
        let levels = try lspsim(["sensitivity", sweep, "--method", "morris", "--levels", "3"])
        #expect(levels.status == 64 && levels.stderr.contains("--levels must be an even number"))
        let method = try lspsim(["sensitivity", sweep, "--method", "fast"])
        #expect(method.status == 64)
    }
}
