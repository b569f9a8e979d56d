/// Builds the `d` attribute of an SVG `<path>`: absolute commands, coordinates with at most two
/// decimals (`Markup.number`).
///
///     var path = PathBuilder()
///     path.move(to: 0, 10)
///     path.line(to: 20, 30)
///     path.close()
///     path.description // "M0,10L20,30Z"
public struct PathBuilder: Sendable, Equatable, CustomStringConvertible {
    /// The commands so far.
    public private(set) var description = ""

    public init() {}

    /// Whether nothing has been drawn.
    public var isEmpty: Bool { description.isEmpty }

    /// `M x,y`: starts a new sub-path.
    public mutating func move(to x: Double, _ y: Double) {
        description += "M" + Markup.number(x) + "," + Markup.number(y)
    }

    /// `L x,y`: a straight line from the current point.
    public mutating func line(to x: Double, _ y: Double) {
        description += "L" + Markup.number(x) + "," + Markup.number(y)
    }

    /// `H x`: a horizontal line.
    public mutating func horizontal(to x: Double) {
        description += "H" + Markup.number(x)
    }

    /// `V y`: a vertical line.
    public mutating func vertical(to y: Double) {
        description += "V" + Markup.number(y)
    }

    /// `Z`: closes the current sub-path.
    public mutating func close() {
        description += "Z"
    }

    /// A polyline through `points`; a point with a non-finite coordinate breaks the line, and the
    /// next finite point starts a new sub-path (`M`). Empty for fewer than one finite point.
    public static func line(_ points: [(x: Double, y: Double)]) -> PathBuilder {
        var path = PathBuilder()
        var drawing = false
        for point in points {
            guard point.x.isFinite, point.y.isFinite else { drawing = false; continue }
            if drawing { path.line(to: point.x, point.y) } else { path.move(to: point.x, point.y) }
            drawing = true
        }
        return path
    }

    /// A closed area between an upper and a lower boundary sharing the same x positions: along
    /// the upper boundary left to right, back along the lower boundary right to left, closed.
    /// Points where any coordinate is non-finite are skipped. Empty for fewer than two usable points.
    public static func band(x: [Double], upper: [Double], lower: [Double]) -> PathBuilder {
        let count = min(x.count, upper.count, lower.count)
        let usable = (0..<count).filter { x[$0].isFinite && upper[$0].isFinite && lower[$0].isFinite }
        var path = PathBuilder()
        guard usable.count >= 2 else { return path }
        for (n, i) in usable.enumerated() {
            if n == 0 { path.move(to: x[i], upper[i]) } else { path.line(to: x[i], upper[i]) }
        }
        for i in usable.reversed() { path.line(to: x[i], lower[i]) }
        path.close()
        return path
    }

    /// A rectangle as a closed path (`M x,y H x+w V y+h H x Z`); a negative width or height
    /// is normalised so that the rectangle covers the same area.
    public static func rect(x: Double, y: Double, width: Double, height: Double) -> PathBuilder {
        let left = min(x, x + width), top = min(y, y + height)
        var path = PathBuilder()
        path.move(to: left, top)
        path.horizontal(to: left + abs(width))
        path.vertical(to: top + abs(height))
        path.horizontal(to: left)
        path.close()
        return path
    }
}
