import Charts
import Experiments
import Foundation
import Reports
import Results
import Testing

@Suite("Reports of robust sweeps", .serialized)
struct RobustReportTests {
    @Test("a sweep with options and uncertainties gets a robustness section with lspsim robust's figures")
    func robustness() throws {
        let (folder, store) = try makeSweepFolder("""
            options:
              - {name: No pool, set: {governance.pooled_fraction: 0}}
              - {name: Strategic only, set: {governance.levels: [strategic]}}
            uncertainties:
              - {path: model.returns, min: 0.5, max: 0.9}
            worlds: {count: 12, design: sobol}
            """, replications: 3)
        defer { try? FileManager.default.removeItem(at: folder) }
        let html = try String(contentsOf: try Reports.write(directory: folder), encoding: .utf8)
        let tree = try checkSelfContained(html)
        let section = try #require(tree.all("section").first { $0.attributes["id"] == "robustness" })
        let tables = section.all("table")
        try #require(tables.count == 2)
        let rows = tables[0].all("tbody")[0].all("tr").map { $0.all("td").map(\.allText) }
        let metrics = try RobustData(store.loadData()).robustness().metrics
        #expect(rows.map { $0[0] } == ["current", "No pool", "Strategic only"])
        for (row, m) in zip(rows, metrics) {
            #expect(row[1] == NumberFormat.significant(m.mean, digits: 3))
            #expect(row[5] == NumberFormat.significant(m.regretMax, digits: 3))
        }
        #expect(section.allText.contains("Over 12 worlds:"))

        // An ordinary sweep has no such section.
        let (plainFolder, _) = try makeSweepFolder("factors:\n  - {path: governance.pooled_fraction, values: [0, 0.1]}\n", replications: 2)
        defer { try? FileManager.default.removeItem(at: plainFolder) }
        let plain = try String(contentsOf: try Reports.write(directory: plainFolder), encoding: .utf8)
        #expect(!plain.contains("id=\"robustness\""))
    }
}
