import Foundation
import Testing
@testable import Experiments
import PartnershipModel
import Results

/// The model's version and version 2's keys are sweepable factors like every other field.
@Suite("Model version and version 2 keys as sweep factors")
struct VersionKeysSweepTests {
    @Test("model.version, governance.commissioning, model.pool_overhead and model.review_cost sweep, and change results")
    func newKeysAreFactors() throws {
        let fixture = try SweepFixture("""
            factors:
              - path: model.version
                values: [1, 2]
              - path: governance.commissioning
                values: [0, 1]
              - path: model.pool_overhead
                values: [0, 0.5]
              - path: model.review_cost
                values: [0, 0.05]
            design:
              type: grid
            """, replications: 3)
        defer { fixture.remove() }
        let (store, _) = try fixture.run(into: "out", jobs: 2)
        let data = try store.loadData()
        #expect(data.pointValues.count == 16)
        #expect(data.runs.count == 16 * 3)
        #expect(data.runs.allSatisfy { $0.measures != nil }, "every run succeeds")
        // Group the runs' measures by point; the version 2 keys change version 2's results and,
        // being ignored there, leave version 1's unchanged.
        var byPoint: [Int: [[Double]]] = [:]
        for run in data.runs { byPoint[run.point, default: []].append(run.measures ?? []) }
        func point(_ values: [String]) throws -> [[Double]] {
            let index = try #require(data.pointValues.firstIndex { Array($0.suffix(4)) == values }, "no point \(values)")
            return try #require(byPoint[index + 1] ?? byPoint[index])
        }
        let v1a = try point(["1", "0", "0", "0"]), v1b = try point(["1", "1", "0.5", "0.05"])
        let v2a = try point(["2", "0", "0", "0"]), v2b = try point(["2", "1", "0.5", "0.05"])
        #expect(v1a == v1b, "version 1 ignores commissioning, pool_overhead and review_cost")
        #expect(v2a != v2b, "version 2 uses them")
        #expect(v1a != v2a, "the two versions differ")
    }
}
