import Foundation
import Testing

/// `lspsim new` and `lspsim assess` end to end: flags, answers files, a terminal, bad answers.
@Suite("lspsim new and assess, end to end")
struct AreaCLITests: RunsLspsim {
    static let flags = ["--name", "Wyre Forest", "--tier", "two_tier", "--districts", "Bromsgrove,Redditch,Wyre Forest",
                        "--population", "560000", "--partners", "council,health,police,fire,jobcentre,skills,housing,vcs",
                        "--indicators", "NI117:7.0:5.8,NI152:13.8:12.8", "--indicator-spec", "X1:Local measure:%:higher:50:55",
                        "--replications", "40"]

    @Test("--list-indicators prints the catalogue, a source for each entry")
    func list() throws {
        let result = try lspsim(["new", "--list-indicators"])
        #expect(result.status == 0)
        let sources = result.stdout.components(separatedBy: "source: http").count - 1
        #expect(sources >= 35)
        #expect(result.stdout.contains("NI117"))
    }

    @Test("new with flags writes a scenario that validates and runs")
    func newWithFlags() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("myarea.yaml").path
        let result = try lspsim(["new"] + Self.flags + ["--out", file])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("Wrote \(file)"))
        #expect(result.stderr.contains("calibrating"))
        let validate = try lspsim(["validate", file])
        #expect(validate.status == 0, "\(validate.stderr)")
        let run = try lspsim(["run", file, "--replications", "5", "--out", directory.appendingPathComponent("out").path])
        #expect(run.status == 0, "\(run.stderr)")
    }

    @Test("new with an answers file, then assess with a ratings file: both files validate")
    func answersAndAssess() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let answers = directory.appendingPathComponent("answers.yaml")
        try """
            name: Kingsbridge
            tier: single
            population: 250000
            partners: [council, health, police, vcs]
            indicators: [NI117:7.0:5.8, NI39:1620:1560, NI8:21:23]
            expected_share: 0.5
            """.write(to: answers, atomically: true, encoding: .utf8)
        let area = directory.appendingPathComponent("kingsbridge.yaml").path
        let new = try lspsim(["new", "--answers", answers.path, "--out", area, "--replications", "40"])
        #expect(new.status == 0, "\(new.stderr)")
        let ratings = directory.appendingPathComponent("7s.yaml")
        try "steering: amber\nstandards: amber\nsystems: red\nstaff_and_skills: green\nstyle: amber\nsynergies: red\n"
            .write(to: ratings, atomically: true, encoding: .utf8)
        let assessed = directory.appendingPathComponent("assessed.yaml").path
        let assess = try lspsim(["assess", ratings.path, "--scenario", area, "--out", assessed, "--replications", "20"])
        #expect(assess.status == 0, "\(assess.stderr)")
        #expect(assess.stdout.contains("Hard elements: Steering amber, Standards amber, Systems red"))
        #expect(assess.stdout.contains("Systems red->amber"))
        let validate = try lspsim(["validate", area, assessed])
        #expect(validate.status == 0, "\(validate.stderr)")
        for (file, folder) in [(area, "out-new"), (assessed, "out-assessed")] {
            let run = try lspsim(["run", file, "--replications", "4", "--out", directory.appendingPathComponent(folder).path])
            #expect(run.status == 0, "\(file): \(run.stderr)")
        }
    }

    @Test("bad answers: the field and what is valid on stderr, non-zero exit, nothing written", arguments: [
        (["--population", "lots"], "population", 64),
        (["--tier", "three"], "tier", 64),
        (["--indicators", "NI117:5.8:7.0"], "indicators[1]", 64),
        (["--partners", "council,wizards"], "partners", 64),
    ])
    func badAnswers(_ change: [String], _ field: String, _ status: Int) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var arguments = Self.flags
        let index = try #require(arguments.firstIndex(of: change[0]))
        arguments[index + 1] = change[1]
        let file = directory.appendingPathComponent("bad.yaml")
        let result = try lspsim(["new"] + arguments + ["--out", file.path])
        #expect(result.status == Int32(status))
        #expect(result.stderr.contains("error: \(field):"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }

    @Test("assess: a bad rating names the element; no answers off a terminal is an error")
    func badRatings() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let ratings = directory.appendingPathComponent("7s.yaml")
        try "steering: amber\nstandards: amber\nsystems: purple\nstaff_and_skills: green\nstyle: amber\nsynergies: red\n"
            .write(to: ratings, atomically: true, encoding: .utf8)
        let scenario = LspsimBinary.packageRoot.appendingPathComponent("scenarios/unitary.yaml").path
        let out = directory.appendingPathComponent("x.yaml").path
        let bad = try lspsim(["assess", ratings.path, "--scenario", scenario, "--out", out])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("systems: 'purple' is not a rating; valid: red, amber or green"))
        let none = try lspsim(["assess", "--scenario", scenario, "--out", out])
        #expect(none.status != 0)
        #expect(none.stderr.contains("answers"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// Runs lspsim on a pseudo-terminal (util-linux `script`) with `input` typed ahead; the exit
    /// status and everything the terminal showed (prompts, echoed answers, messages).
    func onTerminal(_ arguments: [String], input: String) throws -> (status: Int32, output: String) {
        let script = try #require(findExecutable("script"), "util-linux script is needed for a pseudo-terminal")
        let command = ([LspsimBinary.url.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = script
        process.arguments = ["-q", "-e", "-c", command, "/dev/null"]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test("on a terminal new asks for what is missing and asks again after a bad answer")
    func terminal() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("tty.yaml").path
        // name, tier (default), population (bad, then good), partners (default), targets, share (default), history (default)
        let (status, output) = try onTerminal(["new", "--out", file, "--replications", "20"],
                                              input: "Tty Town\n\nlots\n250000\n\nNI117:7:5.8,NI8:21:23\n\n\n")
        #expect(status == 0, "\(output)")
        #expect(output.contains("Population (residents):"))
        #expect(output.contains("population: 'lots' is not a number of residents"))
        #expect(output.contains("Please try again"))
        let validate = try lspsim(["validate", file])
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(validate.stdout.contains("Tty Town"))
    }

    @Test("on a terminal assess asks each element and asks again after a bad rating")
    func terminalAssess() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let scenario = LspsimBinary.packageRoot.appendingPathComponent("scenarios/unitary.yaml").path
        let out = directory.appendingPathComponent("assessed.yaml").path
        let (status, output) = try onTerminal(["assess", "--scenario", scenario, "--out", out, "--replications", "5"],
                                              input: "green\n\npurple\nred\ng\n\nr\n")
        #expect(status == 0, "\(output)")
        #expect(output.contains("Steering: does the LSP agree a shared vision"))
        #expect(output.contains("systems: 'purple' is not a rating; valid: red, amber or green"))
        #expect(output.contains("Hard elements: Steering green, Standards amber, Systems red"))
        let validate = try lspsim(["validate", out])
        #expect(validate.status == 0, "\(validate.stderr)")
    }
}
