import Foundation
import Testing

/// `lspsim calibrate` and `lspsim run --posterior` from outside: output, resume, refusals, exit codes.
@Suite("lspsim calibrate, end to end", .serialized)
struct CalibrateCLITests: RunsLspsim {
    /// A folder with the shipped example's files and a small calibration file over them.
    func calibrationFolder(generations: Int) throws -> (folder: URL, file: String) {
        let folder = try temporaryDirectory(prefix: "lspsim-calibrate-cli")
        let scenarios = LspsimBinary.packageRoot.appendingPathComponent("scenarios")
        for name in ["calibration-example-base.yaml", "calibration-example-observations.csv"] {
            try FileManager.default.copyItem(at: scenarios.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        let text = try String(contentsOf: scenarios.appendingPathComponent("calibration-example.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "population: 300", with: "population: 40")
            .replacingOccurrences(of: "generations: 8", with: "generations: \(generations)")
        let file = folder.appendingPathComponent("calibration.yaml").path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return (folder, file)
    }

    @Test("calibrate, refuse to overwrite, resume, then run with the posterior")
    func calibrateResumeAndRun() throws {
        let (folder, file) = try calibrationFolder(generations: 3)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        let first = try lspsim(["calibrate", file, "--out", out.path, "--jobs", "2"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("generation 2: tolerance"))
        #expect(first.stdout.contains("indicators[id=NI117].responsiveness"))
        #expect(first.stdout.contains("posterior correlations"))
        let posterior = try String(contentsOf: out.appendingPathComponent("posterior.csv"), encoding: .utf8)
        #expect(posterior.hasPrefix("particle,weight,distance,indicators[id=NI117].responsiveness,"))
        #expect(posterior.split(separator: "\n").count == 41)

        let again = try lspsim(["calibrate", file, "--out", out.path])
        #expect(again.status == 64)
        #expect(again.stderr.contains("--resume"))

        let longer = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "generations: 3", with: "generations: 4")
        try longer.write(toFile: file, atomically: true, encoding: .utf8)
        let resumed = try lspsim(["calibrate", file, "--out", out.path, "--resume", "--jobs", "1"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("resumed after generation 2"))
        #expect(resumed.stdout.contains("generation 3: tolerance"))
        #expect(!resumed.stdout.contains("generation 1: tolerance"))

        let runOut = folder.appendingPathComponent("run")
        let run = try lspsim(["run", folder.appendingPathComponent("calibration-example-base.yaml").path, "--posterior", out.path,
                              "-r", "20", "-o", runOut.path, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: runOut.appendingPathComponent("summary.csv").path))
    }

    @Test("the shipped calibration-options sweep: refused before the calibration, then runs, resumes only on the same posterior; report")
    func posteriorSweep() throws {
        let (folder, file) = try calibrationFolder(generations: 3)
        defer { try? FileManager.default.removeItem(at: folder) }
        // The shipped layout: scenarios/ beside outputs/, the sweep naming ../outputs/calibration-example.
        let scenarios = folder.appendingPathComponent("scenarios")
        try FileManager.default.createDirectory(at: scenarios, withIntermediateDirectories: true)
        for name in ["calibration-example-base.yaml", "calibration-example-observations.csv"] {
            try FileManager.default.copyItem(at: folder.appendingPathComponent(name), to: scenarios.appendingPathComponent(name))
        }
        try FileManager.default.copyItem(atPath: file, toPath: scenarios.appendingPathComponent("calibration-example.yaml").path)
        let shipped = try String(contentsOf: LspsimBinary.packageRoot.appendingPathComponent("scenarios/calibration-options.yaml"), encoding: .utf8)
        let sweep = scenarios.appendingPathComponent("calibration-options.yaml").path
        try shipped.replacingOccurrences(of: "count: 300", with: "count: 8").replacingOccurrences(of: "replications: 20", with: "replications: 2")
            .write(toFile: sweep, atomically: true, encoding: .utf8)

        let before = try lspsim(["sweep", sweep, "--out", folder.appendingPathComponent("sweep").path, "--quiet"], in: folder)
        #expect(before.status == 65)
        #expect(before.stderr.contains("calibration-options.yaml:23:") && before.stderr.contains("posterior: '../outputs/calibration-example' gives no usable posterior"),
                "\(before.stderr)")

        let calibrated = try lspsim(["calibrate", "scenarios/calibration-example.yaml", "--out", "outputs/calibration-example", "--jobs", "2"], in: folder)
        #expect(calibrated.status == 0, "\(calibrated.stderr)")
        #expect(calibrated.stdout.contains("Posterior predictive check (200 replications drawing from the posterior)"))
        let report = try lspsim(["report", "outputs/calibration-example"], in: folder)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("outputs/calibration-example/report.html").path))

        let out = folder.appendingPathComponent("sweep").path
        let run = try lspsim(["sweep", sweep, "--out", out, "--quiet"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let robust = try lspsim(["robust", out], in: folder)
        #expect(robust.status == 0, "\(robust.stderr)")
        #expect(robust.stdout.contains("Pool 10%, skilled commissioning"))
        let point = try lspsim(["sweep", sweep, "--emit-point", "1"], in: folder)
        #expect(point.stdout.contains("responsiveness:") && point.stdout.contains("# Design point 1"))

        // The calibration run again with another seed: the sweep refuses to resume into its store.
        let reseeded = try String(contentsOf: scenarios.appendingPathComponent("calibration-example.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "seed: 1", with: "seed: 2")
        try reseeded.write(to: scenarios.appendingPathComponent("calibration-example.yaml"), atomically: true, encoding: .utf8)
        #expect(try lspsim(["calibrate", "scenarios/calibration-example.yaml", "--out", "outputs/calibration-example", "--quiet"], in: folder).status == 64)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("outputs/calibration-example"))
        #expect(try lspsim(["calibrate", "scenarios/calibration-example.yaml", "--out", "outputs/calibration-example", "--quiet"], in: folder).status == 0)
        let resumed = try lspsim(["sweep", sweep, "--out", out, "--resume", "--quiet"], in: folder)
        #expect(resumed.status == 73)
        #expect(resumed.stderr.contains("the posterior (../outputs/calibration-example/posterior.csv) has changed"), "\(resumed.stderr)")

        // A factor on a field the posterior draws: exit 65, with the file, line and field path.
        let clash = folder.appendingPathComponent("clash.yaml").path
        try """
            name: clash
            scenarios: [scenarios/calibration-example-base.yaml]
            posterior: outputs/calibration-example
            factors:
              - path: partners[2].trust
                values: [0.3, 0.7]
            replications: 2
            """.write(toFile: clash, atomically: true, encoding: .utf8)
        let refused = try lspsim(["sweep", clash, "--out", folder.appendingPathComponent("clash").path], in: folder)
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("clash.yaml:5:5: error: factors[0].path: 'partners[2].trust' sets a field that the posterior (outputs/calibration-example/posterior.csv) draws ('partners[id=police].trust' in calibration-example-base.yaml)"),
                "\(refused.stderr)")
    }

    @Test("an invalid calibration file exits 65 with its line; a missing posterior exits 66 (no input)")
    func invalidInputs() throws {
        let (folder, file) = try calibrationFolder(generations: 2)
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "quantile: 0.5", with: "quantile: 2")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let bad = try lspsim(["calibrate", file, "--out", folder.appendingPathComponent("out").path])
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("abc.quantile") && bad.stderr.contains("calibration.yaml:"))
        let run = try lspsim(["run", folder.appendingPathComponent("calibration-example-base.yaml").path, "--posterior",
                              folder.appendingPathComponent("nowhere").path, "-r", "2", "-o", folder.appendingPathComponent("run").path])
        #expect(run.status == 66)
        #expect(run.stderr.contains("posterior.csv"))
    }
}
