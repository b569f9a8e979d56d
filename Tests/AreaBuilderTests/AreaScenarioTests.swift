import AreaBuilder
import Foundation
import PartnershipModel
import ScenarioFile
import Testing

@Suite("Scenario builder")
struct AreaScenarioTests {
    @Test("the written scenario loads, two-tier and unitary, version 2 by default", arguments: [true, false])
    func loads(_ twoTier: Bool) throws {
        let area = try AreaScenario(spec: twoTier ? Specs.twoTier() : Specs.unitary())
        let template = try ScenarioLoader.parse(yaml: area.yaml(scale: 1), file: "area.yaml")
        let scenario = template.scenario
        #expect(scenario.tier == (twoTier ? .twoTier : .single))
        #expect(scenario.model.version == .v2)
        #expect(scenario.indicators.allSatisfy { $0.laaTarget })
        if twoTier {
            let districts = scenario.partners.filter { $0.tier.districtName != nil }
            #expect(districts.map(\.name) == ["Bromsgrove District Council", "Redditch District Council", "Wyre Forest District Council"])
            #expect(scenario.partners.contains { $0.kind == .countyCouncil && $0.tier == .county })
        }
        // openness, trust and discretionary are drawn per replication for every partner
        let uncertain = Set(template.uncertain.map(\.path))
        for index in scenario.partners.indices {
            for field in ["openness", "trust", "discretionary"] {
                #expect(uncertain.contains("partners[\(index)].\(field)"), "partners[\(index)].\(field) is not a distribution")
            }
        }
    }

    @Test("budgets are per-head figures times the population")
    func budgets() throws {
        let area = try AreaScenario(spec: Specs.unitary())
        let council = try #require(area.partners.first { $0.kind == .unitaryCouncil })
        let health = try #require(area.partners.first { $0.kind == .health })
        #expect(abs(health.budget - 1450 * 250_000 / 1e6) < 0.1)
        #expect(abs(council.budget - 3600 * 1450 / 1900 * 250_000 / 1e6) < 0.1)
        let twoTier = try AreaScenario(spec: Specs.twoTier())
        let districts = twoTier.partners.filter { $0.kind == .districtCouncil }
        let county = try #require(twoTier.partners.first { $0.kind == .countyCouncil })
        let councils = districts.map(\.budget).reduce(county.budget, +)
        #expect(abs(councils - 0.23 * 3950 * 560_000 / 560_000) < 0.5, "two-tier councils: 23% of Worcestershire's 3.95bn at 560,000 people")
    }

    @Test("every value line carries a comment saying where it came from")
    func commented() throws {
        let text = try AreaScenario(spec: Specs.twoTier()).yaml(scale: 2)
        let keys = ["baseline:", "target:", "higher_is_better:", "trend:", "responsiveness:", "noise_sd:", "kind:", "budget:",
                    "discretionary:", "named_partner:", "openness:", "trust:", "interests:", "capability:", "levels:", "leadership:"]
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if keys.contains(where: { trimmed.hasPrefix($0) }) {
                #expect(line.contains(" # "), "no source comment: \(line)")
            }
        }
        #expect(text.contains("Revisit these first"))
    }

    @Test("a target no partner can move is an error naming it and the kinds that could")
    func unmovable() throws {
        var spec = try Specs.unitary()
        spec.partners = ["council", "police"]
        spec.indicators = [try IndicatorChoice.parse("NI56:19.2:18.4", field: "indicators[1]"),
                           try IndicatorChoice.parse("NI38:1.0:0.9", field: "indicators[2]")]
        #expect(throws: Never.self) { try AreaScenario(spec: spec) }
        spec.partners = ["council"]
        spec.indicators = [try IndicatorChoice.parse("NI38:1.0:0.9", field: "indicators[1]")]
        do { _ = try AreaScenario(spec: spec); Issue.record("accepted") } catch {
            #expect(error.field == "indicators[1]")
            #expect(error.message.contains("none of your partners can move NI38") && error.message.contains("police"))
        }
    }

    @Test("districts whose names give the same partner id are an error")
    func sameIDs() throws {
        var spec = try Specs.twoTier()
        spec.districts = ["St Albans", "St. Albans"]
        do { _ = try AreaScenario(spec: spec); Issue.record("accepted") } catch {
            #expect(error.field == "districts" && error.message.contains("district_st_albans"))
        }
    }

    @Test("base responsiveness makes every target about equally reachable: it falls as the effort on it grows")
    func base() throws {
        let area = try AreaScenario(spec: Specs.unitary())
        for indicator in area.spec.indicators {
            let effort = area.expectedEffort(indicator)
            #expect(effort > 0, "\(indicator.id)")
            let expected = indicator.stretch / (10 * pow(effort, 0.7))
            #expect(abs(area.baseResponsiveness(indicator) - expected) < 1e-12 * max(1, expected))
        }
    }

    @Test("interests and capability follow the catalogue's table of who moves what")
    func remit() throws {
        let area = try AreaScenario(spec: Specs.unitary())
        let template = try ScenarioLoader.parse(yaml: area.yaml(scale: 1), file: "area.yaml")
        for partner in template.scenario.partners {
            let moved = Set(partner.capability.filter { $0.value > 0 }.map(\.id))
            let expected = Set(area.spec.indicators.filter { $0.movers.contains(partner.kind) }.map(\.id))
            #expect(moved == expected, "\(partner.id)")
        }
    }

    @Test("calibration brings the mean share met within 0.05 of the aim, and the written file gives that share")
    func calibration() throws {
        var spec = try Specs.unitary()
        spec.expectedShare = 0.6
        let calibration = ResponsivenessCalibration(trial: ScenarioTrial(seed: 3, replications: 60, jobs: 2))
        let result = try NewArea.build(AreaScenario(spec: spec), calibration: calibration)
        #expect(result.calibration.converged)
        #expect(abs(result.calibration.share - 0.6) <= 0.05)
        let rerun = try calibration.trial.meanTargetShare(result.yaml, file: "area.yaml")
        #expect(abs(rerun - result.calibration.share) < 1e-12, "the file written is the file calibrated")
        // a higher expectation needs a larger scale
        spec.expectedShare = 0.9
        let higher = try NewArea.build(AreaScenario(spec: spec), calibration: calibration)
        #expect(higher.calibration.scale > result.calibration.scale)
    }
}
