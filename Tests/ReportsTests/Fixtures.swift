import Experiments
import Foundation
import Results
import RunOutput
import Testing
import TestSupport

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let unitaryScenario = packageRoot.appendingPathComponent("scenarios/unitary.yaml").path

/// A temporary folder, removed by `remove()`.
func temporaryFolder(_ prefix: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs `replications` of the shipped unitary scenario into a new folder, as `lspsim run` does.
func makeRunFolder(replications: Int = 40, seed: UInt64 = 3, scenario: String = unitaryScenario) throws -> URL {
    let folder = try temporaryFolder("lspsim-report-run")
    let settings = RunSettings(seed: seed, replications: replications, jobs: 2)
    _ = try ScenarioRun.execute(scenarioPath: scenario, settings: settings, directory: folder,
                                commandLine: ["lspsim", "run", scenario])
    return folder
}

/// Runs a sweep over the shipped unitary scenario (its body: factors, design, outputs) into a new folder.
func makeSweepFolder(_ body: String, replications: Int = 8, name: String = "Report test sweep") throws -> (folder: URL, store: ResultStore) {
    let folder = try temporaryFolder("lspsim-report-sweep")
    let text = "name: \(name)\nscenarios: [\(unitaryScenario)]\nreplications: \(replications)\nseed: 5\n" + body
    let sweepPath = folder.appendingPathComponent("sweep.yaml").path
    try text.write(toFile: sweepPath, atomically: true, encoding: .utf8)
    let plan = try SweepLoader.load(path: sweepPath)
    let store = try SweepStore.open(plan: plan, directory: folder, shard: nil, mode: .new)
    _ = try SweepRunner(plan: plan, store: store, jobs: 2).run(progress: nil, stop: StopRequest())
    return (folder, store)
}

/// The governance grid of scenarios/governance-options.yaml (36 points).
let governanceGrid = """
    factors:
      - path: governance.levels
        values: [[strategic], [strategic, executive], [strategic, executive, thematic]]
      - path: governance.decision_rule
        values: [consensus, resource_weighted, lead_partner]
      - path: governance.pooled_fraction
        values: [0, 0.02, 0.05, 0.10]
    design:
      type: grid

    """

/// Checks that `html` is well-formed XML and refers to nothing outside itself; returns its tree.
func checkSelfContained(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> XMLTree {
    let tree = try XMLTree.parse(html)
    #expect(tree.name == "html", sourceLocation: sourceLocation)
    let lower = html.lowercased()
    for forbidden in ["http:", "https:", "<script", "src=", "@import", "url(", "<link", "<img", "<iframe", "<object", "href="] {
        #expect(!lower.contains(forbidden), "the report contains '\(forbidden)'", sourceLocation: sourceLocation)
    }
    // The stylesheet is raw text to an HTML parser: an escaped character there (&#39; for a
    // quote) would reach the CSS as written, so it must hold none.
    if let open = html.range(of: "<style>"), let close = html.range(of: "</style>") {
        let css = html[open.upperBound..<close.lowerBound]
        #expect(!css.contains("&") && !css.contains("<"), "the stylesheet holds escaped text", sourceLocation: sourceLocation)
    } else {
        Issue.record("the report has no stylesheet", sourceLocation: sourceLocation)
    }
    return tree
}
