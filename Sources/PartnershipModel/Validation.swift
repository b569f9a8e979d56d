/// One problem found in a scenario: where (a field path such as `partners[3].interests.NI999`)
/// and what is wrong, with what would be valid.
public struct ScenarioIssue: Sendable, Equatable, CustomStringConvertible {
    /// The field path, e.g. `governance.pooled_fraction` or `partners[3].budget` (0-based indices).
    public var path: String
    /// What is wrong and what would be valid.
    public var message: String
    /// Where a reader should look, if not at `path` itself (e.g. a missing key's sibling that requires it).
    public var locatedAt: String?

    public init(path: String, message: String, locatedAt: String? = nil) {
        self.path = path
        self.message = message
        self.locatedAt = locatedAt
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// The valid range of a numeric field.
public enum ValueRange: Sendable, Equatable {
    /// Any finite number.
    case finite
    /// >= 0.
    case nonNegative
    /// > 0.
    case positive
    /// [0, 1].
    case unit
    /// [0, 1).
    case unitHalfOpen
    /// (0, 1].
    case unitOpenClosed
    /// An integer >= the bound.
    case integer(atLeast: Int)

    /// Whether `value` lies in the range (NaN and infinities never do).
    public func contains(_ value: Double) -> Bool {
        guard value.isFinite else { return false }
        switch self {
        case .finite: return true
        case .nonNegative: return value >= 0
        case .positive: return value > 0
        case .unit: return value >= 0 && value <= 1
        case .unitHalfOpen: return value >= 0 && value < 1
        case .unitOpenClosed: return value > 0 && value <= 1
        case let .integer(bound): return value.rounded() == value && value >= Double(bound)
        }
    }

    /// The range in words, as error messages give it.
    public var text: String {
        switch self {
        case .finite: return "a finite number"
        case .nonNegative: return "a number >= 0"
        case .positive: return "a number > 0"
        case .unit: return "a number in [0, 1]"
        case .unitHalfOpen: return "a number in [0, 1)"
        case .unitOpenClosed: return "a number in (0, 1]"
        case let .integer(bound): return "an integer >= \(bound)"
        }
    }
}

/// A numeric scenario field: its key in the file, where it lives in the Swift type, its valid range.
public struct NumericField<Root>: @unchecked Sendable {
    /// The key in the scenario file, e.g. `pooled_fraction`.
    public let key: String
    /// The property holding it.
    public let keyPath: WritableKeyPath<Root, Double>
    /// The values it may take.
    public let range: ValueRange
    /// The property's byte offset in `Root` (a stored property), for reads without the key path's
    /// generic machinery: validation reads every field of every compiled scenario.
    private let offset: Int?

    init(_ key: String, _ keyPath: WritableKeyPath<Root, Double>, _ range: ValueRange) {
        self.key = key
        self.keyPath = keyPath
        self.range = range
        offset = MemoryLayout<Root>.offset(of: keyPath)
    }

    /// The field's value in `root`.
    @inline(__always)
    public func value(in root: Root) -> Double {
        guard let offset else { return root[keyPath: keyPath] }
        return withUnsafeBytes(of: root) { $0.load(fromByteOffset: offset, as: Double.self) }
    }
}

/// Formats a number for a message: integers without a fraction, others as Swift prints them.
func formatted(_ value: Double) -> String {
    if value.isFinite, value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
    return String(value)
}

extension Scenario {
    /// The numeric fields of the `model:` block: scenario key, key path and valid range.
    public static let modelFields: [NumericField<ModelConstants>] = [
        NumericField("reach_strategic", \.reachStrategic, .unit),
        NumericField("reach_executive", \.reachExecutive, .unit),
        NumericField("reach_thematic", \.reachThematic, .unit),
        NumericField("tier_attenuation", \.tierAttenuation, .unit),
        NumericField("named_boost", \.namedBoost, .nonNegative),
        NumericField("peer_weight", \.peerWeight, .unit),
        NumericField("returns", \.returns, .unitOpenClosed),
        NumericField("synergy", \.synergy, .nonNegative),
        NumericField("fragmentation_penalty", \.fragmentationPenalty, .unit),
        NumericField("reprioritisation", \.reprioritisation, .nonNegative),
        NumericField("trust_learning", \.trustLearning, .nonNegative),
        NumericField("free_riding_sensitivity", \.freeRidingSensitivity, .nonNegative),
        NumericField("culture_building", \.cultureBuilding, .nonNegative),
        NumericField("disengagement", \.disengagement, .unit),
        NumericField("budget_volatility", \.budgetVolatility, .nonNegative),
        NumericField("overhead_per_level", \.overheadPerLevel, .nonNegative),
        NumericField("overhead_per_board", \.overheadPerBoard, .nonNegative),
        NumericField("pool_bonus", \.poolBonus, .nonNegative),
        NumericField("reward_threshold", \.rewardThreshold, .unit),
        NumericField("reward_pot", \.rewardPot, .nonNegative),
        NumericField("pool_overhead", \.poolOverhead, .unitHalfOpen),
        NumericField("review_cost", \.reviewCost, .nonNegative),
    ]

    /// The numeric fields of the `governance:` block: scenario key, key path and valid range.
    public static let governanceFields: [NumericField<Governance>] = [
        NumericField("pooled_fraction", \.pooledFraction, .unitHalfOpen),
        NumericField("performance_management", \.performanceManagement, .unit),
        NumericField("leadership", \.leadership, .unit),
        NumericField("scrutiny", \.scrutiny, .unit),
        NumericField("central_burden", \.centralBurden, .unitHalfOpen),
        NumericField("commissioning", \.commissioning, .unit),
    ]

    /// The numeric fields of an indicator: scenario key, key path and valid range.
    public static let indicatorFields: [NumericField<Indicator>] = [
        NumericField("baseline", \.baseline, .finite),
        NumericField("target", \.target, .finite),
        NumericField("trend", \.trend, .finite),
        NumericField("responsiveness", \.responsiveness, .nonNegative),
        NumericField("noise_sd", \.noiseSD, .nonNegative),
    ]

    /// The numeric fields of a partner: scenario key, key path and valid range.
    public static let partnerFields: [NumericField<Partner>] = [
        NumericField("budget", \.budget, .positive),
        NumericField("discretionary", \.discretionary, .unit),
        NumericField("openness", \.openness, .unit),
        NumericField("trust", \.trust, .unit),
    ]

    /// The derived overhead beta = beta0 + beta_L * |levels| + beta_M * (number of boards - 1).
    public var overheadRate: Double {
        governance.centralBurden + model.overheadPerLevel * Double(governance.levels.count)
            + model.overheadPerBoard * Double(districtNames.count)
    }

    /// The distinct district names in partners' tiers, in order of first appearance.
    public var districtNames: [String] {
        var seen = Set<String>()
        var names: [String] = []
        for partner in partners {
            if let name = partner.tier.districtName, seen.insert(name).inserted { names.append(name) }
        }
        return names
    }

    /// Whether partner `i` sits on the lead board (single tier: everyone; two tier: the county board).
    public func isOnLeadBoard(_ partner: Partner) -> Bool {
        switch tier {
        case .single: return true
        case .twoTier:
            switch partner.tier {
            case .area, .county: return true
            case .district: return partner.kind == .districtCouncil
            }
        }
    }

    /// Every problem of the scenario, in file order of the fields concerned.
    ///
    /// - Parameter isUncertain: field paths given as distributions; their value is not yet known,
    ///   so their range and the cross-field rules that use them are checked per replication instead.
    ///   Nil (the default) when nothing is uncertain: then no field path is built unless there is a
    ///   problem to report (sweeps and calibrations validate a scenario per design point or particle).
    public func validationIssues(isUncertain givenUncertain: ((String) -> Bool)? = nil) -> [ScenarioIssue] {
        var issues: [ScenarioIssue] = []
        let anyUncertain = givenUncertain != nil
        func isUncertain(_ path: String) -> Bool { givenUncertain?(path) ?? false }
        // The path is built only for a value out of range.
        func check(_ value: Double, _ range: ValueRange, _ makePath: @autoclosure () -> String) {
            if range.contains(value) { return }
            let path = makePath()
            if isUncertain(path) { return }
            issues.append(ScenarioIssue(path: path, message: "must be \(range.text), got \(formatted(value))"))
        }

        if quarters < 1 {
            issues.append(ScenarioIssue(path: "area.quarters", message: "must be an integer >= 1, got \(quarters)"))
        }

        // Indicators.
        if indicators.isEmpty {
            issues.append(ScenarioIssue(path: "indicators", message: "must list at least one indicator"))
        }
        var indicatorIDs = Set<String>()
        for (k, indicator) in indicators.enumerated() {
            func base() -> String { "indicators[\(k)]" }
            if indicator.id.isEmpty {
                issues.append(ScenarioIssue(path: "\(base()).id", message: "must not be empty"))
            } else if !indicatorIDs.insert(indicator.id).inserted {
                issues.append(ScenarioIssue(path: "\(base()).id", message: "duplicate indicator id '\(indicator.id)'; ids must be unique"))
            }
            for field in Self.indicatorFields {
                check(field.value(in: indicator), field.range, "\(base()).\(field.key)")
            }
        }
        if !indicators.isEmpty && !indicators.contains(where: \.laaTarget) {
            issues.append(ScenarioIssue(path: "indicators", message: "at least one indicator must have laa_target: true"))
        }
        func knownIDs() -> String {
            indicators.isEmpty ? "(the file defines no indicators)" : indicators.map(\.id).joined(separator: ", ")
        }

        // Partners.
        if partners.isEmpty {
            issues.append(ScenarioIssue(path: "partners", message: "must list at least one partner"))
        }
        var partnerIDs = Set<String>()
        for (i, partner) in partners.enumerated() {
            func base() -> String { "partners[\(i)]" }
            if partner.id.isEmpty {
                issues.append(ScenarioIssue(path: "\(base()).id", message: "must not be empty"))
            } else if !partnerIDs.insert(partner.id).inserted {
                issues.append(ScenarioIssue(path: "\(base()).id", message: "duplicate partner id '\(partner.id)'; ids must be unique"))
            }
            switch (tier, partner.tier) {
            case (.single, .area): break
            case (.single, _):
                issues.append(ScenarioIssue(path: "\(base()).tier", message: "is '\(partner.tier)' but area.tier is single, where every partner's tier must be 'area'"))
            case (.twoTier, .district(let name)) where name.isEmpty:
                issues.append(ScenarioIssue(path: "\(base()).tier", message: "names no district; write 'district:NAME'"))
            case (.twoTier, _): break
            }
            for field in Self.partnerFields {
                check(field.value(in: partner), field.range, "\(base()).\(field.key)")
            }
            var interestSum = 0.0
            var sumKnown = true
            for entry in partner.interests {
                func path() -> String { "\(base()).interests.\(entry.id)" }
                if !indicatorIDs.contains(entry.id) {
                    issues.append(ScenarioIssue(path: path(), message: "unknown indicator id '\(entry.id)'; valid ids: \(knownIDs())"))
                }
                if anyUncertain && isUncertain(path()) { sumKnown = false; continue }
                check(entry.weight, .nonNegative, path())
                interestSum += entry.weight
            }
            if sumKnown && !(interestSum > 0 && interestSum.isFinite) {
                issues.append(ScenarioIssue(path: "\(base()).interests", message: "weights must sum to a positive finite number (they are normalised to sum 1), got \(formatted(interestSum))"))
            }
            for entry in partner.capability {
                func path() -> String { "\(base()).capability.\(entry.id)" }
                if !indicatorIDs.contains(entry.id) {
                    issues.append(ScenarioIssue(path: path(), message: "unknown indicator id '\(entry.id)'; valid ids: \(knownIDs())"))
                }
                check(entry.value, .nonNegative, path())
            }
        }
        if tier == .twoTier && !partners.isEmpty && !partners.contains(where: { $0.tier.districtName != nil }) {
            issues.append(ScenarioIssue(path: "partners", message: "a two_tier area needs at least one partner with tier 'district:NAME'"))
        }

        // Governance.
        if let lead = governance.leadPartner, !partnerIDs.contains(lead) {
            issues.append(ScenarioIssue(path: "governance.lead_partner", message: "names no partner: '\(lead)'; valid ids: \(partners.map(\.id).joined(separator: ", "))"))
        }
        if governance.decisionRule == .leadPartner && governance.leadPartner == nil {
            issues.append(ScenarioIssue(path: "governance.lead_partner", message: "is required when decision_rule is lead_partner; name the lead partner's id",
                                        locatedAt: "governance.decision_rule"))
        }
        if governance.reviewEvery < 1 {
            issues.append(ScenarioIssue(path: "governance.review_every", message: "must be an integer >= 1, got \(governance.reviewEvery)"))
        }
        for field in Self.governanceFields {
            check(field.value(in: governance), field.range, "governance.\(field.key)")
        }

        // Model constants.
        for field in Self.modelFields {
            check(field.value(in: model), field.range, "model.\(field.key)")
        }
        if model.deliveryLag < 0 {
            issues.append(ScenarioIssue(path: "model.delivery_lag", message: "must be an integer >= 0, got \(model.deliveryLag)"))
        }
        let overheadPaths = ["governance.central_burden", "model.overhead_per_level", "model.overhead_per_board"]
        let beta = overheadRate
        if !(anyUncertain && overheadPaths.contains(where: isUncertain)), !(beta < 1) {
            issues.append(ScenarioIssue(path: "governance.central_burden", message: "the overhead rate central_burden + overhead_per_level * levels + overhead_per_board * districts is \(formatted(beta)); it must be < 1"))
        } else if model.version == .v2, !(anyUncertain && (overheadPaths + ["model.review_cost"]).contains(where: isUncertain)),
                  !(beta + model.reviewCost < 1) {
            issues.append(ScenarioIssue(path: "model.review_cost", message: "the overhead rate of a review quarter, beta + review_cost = \(formatted(beta)) + \(formatted(model.reviewCost)), must be < 1 in model version 2"))
        }

        // Agreed priorities need a lead-board member with a positive interest in an LAA indicator.
        let laaIDs = Set(indicators.filter(\.laaTarget).map(\.id))
        let interestsUncertain = anyUncertain && partners.indices.contains { i in
            partners[i].interests.contains { isUncertain("partners[\(i)].interests.\($0.id)") }
        }
        if !laaIDs.isEmpty && !partners.isEmpty && !interestsUncertain {
            let anyInterest = partners.contains { partner in
                isOnLeadBoard(partner) && partner.interests.contains { laaIDs.contains($0.id) && $0.weight > 0 }
            }
            if !anyInterest {
                issues.append(ScenarioIssue(path: "partners", message: "no member of the lead board has a positive interest in any LAA indicator, so the agreed priorities are undefined; give one an interest in \(laaIDs.sorted().joined(separator: ", "))"))
            }
        }
        return issues
    }
}
