import AreaBuilder
import Foundation
import PartnershipModel
import Testing

@Suite("Indicator catalogue")
struct IndicatorCatalogueTests {
    @Test("at least 35 indicators, unique National Indicator ids")
    func size() {
        let ids = IndicatorCatalogue.entries.map(\.id)
        #expect(ids.count >= 35)
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.hasPrefix("NI") && Int(id.dropFirst(2)) != nil, "\(id) is not NI<number>")
        }
    }

    @Test("every entry has a source address, a name, a unit and someone who can move it",
          arguments: IndicatorCatalogue.entries)
    func entry(_ entry: CatalogueIndicator) {
        #expect(entry.source.hasPrefix("http://") || entry.source.hasPrefix("https://"), "\(entry.id) has no source URL")
        #expect(!entry.name.isEmpty, "\(entry.id)")
        #expect(!entry.unit.isEmpty, "\(entry.id)")
        #expect(!entry.movers.isEmpty, "\(entry.id)")
        #expect(Set(entry.movers).count == entry.movers.count, "\(entry.id) lists a kind twice")
        #expect(!entry.movers.contains(.other), "\(entry.id)")
    }

    @Test("lookup ignores case and spaces; the listing shows every source")
    func lookup() {
        #expect(IndicatorCatalogue.entry("ni 117")?.id == "NI117")
        #expect(IndicatorCatalogue.entry("NI999") == nil)
        let listing = IndicatorCatalogue.listing()
        #expect(listing.components(separatedBy: "source: http").count - 1 == IndicatorCatalogue.entries.count)
    }
}

extension CatalogueIndicator: CustomTestStringConvertible {
    public var testDescription: String { id }
}

@Suite("docs/OWN-AREA.md")
struct OwnAreaDocTests {
    static let page = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/OWN-AREA.md")

    @Test("the page lists every catalogue entry with its source")
    func catalogue() throws {
        let text = try String(contentsOf: Self.page, encoding: .utf8)
        for entry in IndicatorCatalogue.entries {
            #expect(text.contains("| \(entry.id) | \(entry.name) |"), "\(entry.id) missing from docs/OWN-AREA.md")
            #expect(text.contains("<\(entry.source)>"), "\(entry.id)'s source missing from docs/OWN-AREA.md")
        }
    }
}
