import Foundation
import Testing

/// `lspsim discover` from outside: output, files, and its errors.
@Suite("lspsim discover, end to end")
struct DiscoverCLITests: RunsLspsim {
    /// A folder holding a small sweep over the shipped unitary scenario, run into `out`: two ranges
    /// and one categorical factor on a Latin hypercube of 60 points x 4 replications.
    func sweepFolder() throws -> (folder: URL, out: URL) {
        let folder = try temporaryDirectory(prefix: "lspsim-discover")
        let unitary = LspsimBinary.packageRoot.appendingPathComponent("scenarios/unitary.yaml").path
        let sweep = """
            name: discover test
            scenarios: [\(unitary)]
            factors:
              - path: governance.pooled_fraction
                range: {min: 0, max: 0.15}
              - path: governance.leadership
                range: {min: 0.3, max: 0.9}
              - path: governance.levels
                values: [[strategic], [strategic, executive, thematic]]
            design: {type: latin_hypercube, samples: 60}
            replications: 4
            seed: 5
            """
        let file = folder.appendingPathComponent("sweep.yaml")
        try sweep.write(to: file, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("out")
        let result = try lspsim(["sweep", file.path, "--out", out.path, "--quiet"])
        try #require(result.status == 0, "sweep failed: \(result.stderr)")
        return (folder, out)
    }

    @Test("prints the trajectory, the chosen box and a sentence; writes the trajectory CSV and the box JSON")
    func discover() throws {
        let (folder, out) = try sweepFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try lspsim(["discover", out.path, "--where", "targets_met_share >= 0.6"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("240 runs (60 design points)"))
        #expect(result.stdout.contains("Peeling trajectory"))
        let flat = result.stdout.replacingOccurrences(of: "\n", with: " ")
        #expect(flat.contains("of runs meet at least 60% of their targets (against"))
        #expect(result.stdout.contains("Wrote \(out.path)/discover-trajectory.csv and \(out.path)/discover-box.json"))
        for line in result.stdout.split(separator: "\n") where !line.hasPrefix("Wrote") {
            #expect(line.count <= 100, "line longer than 100 columns: \(line)")
        }

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("discover-box.json"))) as! [String: Any]
        let condition = json["condition"] as! [String: Any]
        #expect(condition["measure"] as? String == "targets_met_share" && condition["operator"] as? String == ">=")
        #expect((json["runs"] as! [String: Any])["used"] as? Int == 240)
        let limits = json["limits"] as! [[String: Any]]
        #expect(limits.map { $0["factor"] as! String } == ["governance.pooled_fraction", "governance.leadership", "governance.levels"])
        #expect(limits.map { $0["kind"] as! String } == ["range", "range", "categories"])
        #expect(limits[0]["percentage"] as? Bool == true && limits[1]["percentage"] as? Bool == false)
        let box = json["box"] as! [String: Any]
        let coverage = box["coverage"] as! Double, density = box["density"] as! Double
        #expect(density > json["base_density"] as! Double, "the box should be denser than the whole sweep")
        let trajectory = json["trajectory"] as! [[String: Any]]
        #expect(trajectory.first?["coverage"] as? Double == 1)
        #expect(coverage > 0 && coverage <= 1)
        #expect(flat.contains(json["summary"] as! String))

        let csv = try String(contentsOf: out.appendingPathComponent("discover-trajectory.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n").map(String.init)
        let header: String = "step,chosen,coverage,density,mass,runs,runs_meeting,restricted_count,restricted,"
            + "governance.pooled_fraction.lower,governance.pooled_fraction.upper,governance.leadership.lower,governance.leadership.upper,governance.levels"
        #expect(rows.first == header)
        #expect(rows.count == trajectory.count + 1)
        #expect(rows.filter { $0.split(separator: ",")[1] == "1" }.count == 1, "exactly one chosen step")

        // --format json prints the box file.
        let printed = try lspsim(["discover", out.path, "--where", "targets_met_share >= 0.6", "--format", "json"])
        #expect(printed.status == 0)
        #expect(printed.stdout == (try String(contentsOf: out.appendingPathComponent("discover-box.json"), encoding: .utf8)))
    }

    @Test("--box picks a step of the trajectory; one beyond it is an error naming the valid steps")
    func chosenStep() throws {
        let (folder, out) = try sweepFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let picked = try lspsim(["discover", out.path, "--where", "targets_met_share >= 0.6", "--box", "3", "--significance", "1"])
        #expect(picked.status == 0, "stderr: \(picked.stderr)")
        #expect(picked.stdout.contains("Chosen: step 3 (--box)"))
        let beyond = try lspsim(["discover", out.path, "--where", "targets_met_share >= 0.6", "--box", "999"])
        #expect(beyond.status == 64)
        #expect(beyond.stderr.contains("--box: step 999 is not on the peeling trajectory, which has steps 0 to"))
    }

    @Test("a condition that cannot be read names what is valid", arguments: [
        ("targets_met_shar >= 0.6", "unknown measure 'targets_met_shar'"),
        ("targets_met_share ~ 0.6", "expected MEASURE OPERATOR NUMBER"),
        ("targets_met_share >= lots", "'lots' is not a number"),
        (">= 0.6", "names no measure"),
    ])
    func badCondition(condition: String, message: String) throws {
        let (folder, out) = try sweepFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try lspsim(["discover", out.path, "--where", condition])
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
        if !message.contains("not a number") {
            #expect(result.stderr.contains("targets_total, targets_met, targets_met_share, mean_progress"), "stderr: \(result.stderr)")
        }
    }

    @Test("no run, or every run, meeting the condition is a clear error")
    func degenerate() throws {
        let (folder, out) = try sweepFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let none = try lspsim(["discover", out.path, "--where", "targets_met_share > 1"])
        #expect(none.status == 65)
        #expect(none.stderr.contains("no run meets the condition targets_met_share > 1 (targets_met_share ranges from"), "stderr: \(none.stderr)")
        let all = try lspsim(["discover", out.path, "--where", "targets_met_share >= 0"])
        #expect(all.status == 65)
        #expect(all.stderr.contains("every run meets the condition"), "stderr: \(all.stderr)")
        let missing = try lspsim(["discover", out.path + "-nowhere", "--where", "targets_met_share >= 0.6"])
        #expect(missing.status == 66)
        let option = try lspsim(["discover", out.path, "--where", "targets_met_share >= 0.6", "--alpha", "0.7"])
        #expect(option.status == 64 && option.stderr.contains("--alpha must be in (0, 0.5), got 0.7"))
    }
}

extension DiscoverCLITests {
    @Test("failed runs are excluded, with a note")
    func failedRuns() throws {
        let sqlite = try #require(findExecutable("sqlite3"), "the sqlite3 client is needed to mark runs as failed")
        let (folder, out) = try sweepFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let update = try runProcess(sqlite, [out.appendingPathComponent("results.sqlite").path,
                                             "UPDATE runs SET status = 'failed', error = 'marked by the test' WHERE point_id <= 10 AND replication = 4"])
        try #require(update.status == 0, "sqlite3: \(update.stderr)")
        let result = try lspsim(["discover", out.path, "--where", "targets_met_share >= 0.6"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("note: 10 failed runs of 240 excluded"))
        #expect(result.stdout.contains("230 runs (60 design points), 10 failed runs excluded;"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("discover-box.json"))) as! [String: Any]
        let runs = json["runs"] as! [String: Any]
        #expect(runs["total"] as? Int == 240 && runs["failed_excluded"] as? Int == 10 && runs["used"] as? Int == 230)
    }
}
