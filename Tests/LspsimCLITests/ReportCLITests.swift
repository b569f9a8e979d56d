import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// `lspsim report` and the `--report` flags from outside, and the reports as a person sees them:
/// rendered by headless Chromium to a PNG that must not be blank.
@Suite("lspsim report, end to end and rendered", .serialized)
struct ReportCLITests: RunsLspsim {
    static let root = LspsimBinary.packageRoot

    /// Headless Chromium, where installed (`.ci/install-prerequisites` installs it).
    var chromium: URL? {
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            if let url = findExecutable(name) { return url }
        }
        return nil
    }

    /// A copy of scenarios/governance-options.yaml with `replications` replications and an absolute scenario path.
    func governanceSweep(in folder: URL, replications: Int) throws -> String {
        let text = try String(contentsOf: Self.root.appendingPathComponent("scenarios/governance-options.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "scenarios: [unitary.yaml]", with: "scenarios: [\(Self.root.appendingPathComponent("scenarios/unitary.yaml").path)]")
            .replacingOccurrences(of: "replications: 200", with: "replications: \(replications)")
        let path = folder.appendingPathComponent("governance-options.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Renders `page` to `png` at 1240 x 1754 CSS pixels (A4 at 150 dpi), as a reader's browser would.
    func screenshot(_ page: URL, to png: URL) throws {
        let browser = try #require(chromium, "Chromium is not installed, so the report cannot be checked as a person sees it: the Debian package `chromium` is missing; install it with `apt-get install chromium` (or `bash .ci/install-prerequisites`)")
        let profile = png.deletingLastPathComponent().appendingPathComponent("chromium-profile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let result = try runProcess(browser, [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
            "--user-data-dir=\(profile.path)", "--screenshot=\(png.path)", "--window-size=1240,1754", page.absoluteString,
        ])
        #expect(result.status == 0, "chromium exited \(result.status): \(result.stderr.suffix(2000))")
        #expect(FileManager.default.fileExists(atPath: png.path), "chromium wrote no screenshot: \(result.stderr.suffix(2000))")
    }

    /// Width and height from a PNG's IHDR chunk (nil if the file is not a PNG).
    func pngSize(_ data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
              String(decoding: bytes[12..<16], as: UTF8.self) == "IHDR" else { return nil }
        func word(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (word(16), word(20))
    }

    /// The report is well-formed (parsed as XML) and refers to nothing outside itself.
    func checkHTML(_ url: URL) throws -> String {
        let html = try String(contentsOf: url, encoding: .utf8)
        let parser = XMLParser(data: Data(html.utf8))
        #expect(parser.parse(), "report.html is not well-formed: \(parser.parserError.map { "\($0)" } ?? "") at line \(parser.lineNumber), column \(parser.columnNumber)")
        let lower = html.lowercased()
        for forbidden in ["http:", "https:", "<script", "src=", "@import", "url(", "<link", "<img", "href="] {
            #expect(!lower.contains(forbidden), "report.html contains '\(forbidden)'")
        }
        return html
    }

    /// Renders a report and a blank page; the report's PNG must have the right size and carry far
    /// more than the blank page (a blank or unstyled render compresses to almost nothing).
    func checkRendered(_ report: URL, folder: URL) throws {
        let png = folder.appendingPathComponent("report.png"), blankPNG = folder.appendingPathComponent("blank.png")
        let blank = folder.appendingPathComponent("blank.html")
        try "<!DOCTYPE html><html><head><meta charset=\"utf-8\"/></head><body></body></html>".write(to: blank, atomically: true, encoding: .utf8)
        try screenshot(report, to: png)
        try screenshot(blank, to: blankPNG)
        let image = try Data(contentsOf: png), empty = try Data(contentsOf: blankPNG)
        let size = try #require(pngSize(image), "the screenshot is not a PNG")
        #expect(size.width == 1240 && size.height == 1754, "screenshot is \(size.width) x \(size.height)")
        // Measured once: a blank page is about 10 KB here, a rendered report 250-300 KB.
        #expect(image.count > 60_000 && image.count > 12 * empty.count,
                "the rendered report (\(image.count) bytes) is hardly more than a blank page (\(empty.count) bytes)")
    }

    @Test("lspsim run --report writes a report that renders, with every chart")
    func runReport() throws {
        let folder = try temporaryDirectory(prefix: "lspsim-report-run")
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("unitary")
        let result = try lspsim(["run", Self.root.appendingPathComponent("scenarios/unitary.yaml").path, "-r", "30", "--out", out.path, "--report"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("Wrote \(out.path)/report.html"))
        let report = out.appendingPathComponent("report.html")
        let html = try checkHTML(report)
        #expect(html.components(separatedBy: "class=\"chart line-chart\"").count - 1 == 12, "10 LAA trajectories, aligned share and trust")
        #expect(html.contains("class=\"chart bar-chart\""))
        try checkRendered(report, folder: folder)
    }

    @Test("lspsim sweep --report on a small copy of the governance sweep writes a report that renders")
    func sweepReport() throws {
        let folder = try temporaryDirectory(prefix: "lspsim-report-sweep")
        defer { try? FileManager.default.removeItem(at: folder) }
        let sweep = try governanceSweep(in: folder, replications: 10)
        let out = folder.appendingPathComponent("governance-options")
        let result = try lspsim(["sweep", sweep, "--out", out.path, "--report", "--quiet"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let report = out.appendingPathComponent("report.html")
        let html = try checkHTML(report)
        #expect(html.components(separatedBy: "class=\"chart interval-plot\"").count - 1 == 2)
        #expect(html.components(separatedBy: "class=\"chart bar-chart\"").count - 1 == 3)
        // `lspsim report` writes the same file again.
        let again = try lspsim(["report", out.path])
        #expect(again.status == 0, "stderr: \(again.stderr)")
        #expect(try String(contentsOf: report, encoding: .utf8) == html, "the report is deterministic")
        try checkRendered(report, folder: folder)
    }

    @Test("lspsim report refuses what is not a results folder, with the reason and exit code 66")
    func errors() throws {
        let folder = try temporaryDirectory(prefix: "lspsim-report-errors")
        defer { try? FileManager.default.removeItem(at: folder) }
        try "notes".write(to: folder.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let neither = try lspsim(["report", folder.path])
        #expect(neither.status == 66)
        #expect(neither.stderr.contains("is neither a run folder"), "stderr: \(neither.stderr)")
        #expect(neither.stderr.contains("notes.txt"))
        let missing = try lspsim(["report", folder.appendingPathComponent("absent").path])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("no such folder"))
        let sharded = try lspsim(["sweep", "whatever.yaml", "--shard", "1/2", "--report"])
        #expect(sharded.status == 64, "stderr: \(sharded.stderr)")
        #expect(sharded.stderr.contains("--report needs the whole sweep"))
    }
}
