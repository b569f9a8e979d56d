import AreaBuilder
import Foundation
import PartnershipModel
import ScenarioFile
import Testing

@Suite("7S self-assessment")
struct AssessmentTests {
    static func scenario() throws -> String {
        try AreaScenario(spec: Specs.unitary()).yaml(scale: 30)
    }

    @Test("each element's mapped values never get worse as its rating improves", arguments: SevenSElement.allCases)
    func monotoneMapping(_ element: SevenSElement) {
        for base in Rating.allCases {
            let start = SelfAssessment.all(base)
            var previous = AssessmentMapping(start.with(element, .red))
            for rating in [Rating.amber, .green] {
                let next = AssessmentMapping(start.with(element, rating))
                #expect(next.levels.count >= previous.levels.count)
                #expect(Set(previous.levels).isSubset(of: Set(next.levels)))
                #expect(next.scrutiny >= previous.scrutiny)
                #expect(next.leadership.min >= previous.leadership.min)
                #expect(next.synergy >= previous.synergy)
                #expect(next.trust.min >= previous.trust.min)
                #expect(next.performanceManagement >= previous.performanceManagement)
                #expect(next.reviewEvery <= previous.reviewEvery)
                #expect(next.commissioning >= previous.commissioning)
                previous = next
            }
        }
    }

    @Test("the overlay loads and carries the mapped fields; the rest is unchanged")
    func overlay() throws {
        let original = try Self.scenario()
        let ratings = SelfAssessment(ratings: [.steering: .amber, .standards: .green, .systems: .red,
                                               .staffAndSkills: .green, .style: .amber, .synergies: .red])
        let text = try AssessmentMapping(ratings).overlay(original, file: "area.yaml", assessment: ratings)
        let template = try ScenarioLoader.parse(yaml: text, file: "assessed.yaml")
        let governance = template.scenario.governance
        #expect(governance.levels == [.strategic, .executive])
        #expect(governance.scrutiny == 0.3)
        #expect(abs(governance.performanceManagement - 0.5) < 1e-12)
        #expect(governance.reviewEvery == 4)
        #expect(governance.commissioning == 0.8)
        #expect(template.scenario.model.synergy == 0.2)
        let uncertain = template.uncertain.map(\.path)
        #expect(uncertain.contains("governance.leadership"))
        #expect(uncertain.contains("partners[0].trust"))
        let before = try ScenarioLoader.parse(yaml: original, file: "area.yaml").scenario
        #expect(template.scenario.indicators.map(\.responsiveness) == before.indicators.map(\.responsiveness))
        #expect(template.scenario.partners.map(\.budget) == before.partners.map(\.budget))
        #expect(text.contains("# Fields set by the ratings"))
    }

    @Test("every element green is no worse than every element red, in paired runs")
    func greenBeatsRed() throws {
        let text = try Self.scenario()
        let trial = ScenarioTrial(seed: 5, replications: 80, jobs: 2)
        let red = try Assessment.targetShares(scenario: text, file: "area.yaml", assessment: .all(.red), trial: trial)
        let green = try Assessment.targetShares(scenario: text, file: "area.yaml", assessment: .all(.green), trial: trial)
        let difference = zip(green, red).map { $0 - $1 }.reduce(0, +) / Double(red.count)
        #expect(difference >= 0, "all green minus all red: \(difference)")
    }

    @Test("the paired run of each element improved by one grade is reported; green elements have none")
    func effects() throws {
        let ratings = SelfAssessment(ratings: [.steering: .red, .standards: .amber, .systems: .amber,
                                               .staffAndSkills: .green, .style: .red, .synergies: .amber])
        let result = try Assessment.run(scenario: Self.scenario(), file: "area.yaml", assessment: ratings,
                                        trial: ScenarioTrial(seed: 2, replications: 30, jobs: 2))
        #expect(result.effects.count == 6)
        let staff = try #require(result.effects.first { $0.element == .staffAndSkills })
        #expect(staff.to == nil && staff.change == nil)
        let steering = try #require(result.effects.first { $0.element == .steering })
        #expect(steering.to == .amber && steering.change != nil)
        #expect(result.paragraph.contains("Steering red->amber"))
        #expect(result.paragraph.contains("meets"))
    }

    @Test("on a terminal each element is asked, amber by default, and asked again after a bad rating")
    func questions() throws {
        var lines = ["green", "", "purple", "red", "g", "", "r"][...]
        var written = ""
        let ratings = try SelfAssessment.ask(Interview(read: { lines.popFirst() }, write: { written += $0 }))
        #expect(ratings == SelfAssessment(ratings: [.steering: .green, .standards: .amber, .systems: .red,
                                                    .staffAndSkills: .green, .style: .amber, .synergies: .red]))
        #expect(written.contains("systems: 'purple' is not a rating; valid: red, amber or green"))
        #expect(written.contains("Synergies: do partners trust each other"))
    }

    @Test("answers files: every element required, ratings checked, unknown elements named")
    func answers() throws {
        let good = "steering: green\nstandards: amber\nsystems: red\nstaff_and_skills: g\nstyle: amber\nsynergies: red\n"
        let parsed = try SelfAssessment.parse(yaml: good)
        #expect(parsed[.staffAndSkills] == .green && parsed[.systems] == .red)
        for (text, field, hint) in [
            (good.replacingOccurrences(of: "style: amber", with: "style: purple"), "style", "red, amber or green"),
            (good.replacingOccurrences(of: "synergies: red\n", with: ""), "synergies", "required"),
            (good + "stategy: green\n", "stategy", "steering"),
        ] {
            do { _ = try SelfAssessment.parse(yaml: text); Issue.record("accepted \(field)") } catch {
                #expect(error.field == field && error.message.contains(hint), "\(error)")
            }
        }
    }
}
