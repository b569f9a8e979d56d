import Foundation

/// `sensitivity-sobol.json` or `sensitivity-morris.json` written by `lspsim sensitivity`
/// (format "lspsim-sensitivity", version 1; fields documented in Sources/lspsim/Sensitivity.swift).
struct SensitivityFile: Decodable {
    struct Sweep: Decodable {
        let name: String?
        let file: String?
        let replications: Int?
    }
    struct Design: Decodable {
        let type: String?
        let samples: Int?
        let runs: Int?
        let levels: Int?
    }
    struct Factor: Decodable {
        let name: String
        let min: Double?
        let max: Double?
    }
    struct Index: Decodable {
        let factor: String
        let firstOrder: Double
        let firstOrderLow: Double?, firstOrderHigh: Double?
        let totalOrder: Double
        let totalOrderLow: Double?, totalOrderHigh: Double?
        enum CodingKeys: String, CodingKey {
            case factor
            case firstOrder = "first_order", firstOrderLow = "first_order_low", firstOrderHigh = "first_order_high"
            case totalOrder = "total_order", totalOrderLow = "total_order_low", totalOrderHigh = "total_order_high"
        }
    }
    struct Effect: Decodable {
        let factor: String
        let mu: Double
        let muStar: Double
        let muStarLow: Double?, muStarHigh: Double?
        let sigma: Double
        let effects: Int?
        enum CodingKeys: String, CodingKey {
            case factor, mu, sigma, effects
            case muStar = "mu_star", muStarLow = "mu_star_low", muStarHigh = "mu_star_high"
        }
    }
    struct Result: Decodable {
        let scenario: String
        let measure: String
        let points: Int?
        let pointsExcluded: Int?
        let error: String?
        let sumFirstOrder: Double?
        let indices: [Index]?
        let effects: [Effect]?
        enum CodingKeys: String, CodingKey {
            case scenario, measure, points, error, indices, effects
            case pointsExcluded = "points_excluded", sumFirstOrder = "sum_first_order"
        }
    }

    let format: String
    let formatVersion: Int
    let method: String
    let sweep: Sweep?
    let design: Design?
    let factors: [Factor]
    let results: [Result]
    var file = ""

    enum CodingKeys: String, CodingKey {
        case format, method, sweep, design, factors, results
        case formatVersion = "format_version"
    }

    init(url: URL) throws(ReportError) {
        let decoded: SensitivityFile
        do {
            decoded = try JSONDecoder().decode(SensitivityFile.self, from: Data(contentsOf: url))
        } catch let error as DecodingError {
            throw .unreadable(file: url.path, reason: "not an lspsim sensitivity file (\(RunFolder.describe(error)))")
        } catch {
            throw .unreadable(file: url.path, reason: "cannot be read")
        }
        guard decoded.format == "lspsim-sensitivity", decoded.formatVersion == 1 else {
            throw .unreadable(file: url.path, reason: "format \(decoded.format) version \(decoded.formatVersion); this lspsim reads lspsim-sensitivity version 1")
        }
        self = decoded
        file = url.lastPathComponent
    }
}

/// `discover-box.json` written by `lspsim discover` (format "lspsim-discover-box/1").
struct DiscoveryFile: Decodable {
    struct Condition: Decodable {
        let text: String
        let phrase: String?
    }
    struct Runs: Decodable {
        let used: Int
        let meetingCondition: Int
        enum CodingKeys: String, CodingKey {
            case used
            case meetingCondition = "meeting_condition"
        }
    }
    struct Box: Decodable {
        let runs: Int
        let runsMeeting: Int
        let coverage: Double, density: Double, mass: Double
        enum CodingKeys: String, CodingKey {
            case runs, coverage, density, mass
            case runsMeeting = "runs_meeting"
        }
    }
    struct Limit: Decodable {
        let factor: String
        let name: String?
        let restricted: Bool
        let words: String?
        let kind: String?
        let percentage: Bool?
        let observedMin: Double?, observedMax: Double?
        let dataMin: Double?, dataMax: Double?
        let categories: [String]?
        let allCategories: [String]?
        enum CodingKeys: String, CodingKey {
            case factor, name, restricted, words, kind, percentage, categories
            case observedMin = "observed_min", observedMax = "observed_max", dataMin = "data_min", dataMax = "data_max"
            case allCategories = "all_categories"
        }
    }

    let format: String
    let condition: Condition
    let runs: Runs
    let baseDensity: Double
    let box: Box
    let limits: [Limit]
    let summary: String?

    enum CodingKeys: String, CodingKey {
        case format, condition, runs, box, limits, summary
        case baseDensity = "base_density"
    }

    init(url: URL) throws(ReportError) {
        do {
            self = try JSONDecoder().decode(DiscoveryFile.self, from: Data(contentsOf: url))
        } catch let error as DecodingError {
            throw .unreadable(file: url.path, reason: "not an lspsim discovery box (\(RunFolder.describe(error)))")
        } catch {
            throw .unreadable(file: url.path, reason: "cannot be read")
        }
        guard format == "lspsim-discover-box/1" else {
            throw .unreadable(file: url.path, reason: "format \(format); this lspsim reads lspsim-discover-box/1")
        }
    }
}

/// Readable names of the run measures, with units.
enum Measures {
    static let names: [String: (label: String, unit: String?)] = [
        "targets_total": ("LAA targets", nil),
        "targets_met": ("LAA targets met", nil),
        "targets_met_share": ("share of LAA targets met", nil),
        "mean_progress": ("mean progress to target", nil),
        "reward_grant": ("reward grant", "GBP m"),
        "aligned_share_mean": ("aligned share of spend", nil),
        "pooled_total": ("pooled over the run", "GBP m"),
        "overhead_total": ("overhead over the run", "GBP m"),
        "mean_trust_final": ("mean trust at the end", "0\u{2013}1"),
        "fragmentation": ("fragmentation", nil),
    ]

    static func label(_ measure: String) -> String { names[measure]?.label ?? measure }
    static func unit(_ measure: String) -> String? { names[measure]?.unit }
}
