import Charts
import Testing

/// A small deterministic generator (SplitMix64) for property tests over many domains.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

@Suite("Linear scales")
struct LinearScaleTests {
    @Test("endpoints map exactly, for awkward decimals and reversed ranges", arguments: [
        (0.1, 0.3, 17.3, 402.9), (0, 1, 0, 100), (-3.7, 12.25, 280, 20), (1620, 1600, 10, 300), (1e-9, 2e-9, 0.7, 0.9),
    ])
    func endpoints(d0: Double, d1: Double, r0: Double, r1: Double) {
        let scale = LinearScale(domain: (d0, d1), range: (r0, r1))
        #expect(scale.map(d0) == r0, "domain \(d0)...\(d1) -> \(r0)...\(r1)")
        #expect(scale.map(d1) == r1, "domain \(d0)...\(d1) -> \(r0)...\(r1)")
        #expect(scale.invert(r0) == d0)
        #expect(scale.invert(r1) == d1)
    }

    @Test("interior values map linearly, and invert back")
    func interior() {
        let scale = LinearScale(domain: (0, 10), range: (300, 50))   // a y axis: up is smaller
        #expect(scale.map(5) == 175)
        #expect(scale.map(2) == 250)
        #expect(abs(scale.map(12)) < 1e-9)    // extrapolates
        #expect(abs(scale.invert(scale.map(7.3)) - 7.3) < 1e-12)
    }

    @Test("a degenerate domain maps to the middle of the range")
    func degenerate() {
        let scale = LinearScale(domain: (4, 4), range: (0, 100))
        #expect(scale.map(4) == 50)
        let nice = scale.nice()
        #expect(nice.domain.lower < 4 && nice.domain.upper > 4)
    }

    @Test("nice domains end on ticks", arguments: [
        (0.13, 0.87, 0.0, 1.0), (3.0, 97.0, 0.0, 100.0), (5.164, 6.094, 5.0, 6.2), (1575.0, 1641.0, 1560.0, 1660.0),
        (-0.0121, 0.0683, -0.02, 0.08), (0.0, 1.0, 0.0, 1.0),
    ])
    func nice(lo: Double, hi: Double, niceLo: Double, niceHi: Double) {
        let scale = LinearScale(domain: (lo, hi), range: (0, 1)).nice(count: 5)
        #expect(scale.domain.lower == niceLo, "[\(lo), \(hi)] -> [\(scale.domain.lower), \(scale.domain.upper)]")
        #expect(scale.domain.upper == niceHi, "[\(lo), \(hi)] -> [\(scale.domain.lower), \(scale.domain.upper)]")
    }

    @Test("nice domains contain the data and start and end on a tick, over 2,000 random domains")
    func niceProperty() {
        var random = SplitMix(state: 42)
        for _ in 0..<2000 {
            let magnitude = Double(1 << (random.next() % 20)) * (random.uniform() < 0.5 ? 1e-6 : 1)
            let a = (random.uniform() - 0.5) * magnitude, b = a + random.uniform() * magnitude + 1e-12
            let scale = LinearScale(domain: (a, b), range: (0, 500)).nice(count: 5)
            #expect(scale.domain.lower <= a && scale.domain.upper >= b, "[\(a), \(b)]")
            let ticks = scale.ticks(count: 5)
            #expect(ticks.first == scale.domain.lower, "[\(a), \(b)]: ticks \(ticks) of \(scale.domain)")
            #expect(ticks.last == scale.domain.upper, "[\(a), \(b)]: ticks \(ticks) of \(scale.domain)")
        }
    }
}

@Suite("Ticks")
struct TickTests {
    @Test("known tick sets")
    func known() {
        #expect(Ticks.values(0, 1, count: 5) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(Ticks.values(0, 0.3, count: 3) == [0, 0.1, 0.2, 0.3])   // 0.3, not 0.30000000000000004
        #expect(Ticks.values(0, 12, count: 6) == [0, 2, 4, 6, 8, 10, 12])
        #expect(Ticks.values(1575, 1641, count: 5) == [1580, 1590, 1600, 1610, 1620, 1630, 1640])
        #expect(Ticks.values(-0.05, 0.07, count: 6) == [-0.04, -0.02, 0, 0.02, 0.04, 0.06])
        #expect(Ticks.values(12, 0, count: 6) == [0, 2, 4, 6, 8, 10, 12])   // reversed domains give the same ticks
    }

    @Test("steps are 1, 2 or 5 times a power of ten; ticks are evenly spaced and cover the domain (2,000 random domains)")
    func property() {
        var random = SplitMix(state: 7)
        for _ in 0..<2000 {
            let scale = Double(1 << (random.next() % 24)) / 1024
            let a = (random.uniform() - 0.3) * scale, b = a + (random.uniform() + 0.01) * scale
            let count = Int(2 + random.next() % 9)
            let step = Ticks.step(a, b, count: count)
            var mantissa = step
            while mantissa >= 10 { mantissa /= 10 }
            while mantissa < 1 { mantissa *= 10 }
            let nearest = [1.0, 2.0, 5.0, 10.0].min { abs($0 - mantissa) < abs($1 - mantissa) }!
            #expect(abs(mantissa - nearest) < 1e-9 * nearest, "[\(a), \(b)] count \(count): step \(step)")
            let ticks = Ticks.values(a, b, count: count)
            // At least one tick; at least two when three or more intervals are asked for (the step is then
            // at most about half the domain).
            #expect(ticks.count >= (count >= 3 ? 2 : 1), "[\(a), \(b)] count \(count): \(ticks)")
            // About `count` intervals: never more than 2.5 times as many (1-2-5 rounding), never fewer than a third.
            #expect(Double(ticks.count - 1) <= 2.5 * Double(count) + 1 && Double(ticks.count + 1) >= Double(count) / 3,
                    "[\(a), \(b)] count \(count): \(ticks.count) ticks")
            for (t, u) in zip(ticks, ticks.dropFirst()) {
                #expect(abs((u - t) - step) <= 1e-9 * step, "[\(a), \(b)]: ticks \(ticks)")
            }
            // Inside the domain, and no gap of a whole step left at either end.
            #expect(ticks.first! >= a - 1e-9 * step && ticks.first! - a < step * (1 + 1e-9), "[\(a), \(b)]: \(ticks)")
            #expect(ticks.last! <= b + 1e-9 * step && b - ticks.last! < step * (1 + 1e-9), "[\(a), \(b)]: \(ticks)")
        }
    }

    @Test("labels are readable: decimals the step needs, grouped thousands, a true minus, no -0")
    func labels() {
        #expect(TickFormat.number.label(0.3, step: 0.1) == "0.3")
        #expect(TickFormat.number.label(0.04, step: 0.02) == "0.04")
        #expect(TickFormat.number.label(0.5, step: 0.5) == "0.5")
        #expect(TickFormat.number.label(15, step: 5) == "15")
        #expect(TickFormat.number.label(1600, step: 20) == "1,600")
        #expect(TickFormat.number.label(1234567, step: 100000) == "1,234,567")
        #expect(TickFormat.number.label(-0.05, step: 0.05) == "\u{2212}0.05")
        #expect(TickFormat.number.label(-1e-17, step: 0.1) == "0.0")
        #expect(TickFormat.number.label(0, step: 1) == "0")
        #expect(TickFormat.percent.label(0.25, step: 0.05) == "25%")
        #expect(TickFormat.percent.label(0.025, step: 0.005) == "2.5%")
        #expect(TickFormat.hundredths.label(0.013, step: 0.001) == "1.3")
        #expect(NumberFormat.significant(0.013064) == "0.0131")
        #expect(NumberFormat.significant(1607.3) == "1,607")
        #expect(NumberFormat.significant(-2.5) == "\u{2212}2.5")
        #expect(NumberFormat.significant(5.0) == "5")
        // Labels of every tick of an axis are distinct (enough decimals) and no longer than needed.
        let axis = Axis(edge: .left, scale: LinearScale(domain: (0, 0.08), range: (0, 1)), format: .number, title: "share")
        #expect(axis.labels == ["0.00", "0.02", "0.04", "0.06", "0.08"])
    }

    @Test("band scales centre bands in equal steps")
    func bands() {
        let bands = BandScale(count: 4, range: (100, 500), padding: 0.2)
        #expect(bands.step == 100)
        #expect(bands.bandwidth == 80)
        #expect(bands.start(0) == 110)
        #expect(bands.centre(3) == 450)
    }
}
