import Charts
import Foundation
import PartnershipModel
import ScenarioFile

/// What the page needs to show a scenario: partners, indicators and governance.
struct ScenarioJSON: Encodable {
    struct PartnerJSON: Encodable { let id: String, name: String, kind: String, tier: String, budget: Double }
    struct IndicatorJSON: Encodable {
        let id: String, name: String, unit: String?, baseline: Double, target: Double, higherIsBetter: Bool, laaTarget: Bool
    }
    let id: String, name: String, description: String?, file: String, tier: String, quarters: Int
    let partners: [PartnerJSON]
    let indicators: [IndicatorJSON]
    let governance: GovernanceJSON
    /// Governance fields drawn from a distribution in each replication (their mean is shown).
    let uncertain: [String]

    init(_ entry: Catalog.Entry) {
        let scenario = entry.template.scenario
        id = entry.id
        name = scenario.name
        description = scenario.description
        file = (entry.file as NSString).lastPathComponent
        tier = scenario.tier.rawValue
        quarters = scenario.quarters
        partners = scenario.partners.map {
            PartnerJSON(id: $0.id, name: $0.name, kind: $0.kind.rawValue, tier: "\($0.tier)", budget: $0.budget)
        }
        indicators = scenario.indicators.map {
            IndicatorJSON(id: $0.id, name: $0.name, unit: $0.unit, baseline: $0.baseline, target: $0.target,
                          higherIsBetter: $0.higherIsBetter, laaTarget: $0.laaTarget)
        }
        governance = GovernanceJSON(scenario.governance)
        uncertain = entry.template.uncertain.map(\.path).filter { $0.hasPrefix("governance.") }
    }
}

/// A governance set-up with SCENARIO.md's keys.
struct GovernanceJSON: Encodable, Equatable {
    let levels: [String]
    let decisionRule: String
    let leadPartner: String?
    let pooledFraction: Double, commissioning: Double, performanceManagement: Double
    let reviewEvery: Int
    let leadership: Double, scrutiny: Double, centralBurden: Double

    init(_ g: Governance) {
        levels = GovernanceLevel.allCases.filter { g.levels.contains($0) }.map(\.rawValue)
        decisionRule = g.decisionRule.rawValue
        leadPartner = g.leadPartner
        pooledFraction = g.pooledFraction
        commissioning = g.commissioning
        performanceManagement = g.performanceManagement
        reviewEvery = g.reviewEvery
        leadership = g.leadership
        scrutiny = g.scrutiny
        centralBurden = g.centralBurden
    }

    /// `key: value` lines of the options that differ from `other`.
    func changes(from other: GovernanceJSON) -> [String] {
        var out: [String] = []
        func add(_ key: String, _ a: String, _ b: String) { if a != b { out.append("\(key): \(b) \u{2192} \(a)") } }
        add("levels", "[" + levels.joined(separator: ", ") + "]", "[" + other.levels.joined(separator: ", ") + "]")
        add("decision_rule", decisionRule, other.decisionRule)
        add("lead_partner", leadPartner ?? "none", other.leadPartner ?? "none")
        add("pooled_fraction", Markup.number(pooledFraction), Markup.number(other.pooledFraction))
        add("commissioning", Markup.number(commissioning), Markup.number(other.commissioning))
        add("performance_management", Markup.number(performanceManagement), Markup.number(other.performanceManagement))
        add("review_every", "\(reviewEvery)", "\(other.reviewEvery)")
        add("leadership", Markup.number(leadership), Markup.number(other.leadership))
        add("scrutiny", Markup.number(scrutiny), Markup.number(other.scrutiny))
        add("central_burden", Markup.number(centralBurden), Markup.number(other.centralBurden))
        return out
    }
}

/// One comparison of the session, as the page receives it.
struct ComparisonJSON: Encodable {
    struct Series: Encodable { let current: [Double], changed: [Double] }
    struct ChartsJSON: Encodable { let trust: String, moved: String }
    let id: Int
    let scenario: String, scenarioName: String
    let current: GovernanceJSON, changed: GovernanceJSON
    let changes: [String]
    let replications: Int, seed: UInt64, generator: String
    let pairs: Int, failedCurrent: Int, failedChanged: Int
    let differences: [ComparisonResult.Difference]
    let indicators: [ComparisonResult.IndicatorChance]
    let quarters: [Int]
    let trust: Series, moved: Series
    let charts: ChartsJSON
    let seconds: Double
    let yamlURL: String, reportURL: String
}

/// A finished comparison kept for the session: the figures, the changed YAML and the JSON.
struct SessionComparison: Sendable {
    let id: Int
    let entryID: String
    let scenarioName: String
    let changedYAML: String
    let result: ComparisonResult
    let current: Governance, changed: Governance

    var json: ComparisonJSON {
        let currentJSON = GovernanceJSON(current), changedJSON = GovernanceJSON(changed)
        return ComparisonJSON(
            id: id, scenario: entryID, scenarioName: scenarioName, current: currentJSON, changed: changedJSON,
            changes: changedJSON.changes(from: currentJSON),
            replications: result.replications, seed: result.seed, generator: result.generator,
            pairs: result.pairs, failedCurrent: result.failedCurrent, failedChanged: result.failedChanged,
            differences: result.differences, indicators: result.indicators, quarters: result.quarters,
            trust: .init(current: result.trust.current, changed: result.trust.changed),
            moved: .init(current: result.moved.current, changed: result.moved.changed),
            charts: .init(trust: trustChart.svg(), moved: movedChart.svg()), seconds: result.seconds,
            yamlURL: "/api/comparisons/\(id)/scenario.yaml", reportURL: "/api/comparisons/\(id)/report.html")
    }

    private func chart(_ title: String, _ axis: AxisTitle, _ values: (current: [Double], changed: [Double])) -> LineChart {
        let x = result.quarters.map(Double.init)
        var chart = LineChart(
            title: title, subtitle: "Mean over \(result.pairs) paired runs",
            xTitle: "Quarter", yTitle: axis,
            series: [LineChart.Series(name: "Current", colour: Palette.blue, x: x, median: values.current),
                     LineChart.Series(name: "Changed", colour: Palette.vermillion, x: x, median: values.changed)])
        chart.width = 520
        chart.height = 300
        return chart
    }

    var trustChart: LineChart { chart("Mean trust", AxisTitle("mean trust", unit: "0\u{2013}1"), result.trust) }
    var movedChart: LineChart { chart("Money moved", AxisTitle("moved per quarter", unit: "GBP m"), result.moved) }

    var yamlFileName: String { "\(entryID)-changed-\(id).yaml" }
    var reportFileName: String { "\(entryID)-comparison-\(id).html" }

    /// The changed scenario, headed by a comment saying where it came from.
    var yamlDownload: String {
        var header = "# \(scenarioName): governance changed in lspsim studio (comparison \(id)).\n"
        for change in GovernanceJSON(changed).changes(from: GovernanceJSON(current)) { header += "#   \(change)\n" }
        return header + changedYAML
    }
}

/// The comparison report: one self-contained HTML file (inline style and SVG, nothing external).
enum ComparisonReport {
    static func html(_ c: SessionComparison) -> String {
        let json = c.json
        func text(_ name: String, _ content: String, _ attributes: KeyValuePairs<String, String> = [:]) -> Element {
            Element(name, attributes, text: content)
        }
        func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
        func number(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "n/a" }
        func row(_ cells: [String], header: Bool = false) -> Element {
            Element("tr", [:], cells.map { .element(text(header ? "th" : "td", $0)) })
        }
        var body: [Element] = []
        body.append(text("h1", "Governance comparison: \(c.scenarioName)"))
        body.append(text("p", "\(json.replications) paired replications (seed \(json.seed), generator \(json.generator)): replication r of both set-ups used the same random numbers, so each difference below is the option's effect within a pair. Model results under the scenario's stated assumptions, not a forecast."))
        var changes = Element("ul")
        for change in json.changes.isEmpty ? ["(no option changed)"] : json.changes { changes.append(text("li", change)) }
        body.append(text("h2", "What changed"))
        body.append(changes)
        body.append(text("h2", "Paired differences (changed \u{2212} current)"))
        var table = Element("table")
        table.append(row(["measure", "current", "changed", "difference", "95% interval (paired t)", "better", "worse", "pairs"], header: true))
        for d in json.differences {
            table.append(row([d.label, number(d.currentMean), number(d.changedMean), number(d.difference),
                              "[\(number(d.lower)), \(number(d.upper))]", percent(d.shareBetter), percent(d.shareWorse), "\(d.pairs)"]))
        }
        body.append(table)
        body.append(text("h2", "Chance of meeting each LAA target"))
        var indicators = Element("table")
        indicators.append(row(["indicator", "name", "current", "changed"], header: true))
        for i in json.indicators { indicators.append(row([i.id, i.name, percent(i.current), percent(i.changed)])) }
        body.append(indicators)
        body.append(text("h2", "Over the quarters"))
        body.append(c.trustChart.element())
        body.append(c.movedChart.element())
        body.append(text("h2", "The changed scenario"))
        body.append(text("pre", c.yamlDownload))
        let style = """
            body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
            table{border-collapse:collapse;margin:1em 0}td,th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:left}
            pre{background:#f6f6f6;padding:1em;overflow:auto;font-size:12px}svg{margin:0.5em 1em 0.5em 0}
            """
        let document = Element("html", ["lang": "en"], [
            .element(Element("head", [:], [
                .element(Element("meta", ["charset": "utf-8"])),
                .element(text("title", "lspsim studio: \(c.scenarioName), comparison \(c.id)")),
                .element(text("style", style)),
            ])),
            .element(Element("body", [:], body.map(Node.element))),
        ])
        return "<!DOCTYPE html>\n" + document.render() + "\n"
    }
}
