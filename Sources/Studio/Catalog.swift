import Foundation
import PartnershipModel
import ScenarioFile

/// The scenarios a studio offers, read once at start-up and afterwards reached only by id:
/// nothing a request carries is ever used as a path.
public struct Catalog: Sendable {
    /// One listed scenario: its id (the file stem, made unique), file, text and checked template.
    public struct Entry: Sendable {
        public let id: String
        public let file: String
        public let text: String
        public let template: ScenarioTemplate
    }

    public private(set) var entries: [Entry] = []
    /// Files given that could not be listed, with why.
    public private(set) var skipped: [(file: String, reason: String)] = []

    public init() {}

    /// The shipped scenarios: every `*.yaml` in `directory` that is a valid scenario file (sweep
    /// files and other YAML are left out silently), in name order.
    public mutating func addShipped(directory: String) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted()
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8), !Catalog.looksLikeSweep(text),
                  let template = try? ScenarioLoader.parse(yaml: text, file: path) else { continue }
            add(file: path, text: text, template: template)
        }
    }

    /// A scenario named on the command line; an invalid one is recorded in `skipped`.
    public mutating func add(path: String) {
        if entries.contains(where: { $0.file == path }) { return }
        do {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                skipped.append((path, "cannot be read: \(error.localizedDescription)"))
                return
            }
            let template = try ScenarioLoader.parse(yaml: text, file: path)
            add(file: path, text: text, template: template)
        } catch {
            skipped.append((path, "\(error)"))
        }
    }

    /// Adds a scenario given as text (used by tests and by `add(path:)`).
    public mutating func add(file: String, text: String, template: ScenarioTemplate) {
        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        var id = Catalog.slug(stem)
        var suffix = 2
        while entries.contains(where: { $0.id == id }) {
            id = "\(Catalog.slug(stem))-\(suffix)"
            suffix += 1
        }
        entries.append(Entry(id: id, file: file, text: text, template: template))
    }

    public func entry(id: String) -> Entry? { entries.first { $0.id == id } }

    /// Ids use letters, digits, '-' and '_' only.
    static func slug(_ text: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
        let cleaned = String(text.map { allowed.contains($0) ? $0 : "-" })
        return cleaned.isEmpty ? "scenario" : cleaned
    }

    /// A sweep file has top-level `factors:` or `scenarios:` keys.
    static func looksLikeSweep(_ text: String) -> Bool {
        text.split(separator: "\n").contains { $0.hasPrefix("factors:") || $0.hasPrefix("scenarios:") }
    }
}
