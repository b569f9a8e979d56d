/// Colours: the Okabe-Ito palette (Okabe and Ito 2008, "Color Universal Design"), distinguishable
/// with the common forms of colour-blindness, plus the neutral greys charts draw with.
public enum Palette {
    /// Okabe-Ito: blue, orange, bluish green, vermillion, reddish purple, sky blue, yellow, black.
    /// Ordered so that the first colours are the most distinct on white and in greyscale print.
    public static let okabeIto = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

    public static let blue = "#0072B2"
    public static let orange = "#E69F00"
    public static let bluishGreen = "#009E73"
    public static let vermillion = "#D55E00"
    public static let reddishPurple = "#CC79A7"
    public static let skyBlue = "#56B4E9"
    public static let yellow = "#F0E442"
    public static let black = "#000000"

    /// Text.
    public static let ink = "#1F1F1F"
    /// Secondary text (subtitles, tick labels).
    public static let muted = "#555555"
    /// Axis lines.
    public static let axis = "#777777"
    /// Grid lines.
    public static let grid = "#E4E4E4"
    /// Reference lines that are not data (a baseline).
    public static let reference = "#6E6E6E"
    /// Background bars (a full range behind a sub-range).
    public static let track = "#E9E9E9"

    /// The i-th colour of the palette, cycling.
    public static func colour(_ index: Int) -> String {
        okabeIto[((index % okabeIto.count) + okabeIto.count) % okabeIto.count]
    }
}

/// Fonts and sizes shared by every chart (system fonts only: nothing is downloaded).
public enum ChartStyle {
    /// A font stack found on Linux, macOS and Windows.
    public static let fontFamily = "'DejaVu Sans', 'Liberation Sans', 'Helvetica Neue', Arial, Helvetica, sans-serif"
    public static let titleSize = 15.0
    public static let subtitleSize = 11.5
    public static let labelSize = 12.0
    public static let tickSize = 11.0
    public static let legendSize = 11.5

    /// An estimate of the width of `text` at `size` (px) in the fonts above, for layout: the
    /// average advance of DejaVu Sans (the widest of the stack) by character class.
    public static func textWidth(_ text: String, size: Double, bold: Bool = false) -> Double {
        var em = 0.0
        for character in text {
            switch character {
            case "i", "j", "l", "I", ".", ",", ":", ";", "'", "|", "!": em += 0.30
            case "f", "t", "r", "(", ")", "[", "]", " ", "-": em += 0.40
            case "m", "w", "M", "W", "%": em += 0.92
            case _ where character.isUppercase: em += 0.70
            case _ where character.isNumber: em += 0.64
            default: em += 0.60
            }
        }
        // Bold DejaVu Sans is about 12% wider.
        return em * size * (bold ? 1.12 : 1)
    }

    /// `text` cut to fit `width` at `size`, ending in an ellipsis where it was cut.
    public static func truncate(_ text: String, toWidth width: Double, size: Double) -> String {
        guard textWidth(text, size: size) > width else { return text }
        var cut = text
        while !cut.isEmpty && textWidth(cut + "\u{2026}", size: size) > width { cut.removeLast() }
        return cut.trimmingTrailingSpaces() + "\u{2026}"
    }

    /// `text` broken into lines no wider than `width` at `size`, at spaces.
    public static func wrap(_ text: String, toWidth width: Double, size: Double, bold: Bool = false) -> [String] {
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if textWidth(candidate, size: size, bold: bold) <= width || current.isEmpty {
                current = candidate
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
