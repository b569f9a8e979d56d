import Foundation
import Testing

/// `lspsim studio` in a real browser: Tests/browser/studio_browser.py starts the built binary with
/// `--port 0` on 127.0.0.1 and drives headless Chromium through Playwright for Python (see the
/// script for what it checks), then stops the server by its pid.
@Suite("lspsim studio in headless Chromium", .serialized)
struct StudioBrowserTests: RunsLspsim {
    @Test("the page compares governance options, equals lspsim compare, refuses traversal and big bodies, shows errors by the control")
    func browser() throws {
        let python = try #require(findExecutable("python3"), "python3 is not installed; the studio's browser test needs it with the playwright package (`pip install playwright`)")
        let check = try runProcess(python, ["-c", "import playwright.sync_api"])
        try #require(check.status == 0, "the Python package 'playwright' is missing: install it with `pip install playwright` (or run `bash .ci/install-prerequisites`)")
        let folder = try temporaryDirectory(prefix: "lspsim-studio")
        defer { try? FileManager.default.removeItem(at: folder) }
        let png = folder.appendingPathComponent("studio.png")
        let script = LspsimBinary.packageRoot.appendingPathComponent("Tests/browser/studio_browser.py")
        let result = try runProcess(python, [script.path, "--binary", LspsimBinary.url.path,
                                             "--root", LspsimBinary.packageRoot.path, "--screenshot", png.path])
        #expect(result.status == 0, "studio_browser.py failed:\n\(result.stdout.suffix(3000))\n\(result.stderr.suffix(3000))")
        #expect(result.stdout.contains("page figures equal lspsim sweep + compare"), "\(result.stdout)")
        let image = try Data(contentsOf: png)
        #expect(image.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "the screenshot is not a PNG")
        #expect(image.count > 50_000, "the page's screenshot (\(image.count) bytes) looks blank")
    }
}
