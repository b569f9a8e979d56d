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
