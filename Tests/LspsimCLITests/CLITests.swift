import Foundation
import Testing

/// End-to-end tests of the built `lspsim` binary: run it, check stdout, stderr, exit code and files.
@Suite("lspsim command line, end to end")
struct CLITests: RunsLspsim {
    static let root = LspsimBinary.packageRoot
    static let reference = root.appendingPathComponent("Tests/Fixtures/reference")
    static let riverton = reference.appendingPathComponent("unitary_riverton.yaml").path

    @Test("--help on every command explains it and gives an example", arguments: [[], ["run"], ["validate"], ["sweep"], ["summarize"], ["compare"], ["sensitivity"], ["discover"],
                                                                                 ["report"], ["export"], ["merge"], ["slurm"], ["bench"]])
    func help(_ command: [String]) throws {
        let result = try lspsim(command + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: lspsim"))
        #expect(result.stdout.contains("Example"))
    }

    @Test("run writes the four files with SCENARIO.md's columns and prints the summary")
    func run() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("out")
        let result = try lspsim(["run", Self.riverton, "--replications", "3", "--seed", "11", "--out", out.path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.isEmpty)
        for id in ["NI117", "NI152", "NI39", "NI20", "NI56", "NI186", "NI154", "NI8"] {
            #expect(result.stdout.contains(id), "summary lacks LAA target \(id)")
        }
        #expect(!result.stdout.contains("NI163"), "non-LAA indicators are not summarised as targets")
        #expect(result.stdout.contains("90% interval"))
        #expect(result.stdout.contains("share of LAA targets met"))

        let summary = try String(contentsOf: out.appendingPathComponent("summary.csv"), encoding: .utf8)
        let indicators = try String(contentsOf: out.appendingPathComponent("indicators.csv"), encoding: .utf8)
        let quarters = try String(contentsOf: out.appendingPathComponent("quarters.csv"), encoding: .utf8)
        #expect(summary.hasPrefix("replication,seed,targets_total,targets_met,targets_met_share,mean_progress,reward_grant,aligned_share_mean,pooled_total,overhead_total,mean_trust_final,fragmentation,money_moved_share\n"))
        #expect(indicators.hasPrefix("replication,quarter,indicator,value\n1,0,NI117,7.5\n"))
        #expect(quarters.hasPrefix("replication,quarter,aligned_share,mean_trust,pooled,overhead,engaged,moved\n1,1,"))
        #expect(summary.split(separator: "\n").count == 1 + 3)
        #expect(indicators.split(separator: "\n").count == 1 + 3 * 13 * 10)
        #expect(quarters.split(separator: "\n").count == 1 + 3 * 12)
        for text in [summary, indicators, quarters] {
            #expect(!text.contains("\r"))
            #expect(text.hasSuffix("\n"))
        }
        let rows = summary.split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        #expect(rows.map { $0[0] } == ["1", "2", "3"])
        #expect(rows.allSatisfy { $0[1] == "11" && $0[2] == "8" })

        let manifestData = try Data(contentsOf: out.appendingPathComponent("manifest.json"))
        let manifest = try #require(try JSONSerialization.jsonObject(with: manifestData) as? [String: Any])
        #expect(manifest["seed"] as? Int == 11)
        #expect(manifest["replications"] as? Int == 3)
        #expect(manifest["generator"] as? String == "mt19937")
        #expect(manifest["model_version"] as? Int == 1, "the run's model version (the reference case's: version 1) is recorded")
        #expect((manifest["scenario_sha256"] as? String)?.count == 64)
        #expect((manifest["gsl_version"] as? String)?.isEmpty == false)
        #expect(manifest["started_at"] is String && manifest["finished_at"] is String)
        #expect((manifest["command_line"] as? [String])?.contains("--replications") == true)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
    }

    @Test("run's default output folder is outputs/<scenario file stem>/")
    func defaultOutput() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try lspsim(["run", Self.riverton, "-r", "2", "--quiet"], in: directory)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("outputs/unitary_riverton/summary.csv").path))
    }

    @Test("validate describes a valid file in a paragraph")
    func validateGood() throws {
        let result = try lspsim(["validate", Self.riverton, Self.reference.appendingPathComponent("county_two_tier.yaml").path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("unitary_riverton.yaml: valid."))
        #expect(result.stdout.contains("a single-tier area over 12 quarters"))
        #expect(result.stdout.contains("a two-tier area (county and 4 districts: Northdown, Eastvale, Southmere, Westbrook)"))
        #expect(result.stdout.contains("10 partners"))
        #expect(result.stdout.contains("8 of them LAA targets"))
    }

    @Test("validate reports every error with file, line, column and field path, exit 65")
    func validateBad() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("typo.yaml")
        let yaml = try String(contentsOfFile: Self.riverton, encoding: .utf8)
            .replacingOccurrences(of: "    budget: 140\n", with: "    budjet: 140\n")
            .replacingOccurrences(of: "interests: {NI20: 4, NI39: 1}", with: "interests: {NI20: 4, NI999: 1}")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let result = try lspsim(["validate", file.path])
        #expect(result.status == 65)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("\(file.path):"))
        #expect(result.stderr.contains("error: partners[2].budjet: unknown key 'budjet' (did you mean 'budget'?); valid keys here: id, name, kind, tier, budget"))
        #expect(result.stderr.contains("error: partners[2].budget: is required"))
        #expect(result.stderr.contains("error: partners[2].interests.NI999: unknown indicator id 'NI999'; valid ids: NI117"))
        let line = try #require(result.stderr.split(separator: "\n").first { $0.contains("budjet") })
        let lineNumber = yaml.components(separatedBy: "\n").firstIndex { $0.contains("budjet") }! + 1
        #expect(line.hasPrefix("\(file.path):\(lineNumber):"))
    }

    @Test("a missing scenario file exits 66; an invalid one exits 65 and writes nothing")
    func badInputs() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = try lspsim(["run", directory.appendingPathComponent("nope.yaml").path, "--out", directory.appendingPathComponent("o").path])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("no such file"))
        let bad = directory.appendingPathComponent("bad.yaml")
        try "name: x\narea: {tier: single}\n".write(to: bad, atomically: true, encoding: .utf8)
        let invalid = try lspsim(["run", bad.path, "--out", directory.appendingPathComponent("o").path])
        #expect(invalid.status == 65)
        #expect(invalid.stderr.contains("indicators: is required"))
        #expect(invalid.stderr.contains("partners: is required"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("o").path))
    }

    @Test("bad arguments are usage errors (exit 64) that name the option")
    func badArguments() throws {
        let zero = try lspsim(["run", Self.riverton, "--replications", "0"])
        #expect(zero.status == 64)
        #expect(zero.stderr.contains("--replications must be at least 1"))
        let negativeSeed = try lspsim(["run", Self.riverton, "--seed", "-3"])
        #expect(negativeSeed.status == 64)
        let generator = try lspsim(["run", Self.riverton, "--rng", "xorshift"])
        #expect(generator.status == 64)
        #expect(generator.stderr.contains("mt19937"))
    }

    @Test("an output folder that cannot be created is reported with exit 73")
    func unwritable() throws {
        let result = try lspsim(["run", Self.riverton, "-r", "2", "--out", "/proc/lspsim-cannot-write-here"])
        #expect(result.status == 73)
        #expect(result.stderr.contains("/proc/lspsim-cannot-write-here"))
    }

    @Test("the same seed gives identical files through the binary, with 1 or 2 jobs")
    func reproducible() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let scenario = Self.root.appendingPathComponent("Tests/PartnershipModelTests/Fixtures/uncertain.yaml").path
        let a = directory.appendingPathComponent("a"), b = directory.appendingPathComponent("b")
        #expect(try lspsim(["run", scenario, "-r", "40", "-s", "3", "-j", "1", "-o", a.path, "-q"]).status == 0)
        #expect(try lspsim(["run", scenario, "-r", "40", "-s", "3", "-j", "2", "-o", b.path, "-q"]).status == 0)
        for file in ["summary.csv", "indicators.csv", "quarters.csv"] {
            #expect(try Data(contentsOf: a.appendingPathComponent(file)) == Data(contentsOf: b.appendingPathComponent(file)))
        }
    }
}

/// Every bad scenario fixture through the binary: `lspsim validate` and `lspsim run` reject it with
/// exit 65, print the problem with the file's name on standard error and write nothing.
@Suite("bad scenario files through the binary")
struct BadScenarioExitCodeTests: RunsLspsim {
    static let folder = LspsimBinary.packageRoot.appendingPathComponent("Tests/ScenarioFileTests/Fixtures/bad")
    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test("at least 15 kinds of bad file exist")
    func enough() { #expect(Self.files.count >= 15) }

    @Test("validate and run exit 65 with the problem on stderr", arguments: files)
    func rejected(_ name: String) throws {
        let path = Self.folder.appendingPathComponent(name).path
        let validate = try lspsim(["validate", path])
        #expect(validate.status == 65, "\(name): exit \(validate.status)")
        #expect(validate.stdout.isEmpty)
        #expect(validate.stderr.contains("\(path)"), "\(name): \(validate.stderr)")
        #expect(validate.stderr.contains("error:"))
        let out = try temporaryDirectory(prefix: "lspsim-bad")
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try lspsim(["run", path, "--replications", "2", "--out", out.appendingPathComponent("o").path])
        #expect(run.status == 65, "\(name): exit \(run.status)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("o/summary.csv").path))
    }
}
