import Calibration
import Charts
import Experiments
import Foundation

/// The posterior predictive check as a report section: the coverage in words (with a warning where
/// it is far below 90%), a table per indicator, and per observed indicator its 90% predictive band
/// and median with the observed values over it. Used by the calibration report and by the report of
/// a run made with `lspsim run --posterior DIR`.
enum PredictiveSection {
    /// The section; `sample` says what the bands come from ("200 replications ..."), `info` gives an
    /// indicator's name and unit where the scenario could be read.
    static func section(_ check: PredictiveCheck, sample: String, info: (String) -> IndicatorInfo?) -> Element {
        var content: [Element] = []
        let coverage = check.coverage
        content.append(HTML.paragraph(runs: [
            ("Each observed value is compared with the 90% band (5th to 95th percentile) of the simulated values of its indicator and quarter over \(sample). ", false),
            (check.coverageText, true),
        ]))
        if check.coverageFarBelow {
            content.append(HTML.notice("Coverage \(Format.percent(check.coverageShare)) is far below the band's 90% (more than two binomial standard errors for \(coverage.observed) observed values): the calibrated model does not reproduce these data. Look for an indicator whose observed points leave the band in one direction (a trend or a change the scenario lacks), and see docs/CALIBRATION.md, \u{201C}Reading the predictive check\u{201D}."))
        }
        content.append(HTML.paragraph("Values of one series are correlated from quarter to quarter, so the coverage of a few dozen observations varies more than independent values would; the charts show where the data and the model part company.", class: "small"))

        // Per indicator.
        var order: [String] = []
        var byIndicator: [String: [PredictiveCheck.Row]] = [:]
        for row in check.rows {
            if byIndicator[row.indicator] == nil { order.append(row.indicator) }
            byIndicator[row.indicator, default: []].append(row)
        }
        var tableRows: [[String]] = [], charts: [Element] = []
        for id in order {
            let rows = byIndicator[id]!
            let observed = rows.filter { $0.observed != nil }
            guard !observed.isEmpty else { continue }
            let inside = observed.filter { $0.covered == true }.count
            let indicator = info(id)
            tableRows.append([id, indicator?.name ?? "", "\(observed.count)", "\(inside)", Format.percent(Double(inside) / Double(observed.count))])
            var chart = LineChart(
                title: indicator.map { "\(id): \($0.name)" } ?? id,
                subtitle: "\(inside) of \(observed.count) observed values inside the 90% predictive band",
                xTitle: "Quarter", yTitle: AxisTitle(id, unit: indicator?.unit),
                series: [.init(name: "", colour: Palette.blue, x: rows.map { Double($0.quarter) }, median: rows.map(\.p50),
                               lower: rows.map(\.p05), upper: rows.map(\.p95))])
            chart.medianLabel = "Predictive median"
            chart.bandLabel = "90% predictive band"
            chart.marks = [.init(name: "Observed", colour: Palette.vermillion, points: observed.map { Point(Double($0.quarter), $0.observed!) })]
            charts.append(HTML.figure(chart))
        }
        content.append(HTML.table(header: ["Indicator", "Name", "Observed values", "Inside the band", "Coverage"], rows: tableRows,
                                  numeric: [2, 3, 4], caption: "Observed values inside their 90% predictive band, by indicator"))
        content.append(HTML.grid(charts))
        return HTML.section("Posterior predictive check: the data against the calibrated model", id: "predictive-check", content)
    }
}
