/// Small, dependency-free SVG charts for lspsim's reports: scales, ticks, paths, axes and legends.
public enum Charts {}
