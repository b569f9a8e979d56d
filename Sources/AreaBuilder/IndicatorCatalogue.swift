import PartnershipModel

/// One national indicator (National Indicator Set 2008, England) that areas often chose as an LAA
/// designated target, with the public page it was checked against.
public struct CatalogueIndicator: Sendable, Equatable {
    /// The indicator's id as scenario files write it, e.g. `NI117`.
    public let id: String
    /// The indicator's name, as the source page words it (shortened where long).
    public let name: String
    /// The unit the indicator is reported in (for reports).
    public let unit: String
    /// Whether a higher value is better (the source's polarity where it states one).
    public let higherIsBetter: Bool
    /// The kinds of partner whose spending can move the indicator: a modelling choice read from
    /// each kind's remit (statutory duties in England, 2008-2011), documented in docs/OWN-AREA.md.
    public let movers: [PartnerKind]
    /// The public page (found with the search tool) that confirms the id, the name and, where it
    /// gives one, the polarity.
    public let source: String
}

/// The indicator catalogue behind `lspsim new`: national indicators often chosen as LAA designated
/// targets, each checked against a public source (`CatalogueIndicator.source`).
///
/// The movers are a documented table, not a published fact: a kind can move an indicator where its
/// remit covers the service that drives it (councils' remits are split by tier: children's services,
/// adult social care and waste disposal are county or unitary; housing, planning, waste collection
/// and street cleaning are district or unitary).
public enum IndicatorCatalogue {
    // Kind groups used in the table (a modelling choice, see the type's doc comment).
    private static let allCouncils: [PartnerKind] = [.unitaryCouncil, .countyCouncil, .districtCouncil]
    private static let upperTier: [PartnerKind] = [.unitaryCouncil, .countyCouncil]
    private static let lowerTier: [PartnerKind] = [.unitaryCouncil, .districtCouncil]

    private static let parliamentSupportingPeople = "https://publications.parliament.uk/pa/cm200809/cmselect/cmcomloc/649/649we32.htm"
    private static let laaSelection = "https://docslib.org/doc/13651355/appendix-a-selection-of-targets-for-the-laa"
    private static let dwpIndicators = "https://www.gov.uk/government/collections/national-indicators-statistics"
    private static let berrIndicators = "http://webarchive.nationalarchives.gov.uk/+/http:/stats.berr.gov.uk/ed/national_indicators/index.htm"
    private static let decc = "http://www.decc.gov.uk/en/content/cms/what_we_do/lc_uk/loc_reg_dev/ni185_186/ni185_186.aspx"
    private static let wasteDataFlow = "https://paperzz.com/doc/9209707/gn30---method-for-calculating-ni191--192-and-193.-wasteda..."

    /// Every entry, in indicator-number order.
    public static let entries: [CatalogueIndicator] = [
        CatalogueIndicator(id: "NI1", name: "People who believe people from different backgrounds get on well together in their local area",
                           unit: "%", higherIsBetter: true, movers: allCouncils + [.vcs, .police, .housing],
                           source: parliamentSupportingPeople),
        CatalogueIndicator(id: "NI2", name: "People who feel that they belong to their neighbourhood",
                           unit: "%", higherIsBetter: true, movers: allCouncils + [.vcs, .housing],
                           source: parliamentSupportingPeople),
        CatalogueIndicator(id: "NI3", name: "Civic participation in the local area",
                           unit: "%", higherIsBetter: true, movers: allCouncils + [.vcs],
                           source: parliamentSupportingPeople),
        CatalogueIndicator(id: "NI4", name: "People who feel they can influence decisions in their locality",
                           unit: "%", higherIsBetter: true, movers: allCouncils + [.vcs],
                           source: parliamentSupportingPeople),
        CatalogueIndicator(id: "NI5", name: "Overall/general satisfaction with local area",
                           unit: "%", higherIsBetter: true, movers: allCouncils + [.police, .housing],
                           source: "https://docslib.org/doc/4411406/assessing-northumberlands-performance"),
        CatalogueIndicator(id: "NI7", name: "Environment for a thriving third sector",
                           unit: "%", higherIsBetter: true, movers: allCouncils + [.vcs, .health],
                           source: parliamentSupportingPeople),
        CatalogueIndicator(id: "NI8", name: "Adult participation in sport and active recreation",
                           unit: "%", higherIsBetter: true, movers: lowerTier + [.health, .vcs],
                           source: "https://gov.uk/government/statistics/national-indicator-8-interim-data"),
        CatalogueIndicator(id: "NI17", name: "Perceptions of anti-social behaviour",
                           unit: "%", higherIsBetter: false, movers: allCouncils + [.police, .housing, .fire],
                           source: laaSelection),
        CatalogueIndicator(id: "NI21", name: "Dealing with local concerns about anti-social behaviour and crime by the local council and police",
                           unit: "%", higherIsBetter: true, movers: allCouncils + [.police],
                           source: laaSelection),
        CatalogueIndicator(id: "NI25", name: "Satisfaction of different groups with the way the police and local council dealt with anti-social behaviour",
                           unit: "%", higherIsBetter: true, movers: allCouncils + [.police],
                           source: laaSelection),
        CatalogueIndicator(id: "NI27", name: "Understanding of local concerns about anti-social behaviour and crime by the local council and police",
                           unit: "%", higherIsBetter: true, movers: allCouncils + [.police],
                           source: laaSelection),
        CatalogueIndicator(id: "NI32", name: "Repeat incidents of domestic violence",
                           unit: "% of MARAC cases", higherIsBetter: false,
                           movers: upperTier + [.police, .health, .probation, .vcs, .housing],
                           source: "https://lawinsider.com/contracts/similar/6fOBzWN7udc"),
        CatalogueIndicator(id: "NI38", name: "Drug-related (Class A) offending rate",
                           unit: "ratio of actual to predicted offending", higherIsBetter: false,
                           movers: [.police, .probation, .health], source: laaSelection),
        CatalogueIndicator(id: "NI39", name: "Alcohol-harm related hospital admission rates",
                           unit: "per 100,000 population", higherIsBetter: false, movers: [.health, .police] + lowerTier,
                           source: "http://www.apho.org.uk/default.aspx?QN=HP_METADATA&IndicatorID=50180"),
        CatalogueIndicator(id: "NI49", name: "Number of primary fires and related fatalities and non-fatal casualties (excluding precautionary checks)",
                           unit: "primary fires per 100,000 population", higherIsBetter: false, movers: [.fire, .housing] + upperTier,
                           source: "https://certificates.theodi.org/en/datasets/7862"),
        CatalogueIndicator(id: "NI56", name: "Obesity among primary school age children in Year 6",
                           unit: "%", higherIsBetter: false, movers: [.health] + upperTier,
                           source: "https://standards.esd.org.uk/?uri=metricType%2F5172"),
        CatalogueIndicator(id: "NI112", name: "Under 18 conception rate",
                           unit: "per 1,000 females aged 15-17", higherIsBetter: false, movers: [.health, .vcs] + upperTier,
                           source: "https://ckan.staging.publishing.service.gov.uk/dataset/ni_112_-_under_18_conception_rate"),
        CatalogueIndicator(id: "NI115", name: "Substance misuse by young people",
                           unit: "% (TellUs survey)", higherIsBetter: false, movers: [.health, .police, .vcs] + upperTier,
                           source: "http://www.slideshare.net/drugeducationforum/tellus-4-3603839"),
        CatalogueIndicator(id: "NI117", name: "16 to 18 year olds who are not in education, employment or training (NEET)",
                           unit: "% of cohort", higherIsBetter: false, movers: upperTier + [.skills, .jobcentre, .vcs],
                           source: "http://www.infochimps.com/datasets/ni-117-16-to-18-year-olds-who-are-not-in-education-training-or-e"),
        CatalogueIndicator(id: "NI120", name: "All-age all cause mortality rate",
                           unit: "per 100,000 population", higherIsBetter: false, movers: [.health] + upperTier,
                           source: "http://doc.esd.org.uk/MetricTypeList/0.01.xml"),
        CatalogueIndicator(id: "NI135", name: "Carers receiving needs assessment or review and a specific carers service, or advice and information",
                           unit: "% of people receiving community-based services", higherIsBetter: true, movers: upperTier + [.health, .vcs],
                           source: "http://www.data4nr.net/xml/894/rss.xml"),
        CatalogueIndicator(id: "NI136", name: "People supported to live independently through social services (all ages)",
                           unit: "per 1,000 population", higherIsBetter: true, movers: upperTier + [.health, .housing, .vcs],
                           source: "http://data.gov.uk/dataset/ni-136-people-supported-to-live-independently-through-social-services-all-ages"),
        CatalogueIndicator(id: "NI151", name: "Overall employment rate (working age)",
                           unit: "% of working age population", higherIsBetter: true, movers: [.jobcentre, .skills, .business] + allCouncils,
                           source: dwpIndicators),
        CatalogueIndicator(id: "NI152", name: "Working age people on out of work benefits",
                           unit: "% of working age population", higherIsBetter: false, movers: [.jobcentre, .skills, .health] + allCouncils,
                           source: "https://docslib.org/download/6690824/working-age-people-on-out-of-work-benefits-in-surrey-heath-area"),
        CatalogueIndicator(id: "NI153", name: "Working age people claiming out of work benefits in the worst performing neighbourhoods",
                           unit: "% of working age population", higherIsBetter: false,
                           movers: [.jobcentre, .skills, .housing, .vcs] + allCouncils, source: dwpIndicators),
        CatalogueIndicator(id: "NI154", name: "Net additional homes provided",
                           unit: "homes per year", higherIsBetter: true, movers: lowerTier + [.housing, .business],
                           source: "http://www.infochimps.com/datasets/ni-154-net-additional-homes-provided"),
        CatalogueIndicator(id: "NI163", name: "Proportion of population aged 19-64 for males and 19-59 for females qualified to at least Level 2 or higher",
                           unit: "%", higherIsBetter: true, movers: [.skills, .jobcentre, .business] + upperTier,
                           source: "http://certificates.theodi.org/en/datasets/7585"),
        CatalogueIndicator(id: "NI171", name: "New business registration rate",
                           unit: "registrations per 10,000 adults", higherIsBetter: true, movers: [.business, .skills] + allCouncils,
                           source: berrIndicators),
        CatalogueIndicator(id: "NI172", name: "Percentage of small businesses in an area showing employment growth",
                           unit: "%", higherIsBetter: true, movers: [.business, .skills] + allCouncils,
                           source: berrIndicators),
        CatalogueIndicator(id: "NI185", name: "CO2 reduction from local authority operations",
                           unit: "% reduction", higherIsBetter: true, movers: allCouncils,
                           source: decc),
        CatalogueIndicator(id: "NI186", name: "Per capita reduction in CO2 emissions in the LA area",
                           unit: "tonnes CO2 per head", higherIsBetter: false, movers: allCouncils + [.housing, .business, .health],
                           source: decc),
        CatalogueIndicator(id: "NI187", name: "Tackling fuel poverty: people receiving income based benefits living in homes with a low energy efficiency rating",
                           unit: "%", higherIsBetter: false, movers: lowerTier + [.housing, .health, .vcs],
                           source: "http://search.energydata.org.uk/dataset/ni-187a-tackling-fuel-poverty-people-receiving-benefits-living-in-homes-with-low-energy-efficie"),
        CatalogueIndicator(id: "NI191", name: "Residual household waste per household",
                           unit: "kg per household", higherIsBetter: false, movers: allCouncils + [.vcs],
                           source: wasteDataFlow),
        CatalogueIndicator(id: "NI192", name: "Percentage of household waste sent for reuse, recycling and composting",
                           unit: "%", higherIsBetter: true, movers: allCouncils + [.vcs],
                           source: wasteDataFlow),
        CatalogueIndicator(id: "NI193", name: "Percentage of municipal waste land filled",
                           unit: "%", higherIsBetter: false, movers: upperTier,
                           source: wasteDataFlow),
        CatalogueIndicator(id: "NI195", name: "Improved street and environmental cleanliness (litter, detritus, graffiti and fly-posting)",
                           unit: "% of sites below an acceptable standard", higherIsBetter: false, movers: lowerTier + [.vcs, .business],
                           source: "http://cleanliness-indicator.defra.gov.uk/1.2.aspx"),
    ]

    /// The entry with this id (case-insensitive, `NI 117` and `ni117` both find NI117), if any.
    public static func entry(_ id: String) -> CatalogueIndicator? {
        let key = id.replacingOccurrences(of: " ", with: "").uppercased()
        return entries.first { $0.id == key }
    }

    /// The catalogue as a printable table: id, polarity, unit, name, movers, source.
    public static func listing() -> String {
        var lines = ["\(entries.count) national indicators (National Indicator Set 2008, England) often chosen as LAA designated targets.",
                     "Give them to `lspsim new --indicators ID:BASELINE:TARGET,...`; each was checked against the source shown.", ""]
        for entry in entries {
            lines.append("\(entry.id)  \(entry.name)")
            lines.append("    unit: \(entry.unit); \(entry.higherIsBetter ? "higher" : "lower") is better")
            lines.append("    moved by: \(entry.movers.map(\.rawValue).joined(separator: ", "))")
            lines.append("    source: \(entry.source)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
