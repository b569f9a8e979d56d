/// The self-contained HTML report of a run folder or a sweep store (inline SVG and CSS only).
public enum Reports {}
