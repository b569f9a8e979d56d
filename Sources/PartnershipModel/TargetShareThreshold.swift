/// The share of a partnership's LAA targets that must be met for a run to count as successful.
public enum TargetShareThreshold {
    /// 0.6: the share of LAA targets met that a partnership must reach to count as successful;
    /// from the reward-grant rule's 60% (docs/MODEL.md, "Reward grant": nothing below 60% of a
    /// target's stretch, pro rata from 60%). Reports, `lspsim summarize` (its `--target-share`
    /// default) and the sweep report's "P(>= 60%)" all use this value.
    public static let `default` = 0.6

    /// Comparisons allow this much below the threshold, so that a share of 6/10 computed in
    /// floating point counts as meeting 0.6.
    public static let tolerance = 1e-12

    /// Whether `share` meets `threshold` (within `tolerance`).
    public static func isMet(_ share: Double, threshold: Double = TargetShareThreshold.default) -> Bool {
        share >= threshold - tolerance
    }
}
