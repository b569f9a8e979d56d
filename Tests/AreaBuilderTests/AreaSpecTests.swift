import AreaBuilder
import Foundation
import PartnershipModel
import ScenarioFile
import Testing

/// Specs the tests share.
enum Specs {
    static func spec(_ name: String, _ tier: String, districts: String? = nil, population: String, partners: String,
                     indicators: String, local: [String] = []) throws -> AreaSpec {
        var flags = AreaFlags()
        (flags.name, flags.tier, flags.districts, flags.population) = (name, tier, districts, population)
        (flags.partners, flags.indicators, flags.indicatorSpecs) = (partners, indicators, local)
        return try flags.spec()
    }

    static func twoTier() throws -> AreaSpec {
        try spec("Wyre Forest", "two_tier", districts: "Bromsgrove,Redditch,Wyre Forest", population: "560000",
                 partners: "council,health,police,fire,jobcentre,skills,housing,vcs",
                 indicators: "NI117:7.0:5.8,NI152:13.8:12.8", local: ["X1:Local measure:%:higher:50:55"])
    }

    static func unitary() throws -> AreaSpec {
        try spec("Kingsbridge", "single", population: "250000", partners: "council,health,police,vcs,business",
                 indicators: "NI117:7.0:5.8,NI39:1620:1560,NI154:750:950,NI192:37:44")
    }
}

@Suite("Answers: flags, answers file, checks")
struct AreaSpecTests {
    @Test("flags give a complete spec; catalogue entries bring name, unit and polarity")
    func flags() throws {
        let spec = try Specs.twoTier().validated()
        #expect(spec.tier == .twoTier)
        #expect(spec.districts == ["Bromsgrove", "Redditch", "Wyre Forest"])
        #expect(spec.indicators.map(\.id) == ["NI117", "NI152", "X1"])
        #expect(spec.indicators[0].higherIsBetter == false)
        #expect(spec.indicators[0].source == IndicatorCatalogue.entry("NI117")?.source)
        #expect(spec.indicators[2].higherIsBetter && spec.indicators[2].source == nil)
        #expect(spec.missing.isEmpty)
    }

    @Test("a bad answer names its field and what is valid", arguments: [
        ("population", "lots", "population", "whole number"),
        ("tier", "three_tier", "tier", "single"),
        ("partners", "council,wizards", "partners", "health"),
        ("indicators", "NI999:1:2", "indicators[1]", "catalogue"),
        ("indicators", "NI117:5.8:7.0", "indicators[1]", "not an improvement"),
        ("indicators", "NI117:seven:5", "indicators[1]", "not a number"),
        ("expected_share", "1.5", "expected_share", "between 0 and 1"),
    ])
    func badAnswer(_ flag: String, _ value: String, _ field: String, _ hint: String) {
        var flags = AreaFlags()
        switch flag {
        case "population": flags.population = value
        case "tier": flags.tier = value
        case "partners": flags.partners = value
        case "indicators": flags.indicators = value
        default: flags.expectedShare = value
        }
        do {
            _ = try flags.spec()
            Issue.record("\(flag)=\(value) was accepted")
        } catch {
            #expect(error.field == field, "\(error)")
            #expect(error.message.contains(hint), "\(error)")
        }
    }

    @Test("answers that contradict each other are caught together")
    func together() throws {
        var spec = try Specs.unitary()
        spec.partners = ["county_council", "health"]
        #expect(throws: AreaAnswerError.self) { try spec.validated() }
        var twoTier = try Specs.twoTier()
        twoTier.partners = ["health", "police"]
        do { _ = try twoTier.validated(); Issue.record("two tiers without councils accepted") } catch {
            #expect(error.field == "partners" && error.message.contains("district councils"))
        }
        var missing = AreaSpec()
        missing.name = "Somewhere"
        do { _ = try missing.validated(); Issue.record("missing answers accepted") } catch {
            #expect(error.field == "tier" && error.message.contains("required"))
        }
    }

    @Test("an answers file fills what flags did not give; unknown fields are errors")
    func answersFile() throws {
        let yaml = """
            name: Kingsbridge
            tier: single
            population: 250000
            partners: [council, health, police, vcs]
            indicators:
              - NI117:7.0:5.8
              - {id: NI39, baseline: 1620, target: 1560}
              - {id: L1, name: Parks satisfaction, unit: "%", higher_is_better: true, baseline: 60, target: 66, movers: [vcs, unitary_council]}
            expected_share: 0.6
            long_history: yes
            """
        var flags = AreaSpec()
        flags.name = "From flags"
        let spec = try flags.merging(answersYAML: yaml).validated()
        #expect(spec.name == "From flags")
        #expect(spec.population == 250000 && spec.expectedShare == 0.6 && spec.longHistory)
        #expect(spec.indicators.map(\.id) == ["NI117", "NI39", "L1"])
        #expect(spec.indicators[2].movers == [.vcs, .unitaryCouncil])
        var share = AreaFlags()
        share.expectedShare = "0.3"
        let flagWins = try share.spec().merging(answersYAML: "expected_share: 0.8\nlong_history: yes\n")
        #expect(flagWins.expectedShare == 0.3 && flagWins.longHistory, "a flag wins over the file; the file fills the rest")
        do { _ = try AreaSpec().merging(answersYAML: "name: X\npopulaton: 5\n"); Issue.record("typo accepted") } catch {
            #expect(error.field == "populaton" && error.message.contains("population"))
        }
        do { _ = try AreaSpec().merging(answersYAML: "indicators:\n  - {id: L2, baseline: 1, target: 2}\n"); Issue.record("accepted") } catch {
            #expect(error.field == "indicators[1].name")
        }
    }

    @Test("questions take defaults, re-ask after a bad answer with the reason, and stop at end of input")
    func interview() throws {
        var lines = ["Kingsbridge", "", "a quarter of a million", "250000", "", "NI999:1:2", "NI117:7:5.8", "0.7", "no"][...]
        var written = ""
        let interview = Interview(read: { lines.popFirst() }, write: { written += $0 })
        let spec = try interview.complete(AreaSpec()).validated()
        #expect(spec.name == "Kingsbridge" && spec.tier == .single && spec.population == 250000)
        #expect(spec.partners == ["council", "health", "police", "fire", "jobcentre", "skills", "vcs"])
        #expect(spec.indicators.map(\.id) == ["NI117"] && spec.expectedShare == 0.7 && !spec.longHistory)
        #expect(written.contains("population: 'a quarter of a million' is not a number of residents"))
        #expect(written.contains("indicators[1]: 'NI999' is not in the indicator catalogue"))
        #expect(written.components(separatedBy: "Please try again").count - 1 == 2)
        var short = ["Kingsbridge"][...]
        do {
            _ = try Interview(read: { short.popFirst() }, write: { _ in }).complete(AreaSpec())
            Issue.record("end of input accepted")
        } catch {
            #expect(error.field == "tier" && error.message.contains("no answer"))
        }
    }
}
