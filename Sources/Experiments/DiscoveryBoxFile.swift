import Foundation

/// `discover-box.json`, written by `lspsim discover` and read by `lspsim report`: the one type of
/// that file format (format "lspsim-discover-box/1"; docs/SWEEPS.md, "Scenario discovery").
///
/// Reading is tolerant: the parts a report does not need (`options`, `selection`, `relaxed`,
/// `trajectory`, and a limit's details) may be missing, as in hand-written or older files.
public struct DiscoveryBoxFile: Codable, Sendable {
    public static let formatName = "lspsim-discover-box/1"

    public struct Condition: Codable, Sendable {
        public var measure: String?
        public var `operator`: String?
        public var value: Double?
        public var text: String
        public var phrase: String?
    }

    public struct Runs: Codable, Sendable {
        public var total: Int?
        public var failedExcluded: Int?
        public var used: Int
        public var meetingCondition: Int
        public var designPoints: Int?
        enum CodingKeys: String, CodingKey {
            case total, used
            case failedExcluded = "failed_excluded", meetingCondition = "meeting_condition", designPoints = "design_points"
        }
    }

    public struct Options: Codable, Sendable {
        public var peelAlpha: Double, pasteAlpha: Double, minMass: Double, minCoverage: Double, significance: Double
        enum CodingKeys: String, CodingKey {
            case significance
            case peelAlpha = "peel_alpha", pasteAlpha = "paste_alpha", minMass = "min_mass", minCoverage = "min_coverage"
        }
    }

    /// How the step was chosen: "max_density_with_min_coverage" (with `min_coverage`) or "user" (--box).
    public struct Selection: Codable, Sendable {
        public var rule: String
        public var minCoverage: Double?
        enum CodingKeys: String, CodingKey {
            case rule
            case minCoverage = "min_coverage"
        }
    }

    /// A limit relaxed because it was not significant.
    public struct Relaxed: Codable, Sendable {
        public var factor: String, side: String
        public var quasiP: Double, densityWithout: Double
        enum CodingKeys: String, CodingKey {
            case factor, side
            case quasiP = "quasi_p", densityWithout = "density_without"
        }
    }

    public struct Box: Codable, Sendable {
        public var runs: Int
        public var runsMeeting: Int
        public var coverage: Double, density: Double, mass: Double
        public var restrictedFactors: [String]?
        enum CodingKeys: String, CodingKey {
            case runs, coverage, density, mass
            case runsMeeting = "runs_meeting", restrictedFactors = "restricted_factors"
        }
    }

    /// One factor's limit in the chosen box: a range (`kind` "range") or kept categories ("categories").
    public struct Limit: Codable, Sendable {
        public var factor: String
        public var name: String?
        public var restricted: Bool
        @ExplicitNull public var words: String?
        public var kind: String?
        public var percentage: Bool?
        public var lower: Double?, upper: Double?
        public var lowerRestricted: Bool?, upperRestricted: Bool?
        public var observedMin: Double?, observedMax: Double?
        public var dataMin: Double?, dataMax: Double?
        /// Written (as a number or null) only for ranges.
        public var quasiPLower: ExplicitNull<Double>?, quasiPUpper: ExplicitNull<Double>?
        public var categories: [String]?
        public var allCategories: [String]?
        /// Written (as a number or null) only for categories.
        public var quasiP: ExplicitNull<Double>?

        init(factor: String, name: String, restricted: Bool, words: String?) {
            self.factor = factor
            self.name = name
            self.restricted = restricted
            self.words = words
        }

        enum CodingKeys: String, CodingKey {
            case factor, name, restricted, words, kind, percentage, lower, upper, categories
            case lowerRestricted = "lower_restricted", upperRestricted = "upper_restricted"
            case observedMin = "observed_min", observedMax = "observed_max", dataMin = "data_min", dataMax = "data_max"
            case quasiPLower = "quasi_p_lower", quasiPUpper = "quasi_p_upper", allCategories = "all_categories", quasiP = "quasi_p"
        }
    }

    public struct Step: Codable, Sendable {
        public var step: Int
        public var coverage: Double, density: Double, mass: Double
        public var runs: Int, runsMeeting: Int
        public var restrictedFactors: [String]
        enum CodingKeys: String, CodingKey {
            case step, coverage, density, mass, runs
            case runsMeeting = "runs_meeting", restrictedFactors = "restricted_factors"
        }
    }

    public var format: String
    public var sweep: String?
    public var condition: Condition
    public var runs: Runs
    public var baseDensity: Double
    public var options: Options?
    public var chosenStep: Int?
    public var selection: Selection?
    public var pastingSteps: Int?
    public var relaxed: [Relaxed]?
    public var box: Box
    public var limits: [Limit]
    public var summary: String?
    public var trajectory: [Step]?

    enum CodingKeys: String, CodingKey {
        case format, sweep, condition, runs, options, selection, relaxed, box, limits, summary, trajectory
        case baseDensity = "base_density", chosenStep = "chosen_step", pastingSteps = "pasting_steps"
    }

    /// Pretty-printed JSON with sorted keys (no final newline).
    public func json() throws -> String { try JSONFile.text(self) }
}

extension DiscoveryBoxFile {
    /// Reads `url`; throws a description of what is wrong: not JSON of this shape, or another format.
    public init(url: URL) throws(JSONFile.ReadError) {
        self = try JSONFile.read(DiscoveryBoxFile.self, from: url, what: "an lspsim discovery box")
        guard format == Self.formatName else {
            throw JSONFile.ReadError(file: url.path, reason: "format \(format); this lspsim reads \(Self.formatName)")
        }
    }
}

/// Writing and reading lspsim's JSON files.
public enum JSONFile {
    /// Why a JSON file could not be read.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public let file: String
        public let reason: String
        public var description: String { "\(file): \(reason)" }
    }

    /// `value` as pretty-printed JSON with sorted keys and unescaped slashes, without a final newline.
    public static func text<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Decodes `url`; `what` names the format in the error ("an lspsim discovery box").
    public static func read<T: Decodable>(_ type: T.Type, from url: URL, what: String) throws(ReadError) -> T {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ReadError(file: url.path, reason: "cannot be read")
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw ReadError(file: url.path, reason: "not \(what) (\(describe(error)))")
        } catch {
            throw ReadError(file: url.path, reason: "not \(what) (\(error))")
        }
    }

    /// A decoding error in a sentence: the field and what is wrong with it.
    public static func describe(_ error: DecodingError) -> String {
        switch error {
        case let .keyNotFound(key, _): "no \(key.stringValue)"
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        case let .dataCorrupted(context): context.debugDescription
        @unknown default: "\(error)"
        }
    }
}
