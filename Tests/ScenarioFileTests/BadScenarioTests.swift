import Foundation
import Testing
@testable import ScenarioFile
import PartnershipModel

// Scenario files that break the rules of SCENARIO.md and SPEC.md's clarifications, one rule a
// file (Fixtures/bad), and small valid edge cases (Fixtures/good). Each bad file is a small
// valid scenario (2 indicators, 2 partners) changed in one place; its first lines say what it
// breaks. Line numbers below are 1-based lines of the fixture files, comments included.

/// One bad fixture and the diagnostic it must produce.
struct BadCase: Sendable, CustomTestStringConvertible {
  /// The fixture's file name in Fixtures/bad.
  var file: String
  /// The 1-based line the diagnostic must name; nil where it concerns the whole file.
  var line: Int?
  /// The exact field path the diagnostic must name ("" for the whole file).
  var path: String
  /// A part of the message; where the message can say what would be valid, this part says it.
  var message: String

  init(_ file: String, line: Int?, path: String, _ message: String) {
    self.file = file
    self.line = line
    self.path = path
    self.message = message
  }

  var testDescription: String { file }
}

/// A diagnostic's location: field path and line.
struct Located: Sendable, Equatable, CustomStringConvertible {
  var path: String
  var line: Int?

  init(_ path: String, line: Int?) {
    self.path = path
    self.line = line
  }

  var description: String {
    let lineText = line.map { "\($0)" } ?? "nil"
    return "\(path)@\(lineText)"
  }
}

/// A bad fixture with several errors, every one of which must be reported, in file order.
struct MultipleErrorsCase: Sendable, CustomTestStringConvertible {
  var file: String
  var expected: [Located]

  init(_ file: String, _ expected: [Located]) {
    self.file = file
    self.expected = expected
  }

  var testDescription: String { file }
}

enum BadFixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/bad")

  /// Files breaking one rule each.
  ///
  /// Four rows state what the loader SHOULD report and currently fail (see the notes there):
  /// duplicate-key.yaml, lead-partner-rule-without-lead.yaml, name-empty.yaml, tier-as-mapping.yaml.
  static let single: [BadCase] = [
    // Structure and unknown keys.
    BadCase("unknown-top-level-key.yaml", line: 40, path: "governence",
            "valid keys here: name, description, area, indicators, partners, governance, model"),
    BadCase("unknown-indicator-key.yaml", line: 18, path: "indicators[1].responsivness",
            "valid keys here: id, name, unit, baseline, target, higher_is_better, trend, responsiveness, noise_sd, laa_target"),
    BadCase("unknown-partner-key.yaml", line: 26, path: "partners[0].named_partnr",
            "valid keys here: id, name, kind, tier, budget, discretionary, named_partner, openness, trust, interests, capability"),
    BadCase("unknown-model-key.yaml", line: 45, path: "model.retruns", "did you mean 'returns'"),
    BadCase("area-not-mapping.yaml", line: 3, path: "area", "must be a mapping of keys to values (tier, quarters)"),
    BadCase("missing-name.yaml", line: 2, path: "name", "is required"),
    // An empty (quoted) name is accepted today; the name is required, so it should be rejected
    // like an empty id is ("must not be empty").
    BadCase("name-empty.yaml", line: 2, path: "name", "must not be empty"),
    BadCase("missing-required-field.yaml", line: 31, path: "partners[1].trust", "is required (a number in [0, 1])"),
    BadCase("indicators-empty.yaml", line: 5, path: "indicators", "must list at least one indicator"),
    // YAML itself.
    BadCase("not-yaml.yaml", line: 40, path: "", "not valid YAML"),
    BadCase("empty-file.yaml", line: nil, path: "", "a scenario needs name, area, indicators and partners"),
    // Today: path "" and line 35 (the FIRST `budget`). It should name the field path and the
    // line of the repeated key.
    BadCase("duplicate-key.yaml", line: 36, path: "partners[1].budget", "duplicate key 'budget'"),
    // Scalars.
    BadCase("boolean-yes.yaml", line: 17, path: "indicators[1].higher_is_better", "must be true or false"),
    BadCase("number-as-quoted-string.yaml", line: 35, path: "partners[1].budget",
            "must be a number, got the quoted text \"480\""),
    BadCase("infinite-value.yaml", line: 15, path: "indicators[1].baseline", "must be a finite number"),
    BadCase("nan-value.yaml", line: 16, path: "indicators[1].target", "must be a finite number"),
    BadCase("quarters-fractional.yaml", line: 5, path: "area.quarters", "must be an integer >= 1"),
    BadCase("quarters-zero.yaml", line: 5, path: "area.quarters", "must be an integer >= 1, got 0"),
    BadCase("quarters-as-distribution.yaml", line: 5, path: "area.quarters", "this field cannot be a distribution"),
    BadCase("review-every-zero.yaml", line: 44, path: "governance.review_every", "must be an integer >= 1"),
    BadCase("delivery-lag-negative.yaml", line: 46, path: "model.delivery_lag", "must be an integer >= 0"),
    // Choices.
    BadCase("area-tier-unknown.yaml", line: 4, path: "area.tier", "must be one of single, two_tier"),
    BadCase("unknown-kind.yaml", line: 33, path: "partners[1].kind",
            "must be one of unitary_council, county_council, district_council, health, police, fire, jobcentre, skills, housing, probation, vcs, business, other"),
    BadCase("bad-tier-text.yaml", line: 34, path: "partners[1].tier", "must be area, county or district:NAME"),
    // Today: "must be a text value, got a mapping", which does not say what a tier may be.
    BadCase("tier-as-mapping.yaml", line: 34, path: "partners[1].tier", "area, county or district:NAME"),
    BadCase("decision-rule-unknown.yaml", line: 42, path: "governance.decision_rule",
            "must be one of consensus, resource_weighted, lead_partner"),
    BadCase("levels-unknown.yaml", line: 41, path: "governance.levels[1]", "must be one of strategic, executive, thematic"),
    BadCase("levels-repeated.yaml", line: 41, path: "governance.levels[2]", "repeats 'strategic'; each level may appear once"),
    // Ranges.
    BadCase("budget-negative.yaml", line: 35, path: "partners[1].budget", "must be a number > 0"),
    BadCase("budget-zero.yaml", line: 35, path: "partners[1].budget", "must be a number > 0, got 0"),
    BadCase("trust-above-one.yaml", line: 38, path: "partners[1].trust", "must be a number in [0, 1]"),
    BadCase("responsiveness-negative.yaml", line: 18, path: "indicators[1].responsiveness", "must be a number >= 0"),
    BadCase("interest-negative.yaml", line: 29, path: "partners[0].interests.NI8", "must be a number >= 0"),
    BadCase("returns-zero.yaml", line: 45, path: "model.returns", "must be a number in (0, 1]"),
    BadCase("peer-weight-above-one.yaml", line: 46, path: "model.peer_weight", "must be a number in [0, 1]"),
    BadCase("pooled-fraction-one.yaml", line: 43, path: "governance.pooled_fraction", "must be a number in [0, 1)"),
    BadCase("overhead-rate-too-high.yaml", line: 46, path: "governance.central_burden", "is 1.05; it must be < 1"),
    // Model version 2's keys and the version itself.
    BadCase("model-version-three.yaml", line: 45, path: "model.version", "must be 1 or 2"),
    BadCase("model-version-fractional.yaml", line: 45, path: "model.version", "must be an integer >= 1, got '1.5'"),
    BadCase("model-version-distribution.yaml", line: 45, path: "model.version", "this field cannot be a distribution"),
    BadCase("pool-overhead-one.yaml", line: 45, path: "model.pool_overhead", "must be a number in [0, 1), got 1"),
    BadCase("review-cost-negative.yaml", line: 45, path: "model.review_cost", "must be a number >= 0, got -0.001"),
    BadCase("commissioning-above-one.yaml", line: 44, path: "governance.commissioning", "must be a number in [0, 1], got 1.2"),
    BadCase("review-cost-too-high.yaml", line: 45, path: "model.review_cost",
            "beta + review_cost = 0.025 + 0.98, must be < 1 in model version 2"),
    BadCase("v1-pool-overhead-out-of-range.yaml", line: 46, path: "model.pool_overhead", "must be a number in [0, 1), got 1.5"),
    // Distributions.
    BadCase("distribution-bad-params.yaml", line: 37, path: "partners[1].openness", "a uniform distribution needs min < max"),
    BadCase("distribution-unknown-kind.yaml", line: 37, path: "partners[1].openness",
            "KIND one of beta, gamma, lognormal, normal, uniform"),
    BadCase("distribution-missing-parameter.yaml", line: 37, path: "partners[1].openness.sd",
            "is required (a parameter of the normal distribution)"),
    BadCase("distribution-unknown-parameter.yaml", line: 37, path: "partners[1].openness.mode",
            "valid keys here: dist, min, max"),
    // Ids and references.
    BadCase("duplicate-indicator-id.yaml", line: 13, path: "indicators[1].id", "duplicate indicator id 'NI117'; ids must be unique"),
    BadCase("duplicate-partner-id.yaml", line: 31, path: "partners[1].id", "duplicate partner id 'council'; ids must be unique"),
    BadCase("interest-unknown-indicator.yaml", line: 29, path: "partners[0].interests.NI999",
            "unknown indicator id 'NI999'; valid ids: NI117, NI8"),
    BadCase("capability-unknown-indicator.yaml", line: 30, path: "partners[0].capability.NI9",
            "unknown indicator id 'NI9'; valid ids: NI117, NI8"),
    BadCase("lead-partner-unknown.yaml", line: 43, path: "governance.lead_partner",
            "names no partner: 'mayor'; valid ids: council, pct"),
    // Today: line 41, the `levels:` line (the first key of the governance block). It should point
    // at `decision_rule: lead_partner` (line 42), the value that makes lead_partner required.
    BadCase("lead-partner-rule-without-lead.yaml", line: 42, path: "governance.lead_partner",
            "is required when decision_rule is lead_partner"),
    BadCase("lead-partner-rule-null-lead.yaml", line: 43, path: "governance.lead_partner",
            "is required when decision_rule is lead_partner"),
    // Rules over the whole scenario.
    BadCase("interests-sum-zero.yaml", line: 39, path: "partners[1].interests", "weights must sum to a positive finite number"),
    BadCase("no-laa-target.yaml", line: 7, path: "indicators", "at least one indicator must have laa_target: true"),
    BadCase("no-lead-board-interest.yaml", line: 22, path: "partners", "give one an interest in NI117"),
    BadCase("two-tier-without-district.yaml", line: 20, path: "partners",
            "a two_tier area needs at least one partner with tier 'district:NAME'"),
    BadCase("single-tier-with-district.yaml", line: 34, path: "partners[1].tier",
            "area.tier is single, where every partner's tier must be 'area'"),
    BadCase("single-tier-with-county.yaml", line: 34, path: "partners[1].tier",
            "area.tier is single, where every partner's tier must be 'area'"),
  ]

  /// Files breaking several rules; every error must be reported, in file order.
  ///
  /// The last two rows state what the loader SHOULD report and currently fail: a field error
  /// hides the list-level rules of the same list, and a duplicate key hides every other error.
  static let multiple: [MultipleErrorsCase] = [
    MultipleErrorsCase("multiple-errors.yaml", [
      Located("owner", line: 5),
      Located("indicators[1].higher_is_better", line: 20),
      Located("partners[0].budget", line: 27),
      Located("partners[1].interests.NI999", line: 42),
      Located("governance.levels[2]", line: 44),
      Located("model.returns", line: 48),
    ]),
    // Today only the two field errors: `indicators` (no laa_target) and `partners` (no district
    // partner) are dropped as "related" to the field errors inside those lists.
    MultipleErrorsCase("multiple-errors-cross-field.yaml", [
      Located("indicators", line: 9),
      Located("indicators[1].higher_is_better", line: 20),
      Located("partners", line: 24),
      Located("partners[1].budget", line: 39),
    ]),
    // Today only the duplicate key (path "", line 35): Yams stops at it.
    MultipleErrorsCase("multiple-errors-with-duplicate-key.yaml", [
      Located("partners[1].budget", line: 36),
      Located("model.returns", line: 46),
    ]),
  ]
}

/// Loads a fixture that must be rejected: the error, or nil (recording an issue) where it loads.
func rejection(of url: URL) -> ScenarioFileError? {
  do throws(ScenarioFileError) {
    _ = try ScenarioLoader.load(path: url.path)
    Issue.record("\(url.lastPathComponent) was accepted; it must be rejected")
    return nil
  } catch {
    return error
  }
}

@Suite("Bad scenario files")
struct BadScenarioTests {
  @Test("A file breaking one rule is rejected, naming the field path, line and what is valid",
        arguments: BadFixtures.single)
  func rejectsWithDiagnostic(_ expected: BadCase) {
    let url = BadFixtures.directory.appendingPathComponent(expected.file)
    #expect(FileManager.default.fileExists(atPath: url.path), "missing fixture \(url.path)")
    guard let error = rejection(of: url) else { return }
    let got = "got:\n\(error.description)"
    #expect(!error.diagnostics.isEmpty)
    #expect(error.diagnostics.allSatisfy { $0.file == url.path }, "every diagnostic names the file; \(got)")

    let atPath = error.diagnostics.filter { $0.path == expected.path }
    #expect(!atPath.isEmpty, "no diagnostic with path '\(expected.path)'; \(got)")
    let lineText = expected.line.map { "\($0)" } ?? "nil"
    #expect(atPath.contains { $0.line == expected.line },
            "no diagnostic with path '\(expected.path)' at line \(lineText); \(got)")
    #expect(atPath.contains { $0.line == expected.line && $0.message.contains(expected.message) },
            "no diagnostic with path '\(expected.path)', line \(lineText) and a message containing '\(expected.message)'; \(got)")
  }

  @Test("A file with several errors reports them all together, in file order",
        arguments: BadFixtures.multiple)
  func reportsEveryError(_ testCase: MultipleErrorsCase) {
    let url = BadFixtures.directory.appendingPathComponent(testCase.file)
    guard let error = rejection(of: url) else { return }
    let got = "got:\n\(error.description)"
    #expect(error.diagnostics.count == testCase.expected.count, "\(got)")
    #expect(error.diagnostics.map(\.path) == testCase.expected.map(\.path), "\(got)")
    #expect(error.diagnostics.map { Located($0.path, line: $0.line) } == testCase.expected, "\(got)")
    #expect(error.diagnostics.allSatisfy { !$0.message.isEmpty && $0.file == url.path })
  }

  @Test("Every file in Fixtures/bad is in a table, and there are at least 20")
  func everyFixtureIsListed() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: BadFixtures.directory.path)
      .filter { $0.hasSuffix(".yaml") }
    let listed = BadFixtures.single.map(\.file) + BadFixtures.multiple.map(\.file)
    #expect(Set(listed).count == listed.count, "a fixture is listed twice")
    #expect(Set(names) == Set(listed))
    #expect(names.count >= 20)
  }

  @Test("A missing file is reported as such, with no line")
  func missingFile() {
    let url = BadFixtures.directory.appendingPathComponent("no-such-file.yaml")
    guard let error = rejection(of: url) else { return }
    #expect(error.diagnostics.count == 1)
    #expect(error.diagnostics.first?.path == "")
    #expect(error.diagnostics.first?.line == nil)
    #expect(error.diagnostics.first?.message.contains("no such file") == true)
  }
}

@Suite("Valid edge-case scenario files")
struct GoodScenarioEdgeCaseTests {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/good")

  func load(_ name: String) throws -> ScenarioTemplate {
    try ScenarioLoader.load(path: Self.directory.appendingPathComponent(name).path)
  }

  @Test("Numeric ids are read as text, in interests, capability and lead_partner too")
  func numericIDs() throws {
    let template = try load("numeric-ids.yaml")
    let scenario = template.scenario
    try #require(scenario.indicators.count == 2 && scenario.partners.count == 2)
    #expect(scenario.indicators[0].id == "117")
    #expect(scenario.indicators.map(\.id) == ["117", "NI8"])
    #expect(scenario.partners[0].id == "42")
    #expect(scenario.partners[0].interests.map(\.id) == ["117", "NI8"])
    #expect(scenario.partners[0].interests.map(\.weight) == [3, 1])
    #expect(scenario.partners[0].capability.map(\.id) == ["117"])
    #expect(scenario.governance.decisionRule == .leadPartner)
    #expect(scenario.governance.leadPartner == "42")
    #expect(template.fixedModel != nil)
  }

  @Test("Integer fields may be written 12.0; 1e-3 and -2.5E-2 are numbers")
  func numberForms() throws {
    let template = try load("number-forms.yaml")
    let scenario = template.scenario
    try #require(scenario.indicators.count == 2 && scenario.partners.count == 2)
    #expect(scenario.quarters == 12)
    #expect(scenario.governance.reviewEvery == 2)
    #expect(scenario.model.deliveryLag == 1)
    #expect(scenario.indicators[0].noiseSD == 1e-3)
    #expect(scenario.indicators[0].trend == -0.025)
    #expect(scenario.indicators[1].baseline == 20)
    #expect(scenario.partners[0].budget == 650)
    #expect(scenario.governance.centralBurden == 0.001)
    #expect(template.uncertain.isEmpty)
  }

  @Test("An explicit null is the same as an absent key; levels: [] means no levels")
  func explicitNulls() throws {
    let template = try load("explicit-nulls.yaml")
    let scenario = template.scenario
    try #require(scenario.indicators.count == 2 && scenario.partners.count == 2)
    #expect(scenario.description == nil)
    #expect(scenario.quarters == 12)
    #expect(scenario.indicators[0].unit == nil)
    #expect(scenario.indicators[0].trend == 0)
    #expect(scenario.indicators[0].laaTarget)
    #expect(scenario.partners[0].namedPartner == false)
    #expect(scenario.partners[0].capability.isEmpty)
    #expect(scenario.governance.levels.isEmpty)
    #expect(scenario.governance.leadPartner == nil)
    #expect(scenario.governance.decisionRule == .consensus)
    #expect(scenario.model == ModelConstants())
  }

  @Test("model.version picks the version's defaults; 1.0 and 2.0 are integers; a version 1 file skips version 2's review-cost check")
  func modelVersions() throws {
    let base = try String(contentsOf: BadFixtures.directory.appendingPathComponent("returns-zero.yaml"), encoding: .utf8)
      .replacingOccurrences(of: "model:\n  returns: 0\n", with: "")
    func scenario(_ model: String) throws -> Scenario {
      try ScenarioLoader.parse(yaml: base + model, file: "inline.yaml").scenario
    }
    let v2 = try scenario("")
    #expect(v2.model.version == .v2)
    #expect(v2.model.freeRidingSensitivity == 0.15 && v2.model.disengagement == 0.6)
    #expect(v2.governance.commissioning == 0.5 && v2.model.poolOverhead == 0.05 && v2.model.reviewCost == 0.002)
    let v1 = try scenario("model:\n  version: 1.0\n")
    #expect(v1.model.version == .v1)
    #expect(v1.model.freeRidingSensitivity == 0.5 && v1.model.disengagement == 0.3)
    let explicit = try scenario("model:\n  version: 1\n  disengagement: 0.4\n")
    #expect(explicit.model.disengagement == 0.4)
    #expect(try scenario("model:\n  version: 2.0\n").model.version == .v2)
    // beta + review_cost >= 1 is an error in version 2 only.
    let accepted = try scenario("model:\n  version: 1\n  review_cost: 0.98\n")
    #expect(accepted.model.reviewCost == 0.98)
  }

  @Test("governance: null gives every governance default")
  func governanceNull() throws {
    let scenario = try load("governance-null.yaml").scenario
    #expect(scenario.governance == Governance())
    #expect(scenario.governance.levels == Set(GovernanceLevel.allCases))
    #expect(scenario.governance.decisionRule == .consensus)
    #expect(scenario.governance.leadPartner == nil)
  }
}
